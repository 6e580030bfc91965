"""A scratch copy of a course, for the catalogue, the benchmarks and the tests: made, then read back.

copy_course() copies source/, the top-level modules and nbgrader_config.py (with short sandbox limits added) to
a folder of its own; scores_of() and autograded_text() read what nbgrader's autograde wrote there;
fingerprint() proves that a folder was left as it was.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from dnn_grader.evidence.scenarios import Scores
from dnn_grader.evidence.simulate import release_notebook_path

COURSE_FILES = ("dnn_utils.py", "testCases.py", "public_tests.py", "nbgrader_config.py")
# Short limits keep the batch quick: endless loops and memory bombs are among the scenarios.
TEST_LIMITS = """
c.IsolatedAutograde.function_cpu_seconds = 10.0
c.IsolatedAutograde.cell_cpu_seconds = 5.0
c.IsolatedAutograde.function_wall_seconds = 15.0
c.IsolatedAutograde.cell_wall_seconds = 10.0
c.IsolatedAutograde.memory_limit_mb = 1024
c.IsolatedAutograde.backstop_factor = 2.0
c.IsolatedAutograde.backstop_margin_seconds = 10.0
"""


def copy_course(course_root: Path, destination: Path, extra_config: str = TEST_LIMITS) -> Path:
    """A scratch copy of the course: source/ (symlinks kept), helper modules and config."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(course_root / "source", destination / "source", symlinks=True)
    for name in COURSE_FILES:
        shutil.copy(course_root / name, destination / name)
    with open(destination / "nbgrader_config.py", "a") as config:
        config.write(extra_config)
    return destination


def scores_of(course_root: Path, assignment: str, student: str, db_url: str | None = None) -> Scores:
    """function -> (score, max) from the gradebook, for one student's notebook."""
    notebook = release_notebook_path(course_root, assignment).stem
    with Gradebook(db_url or f"sqlite:///{course_root / 'gradebook.db'}") as gradebook:
        try:
            submission = gradebook.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return {}
        return {grade.name.removeprefix("test_"): (grade.score, grade.max_score) for grade in submission.grades}


def autograded_text(course_root: Path, assignment: str, student: str) -> str:
    """What the student's autograded notebook shows: every cell's source and text output, as plain text."""
    path = course_root / "autograded" / student / assignment / release_notebook_path(course_root, assignment).name
    if not path.exists():
        return ""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file below folder: proof that nothing was modified."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
