"""Make every submitted notebook gradable before nbgrader reads it.

nbgrader's autograde stops on a notebook it cannot read, skips a notebook whose
name it does not know, and stops the whole class's batch on a notebook with
duplicated cell ids. This module fixes that without touching the submitted
files: the pre-convert hook (run before each student's notebooks are converted)
decides, for each notebook, whether a stand-in is needed, and the exporter that
nbgrader uses to read notebooks hands out the stand-in in place of the file.
Each stand-in starts with a note that the student sees in their feedback.

How the stand-in gets from the hook to the exporter: nbgrader 0.9 hands the
hook one thing of its own, the list of the student's notebook paths that it is
about to convert (the converter's `notebooks`, not a copy), and hands each entry
of that list, unchanged, to the exporter's `from_filename`. So the hook puts a
`StandIn` in the list: a path (nbgrader names the graded notebook and its
gradebook entry after it) that also holds the notebook to read. It lives as long
as that list, one student's conversion: nothing is kept between students, runs or
assignments (formgrader autogrades in one long-lived process), and nothing is
written, least of all into the student's folder.
"""

from __future__ import annotations

import copy
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Self

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat.v4 import new_markdown_cell
from nbgrader.utils import is_grade, is_solution

from dnn_grader.engine.cells import grade_id_of
from dnn_grader.hooks.preprocessor import TEST_PREFIX

log = logging.getLogger(__name__)


class StandIn(str):
    """A submitted notebook's path (the file may not exist) with the notebook nbgrader should read instead."""

    def __new__(cls, path: str, notebook: nbformat.NotebookNode) -> Self:
        stand_in = super().__new__(cls, path)
        stand_in.notebook = notebook
        return stand_in


class IntakeExporter(NotebookExporter):
    """nbgrader's notebook exporter, reading the stand-in where the hook listed one."""

    def from_filename(self, filename, resources=None, **kw):
        if not isinstance(filename, StandIn):
            return super().from_filename(filename, resources, **kw)
        resources = resources if resources is not None else {}
        resources.setdefault("metadata", {})
        resources["metadata"].update(name=Path(filename).stem, path=str(Path(filename).parent))
        return self.from_notebook_node(copy.deepcopy(filename.notebook), resources, **kw)


def prepare_submissions(assignment=None, student=None, notebooks=None, **_ignored) -> None:
    """nbgrader pre_convert_hook: list stand-ins for unreadable, renamed or duplicated notebooks in `notebooks`."""
    if not notebooks:
        return
    submission = Path(notebooks[0]).resolve().parent
    course_root = _course_root(submission)
    expected = _expected_names(course_root, submission.name)
    for index, path in enumerate(list(notebooks)):
        path = Path(path).resolve()
        target = path
        notes = []
        if expected and path.stem not in expected:
            missing = [n for n in expected if not (submission / f"{n}.ipynb").exists()]
            if len(missing) == 1:
                target = submission / f"{missing[0]}.ipynb"
                notes.append(f"Your notebook was named `{path.name}`; the assignment expects `{target.name}`. "
                             "It was graded as that notebook: please keep the original name next time.")
        notebook, problem = read_notebook(path)
        if problem:
            notebook = _blank_release(course_root, submission.name, target.stem)
            notes.append(f"Your submitted file `{path.name}` could not be read as a notebook ({problem}). "
                         "It was graded as the blank assignment, so its functions score 0. Your file is kept "
                         "unchanged: ask your instructor to look at it.")
        else:
            if remove_duplicate_ids(notebook):
                notes.append("Your notebook had several cells with the same nbgrader id (copied cells?). "
                             "The grader used the last copy of each.")
            restored = restore_test_cells(notebook, _blank_release(course_root, submission.name, target.stem))
            if restored:
                notes.append(f"The test cells {', '.join(restored)} were missing from your notebook; "
                             "the grader put them back. Please don't delete cells.")
        if notes:
            notebooks[index] = StandIn(str(target), _with_note(notebook, " ".join(notes)))
            log.warning("%s: %s", path, " ".join(notes))


def remove_duplicate_ids(notebook: nbformat.NotebookNode) -> bool:
    """Strip the nbgrader metadata of all but the last cell of each grade_id; True if any was found."""
    counts = Counter(grade_id_of(cell) for cell in notebook.cells if grade_id_of(cell))
    duplicated = {grade_id for grade_id, count in counts.items() if count > 1}
    for cell in notebook.cells:
        grade_id = grade_id_of(cell)
        if grade_id in duplicated and counts[grade_id] > 1:
            counts[grade_id] -= 1
            del cell.metadata["nbgrader"]
    return bool(duplicated)


def restore_test_cells(notebook: nbformat.NotebookNode, release: nbformat.NotebookNode) -> list[str]:
    """Put back the release's graded test cells that the student deleted; return their ids."""
    present = {grade_id_of(cell) for cell in notebook.cells}
    restored = []
    for cell in release.cells:
        grade_id = grade_id_of(cell)
        if not is_grade(cell) or is_solution(cell) or grade_id in present:
            continue
        solution = grade_id.removeprefix(TEST_PREFIX)
        positions = [i for i, c in enumerate(notebook.cells) if grade_id_of(c) == solution]
        notebook.cells.insert(positions[-1] + 1 if positions else len(notebook.cells), copy.deepcopy(cell))
        restored.append(grade_id)
    return restored


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, str | None]:
    """(notebook, None) if the file is a valid notebook, else (None, what is wrong)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"it is not UTF-8 text: byte {error.start} cannot be decoded"
    try:
        data = json.loads(text)
    except ValueError as error:
        return None, f"it is not valid JSON: {error}"
    try:
        notebook = nbformat.from_dict(data)
        nbformat.validate(notebook)
        if notebook.nbformat != 4:
            return None, f"it is an nbformat {notebook.nbformat} notebook; version 4 is needed"
    except Exception as error:  # nbformat raises several kinds of validation errors
        return None, f"it is not a valid Jupyter notebook: {str(error).splitlines()[0]}"
    return notebook, None


def _course_root(submission: Path) -> Path:
    """submitted/<student>/<assignment>/ lies three levels below the course root."""
    for folder in submission.resolve().parents:
        if (folder / "nbgrader_config.py").exists():
            return folder
    return submission.resolve().parents[2]


def _expected_names(course_root: Path, assignment: str) -> list[str]:
    return sorted(p.stem for p in (course_root / "source" / assignment).glob("*.ipynb"))


def _blank_release(course_root: Path, assignment: str, name: str) -> nbformat.NotebookNode:
    release = course_root / "release" / assignment / f"{name}.ipynb"
    return nbformat.read(release, as_version=4)


def _with_note(notebook: nbformat.NotebookNode, note: str) -> nbformat.NotebookNode:
    staged = nbformat.reads(nbformat.writes(notebook), as_version=4)
    staged.cells.insert(0, new_markdown_cell(f"**Note from the grader.** {note}", metadata={"grader_note": True}))
    return staged
