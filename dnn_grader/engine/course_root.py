"""Where the course is: the nearest folder at or above a given one that holds nbgrader_config.py.

nbgrader runs its commands in that folder (the course root, holding source/, release/, submitted/, ...); the
grader's code that starts elsewhere (an instructor's notebook in source/<assignment>/, a submission's folder)
finds it with this one rule.
"""

from __future__ import annotations

from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"


def course_root_above(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding nbgrader_config.py; None if there is none.

    `start` is taken as given (no link is resolved): a caller that wants the real folder resolves it first.
    """
    for folder in [start, *start.parents]:
        if (folder / CONFIG_FILE).exists():
            return folder
    return None
