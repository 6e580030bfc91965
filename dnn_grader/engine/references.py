"""The course's reference functions, taken from the instructor notebooks in source/.

The solution cells of source/<assignment>/*.ipynb are the single source of truth:
the grader runs them (in its own, trusted process) to get expected answers, and
runs textual variants of them (the mistake catalogue) to recognise mistakes.
"""

from __future__ import annotations

import hashlib
import linecache
import sys
from functools import cache
from pathlib import Path

import nbformat
from nbgrader.utils import is_solution

from dnn_grader.engine.cells import grade_id_of

SETUP_PREFIX = "setup"


def notebook_path(course_root: Path, assignment: str) -> Path:
    """The one instructor notebook of an assignment."""
    notebooks = sorted((Path(course_root) / "source" / assignment).glob("*.ipynb"))
    if len(notebooks) != 1:
        raise FileNotFoundError(f"expected one notebook in source/{assignment}, found {len(notebooks)}")
    return notebooks[0]


def cell_sources(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """grade_id -> source for the setup cells and the solution cells, in notebook order."""
    sources = {}
    for cell in notebook.cells:
        grade_id = grade_id_of(cell)
        if cell.cell_type == "code" and (is_solution(cell) or grade_id.startswith(SETUP_PREFIX)):
            sources[grade_id] = cell.source
    return sources


@cache
def solution_sources(course_root: str, assignment: str) -> dict[str, str]:
    return cell_sources(nbformat.read(notebook_path(Path(course_root), assignment), as_version=4))


def apply_patches(source: str, patches: tuple[tuple[str, str], ...], label: str) -> str:
    """Replace each `old` by `new`; each `old` must occur in the source."""
    for old, new in patches:
        if old not in source:
            raise ValueError(f"{label}: the text {old!r} is not in the reference solution")
        source = source.replace(old, new)
    return source


@cache
def reference_namespace(course_root: str, assignment: str,
                        patched: tuple[str, tuple[tuple[str, str], ...]] | None = None) -> dict:
    """Run the setup and solution cells (one of them patched) in a fresh namespace."""
    namespace: dict = {"__name__": f"reference_{assignment}"}
    # The setup cell imports the top-level modules and the assignment's own (dnn_app_utils in source/application).
    added = [folder for folder in (course_root, str(Path(course_root) / "source" / assignment))
             if folder not in sys.path]
    sys.path[:0] = added
    try:
        for grade_id, source in solution_sources(course_root, assignment).items():
            if patched and grade_id == patched[0]:
                source = apply_patches(source, patched[1], f"{assignment}/{grade_id}")
            version = hashlib.blake2b(source.encode(), digest_size=4).hexdigest()  # a patched cell is another file
            filename = f"<reference {assignment}/{grade_id} {version}>"
            # kept in linecache, as IPython keeps a cell's source, so that an error can quote its line
            linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
            exec(compile(source, filename, "exec"), namespace)
    finally:
        for folder in added:
            sys.path.remove(folder)
    return namespace


def setup_cells(course_root: str, assignment: str) -> list[dict]:
    """The instructor's setup cells as [{"id", "source"}]."""
    return [{"id": grade_id, "source": source} for grade_id, source in solution_sources(course_root, assignment).items()
            if grade_id.startswith(SETUP_PREFIX)]
