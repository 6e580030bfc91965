"""A notebook's verdict, handed as data from the grader inside nbgrader to the command that started nbgrader.

IsolatedAutograde (preprocessor.py), in the grader's own process, writes one small JSON file per notebook it
grades into a folder that `dnn-grader autograde` (commands/parallel.py) created and named on nbgrader's command
line: graded, or not graded and why (the grader's own limits cut every attempt short). The command reads these
files for the reason a student has no grade, instead of searching nbgrader's log for a sentence. The student's
code never sees the folder (the sandbox has no view of the course), yet the files are read like any input that
crossed a process boundary: bounded in size and number, checked field by field.

    <folder>/s-<student, %-quoted>/<notebook, %-quoted>.json   {"student", "notebook", "graded", "reason"}
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

# How a notebook the grader could not grade is reported, in nbgrader's log and in the command's summary.
NOT_GRADED = "not graded, regrade: "
MAX_VERDICT_BYTES = 16 * 1024
MAX_REASON = 4000
MAX_NOTEBOOKS = 100  # verdict files read for one student


@dataclass(frozen=True)
class Verdict:
    """What the grader concluded about one student's notebook."""

    student: str
    notebook: str
    graded: bool
    reason: str = ""  # why it was not graded (what follows NOT_GRADED); "" when graded


def student_folder(folder: str | Path, student: str) -> Path:
    """The folder of one student's verdicts (quoted and prefixed: no student id can name another folder)."""
    return Path(folder) / f"s-{quote(student, safe='')}"


def write(folder: str | Path, verdict: Verdict) -> None:
    """Write the verdict whole (a reader never sees half a file), replacing an earlier one for the same notebook."""
    path = student_folder(folder, verdict.student) / f"{quote(verdict.notebook, safe='')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({**asdict(verdict), "reason": verdict.reason[:MAX_REASON]}))
    os.replace(partial, path)


def forget(folder: str | Path, student: str) -> None:
    """Remove the student's verdicts, before a new grading of the student: they would describe an older one."""
    shutil.rmtree(student_folder(folder, student), ignore_errors=True)


def read(folder: str | Path, student: str) -> list[Verdict]:
    """The verdicts on the student's notebooks; a file too large or malformed counts as no verdict."""
    found = sorted(student_folder(folder, student).glob("*.json"))[:MAX_NOTEBOOKS]
    verdicts = [_parsed(path, student) for path in found]
    return [verdict for verdict in verdicts if verdict is not None]


def _parsed(path: Path, student: str) -> Verdict | None:
    try:
        with open(path, "rb") as file:
            text = file.read(MAX_VERDICT_BYTES + 1)
        data = json.loads(text) if len(text) <= MAX_VERDICT_BYTES else None
    except (OSError, ValueError):
        return None
    if (not isinstance(data, dict) or data.get("student") != student or type(data.get("graded")) is not bool
            or not isinstance(data.get("notebook"), str) or not isinstance(data.get("reason"), str)):
        return None
    return Verdict(student, data["notebook"][:200], data["graded"], data["reason"][:MAX_REASON])
