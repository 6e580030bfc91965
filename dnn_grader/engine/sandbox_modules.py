"""The course modules a student's code may import inside the sandbox.

They are the assignment's own helper modules, as nbgrader releases them: the
`.py` files of source/<assignment>/ (links resolved). Assignment 1's folder
holds no network functions (those come with the application, in
dnn_app_utils.py), so nothing has to be cut out at grading time.
"""

from __future__ import annotations

from pathlib import Path


def helper_module_paths(course_root: str | Path, assignment: str) -> list[Path]:
    """The .py files of source/<assignment>/, sorted by name."""
    return sorted((Path(course_root) / "source" / assignment).glob("*.py"))


def sandbox_modules(course_root: str, assignment: str) -> dict[str, str]:
    """File name -> source of each module to place beside the student's code."""
    return {path.name: path.read_text() for path in helper_module_paths(course_root, assignment)}
