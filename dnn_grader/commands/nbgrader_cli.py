"""Running nbgrader's commands from Python, in the same environment as this interpreter.

nbgrader itself runs tools by name (`alembic` when it opens a gradebook), so the
environment's bin/ folder goes first on PATH even when it is not activated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def environment(**extra: str) -> dict[str, str]:
    """os.environ with this environment's bin/ first on PATH, plus `extra`."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


def command(*args: str) -> list[str]:
    """["/path/to/nbgrader", *args], from this environment when it has nbgrader."""
    executable = BIN / "nbgrader"
    return [str(executable) if executable.exists() else "nbgrader", *args]


def run(course_root: Path | str, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """`nbgrader *args` in the course root; output captured as text."""
    return subprocess.run(command(*args), cwd=course_root, capture_output=True, text=True,
                          env=environment(**extra_env))


def known_assignments(course_root: Path | str, db_url: str | None = None) -> list[str]:
    """The assignments of a course: its source/ folders holding a notebook, and those its gradebook holds.

    The gradebook is read only if it exists (`db_url`, default the course's gradebook.db): asking never creates one.
    """
    from sqlalchemy.engine import make_url

    course_root = Path(course_root)
    names = {path.parent.name for path in (course_root / "source").glob("*/*.ipynb")}
    db_url = db_url or f"sqlite:///{course_root / 'gradebook.db'}"
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or (url.database and Path(url.database).exists()):
        from nbgrader.api import Gradebook

        try:
            with Gradebook(db_url) as gradebook:
                names.update(assignment.name for assignment in gradebook.assignments)
        except Exception as error:  # an unreachable gradebook: say so, list what source/ holds
            print(f"(could not read the gradebook: {error})", file=sys.stderr)
    return sorted(names)


def unknown_assignment(assignment: str, known: list[str]) -> str:
    """The message for a name that is no assignment of the course."""
    return (f"No assignment {assignment!r} in this course. Its assignments: {', '.join(known) or 'none'} "
            "(folders of source/ and assignments in the gradebook).")


def run_checked(course_root: Path | str, *args: str) -> subprocess.CompletedProcess:
    """`nbgrader *args` in the course root; a RuntimeError with the end of its output when it fails."""
    result = run(course_root, *args)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course_root}:\n"
                           f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result
