"""Simulated student submissions, built from the release notebooks.

A simulated student starts from the blank release notebook, as a real one does,
and fills in the solution cells: with the reference solution, with a catalogue
variant (a correct alternative or a classic mistake), or leaves them blank.
Used by the tests, the demo class and the catalogue report.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
from nbgrader.utils import is_solution

from dnn_grader.engine.cells import grade_id_of
from dnn_grader.engine.references import apply_patches, solution_sources
from dnn_grader.specs import Variant


def release_notebook_path(course_root: Path, assignment: str) -> Path:
    notebooks = sorted((Path(course_root) / "release" / assignment).glob("*.ipynb"))
    if len(notebooks) != 1:
        raise FileNotFoundError(f"expected one notebook in release/{assignment}: run nbgrader generate_assignment")
    return notebooks[0]


def solved_notebook(course_root: Path, assignment: str, variant: Variant | None = None,
                    blank: bool = False) -> nbformat.NotebookNode:
    """The release notebook with every solution cell filled in (one of them changed by `variant`)."""
    root = Path(course_root)
    notebook = nbformat.read(release_notebook_path(root, assignment), as_version=4)
    if blank:
        return notebook
    sources = solution_sources(str(root.resolve()), assignment)
    for cell in notebook.cells:
        grade_id = grade_id_of(cell)
        if cell.cell_type == "code" and is_solution(cell) and grade_id in sources:
            source = sources[grade_id]
            if variant is not None and variant.function == grade_id:
                source = apply_patches(source, variant.patches, variant.case_id)
            cell.source = source
    return notebook


def submit(course_root: Path, student: str, assignment: str, notebook: nbformat.NotebookNode | bytes,
           name: str | None = None) -> Path:
    """Place a submission where nbgrader autograde looks: submitted/<student>/<assignment>/."""
    folder = Path(course_root) / "submitted" / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    name = name or release_notebook_path(course_root, assignment).name
    path = folder / name
    if isinstance(notebook, bytes):
        path.write_bytes(notebook)
    else:
        nbformat.write(copy.deepcopy(notebook), path)
    return path
