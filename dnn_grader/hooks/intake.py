"""Make every submitted notebook gradable before nbgrader reads it, and never let one stop the class's batch.

nbgrader's autograde stops on a notebook it cannot read, skips a notebook whose
name it does not know, and stops the whole class's batch on nbgrader metadata it
does not expect (an unknown schema_version, an emptied "nbgrader" entry). This
module fixes that without touching the submitted files, in two steps:

- the pre-convert hook (run before each student's notebooks are converted) lists
  each notebook under the name nbgrader should grade it as (a renamed notebook
  under the assignment's name): it reads no file, so no file can make it fail;
- the exporter, which nbgrader asks for each listed notebook, is the one reader
  of a submitted file. It refuses a file over `IntakeExporter.max_notebook_mb`
  before reading it, reads at most that many bytes through a descriptor that does
  not follow symbolic links, and checks the notebook as nbformat and nbgrader's
  own metadata validator do, and against the release (every nbgrader cell has
  the release's grade_id and roles). A notebook that passes is graded as it is
  (duplicated cells stripped, deleted test cells put back). Anything else is
  graded from a stand-in: the release notebook with the code of the student's
  solution cells that can still be found, or the blank release when the file
  cannot be read at all (0 points). Every stand-in starts with a note saying
  why, which the student sees in their feedback.

How the hook talks to the exporter: nbgrader 0.9 hands the hook the list of the
student's notebook paths that it is about to convert (the converter's
`notebooks`, not a copy), and hands each entry of that list, unchanged, to the
exporter's `from_filename`. So the hook puts a `Submission` in the list: a path
(nbgrader names the graded notebook and its gradebook entry after it) that also
says which file to read. It lives as long as that list, one student's
conversion: nothing is kept between students, runs or assignments, and nothing
is written, least of all into the student's folder.
"""

from __future__ import annotations

import copy
import errno
import json
import logging
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Self

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat.v4 import new_markdown_cell
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.nbgraderformat.common import SchemaMismatchError
from nbgrader.utils import is_grade, is_solution
from traitlets import Float

from dnn_grader.course import course_root_above
from dnn_grader.engine.cells import grade_id_of
from dnn_grader.hooks.preprocessor import TEST_PREFIX

log = logging.getLogger(__name__)

DEFAULT_MAX_NOTEBOOK_MB = 32.0
MAX_JSON_DEPTH = 64  # honest notebooks nest about 8 levels; nbformat's and nbgrader's checks recurse
ROLES = ("grade", "solution", "locked", "task")  # what nbgrader's OverwriteCells cannot put right by itself


class Submission(str):
    """A listed notebook: the path nbgrader grades it as, the `file` to read, and the `notes` of the hook."""

    def __new__(cls, path: str, file: Path, notes: tuple[str, ...] = ()) -> Self:
        entry = super().__new__(cls, path)
        entry.file, entry.notes = Path(file), notes
        return entry


class NotebookRefused(ValueError):
    """nbgrader's metadata check failed on a notebook: this student only is not graded (nbgrader stops the batch
    on its own SchemaMismatchError)."""


class IntakeExporter(NotebookExporter):
    """nbgrader's notebook exporter, reading each submitted notebook through the intake."""

    max_notebook_mb = Float(DEFAULT_MAX_NOTEBOOK_MB, help="Largest submitted notebook file the grader reads, in MB "
                            "(2**20 bytes). A larger one is not parsed: it is graded as the blank assignment (0 "
                            "points) with a note that names the limit and the file's size, and the file is kept "
                            "as submitted. Parsing and grading take about six times the file's size in memory."
                            ).tag(config=True)

    def from_filename(self, filename, resources=None, **kw):
        if not isinstance(filename, Submission):  # nbgrader's own autograded copy (or a listing without the hook)
            return super().from_filename(filename, resources, **kw)
        resources = resources if resources is not None else {}
        resources.setdefault("metadata", {})
        resources["metadata"].update(name=Path(filename).stem, path=str(Path(filename).parent))
        return self.from_notebook_node(intake(filename, int(self.max_notebook_mb * 2**20)), resources, **kw)

    def from_notebook_node(self, nb, resources=None, **kw):
        try:
            return super().from_notebook_node(nb, resources, **kw)
        except SchemaMismatchError as error:  # nbgrader would stop every student's grading on it
            raise NotebookRefused(f"nbgrader's metadata check failed: {error}") from error


def prepare_submissions(assignment=None, student=None, notebooks=None, **_ignored) -> None:
    """nbgrader pre_convert_hook: list each notebook of `notebooks` as a Submission, renamed ones under their name."""
    if not notebooks:
        return
    submission = Path(notebooks[0]).parent.resolve()  # the folder; a notebook that is a symbolic link is not followed
    expected = _expected_names(_course_root(submission), submission.name)
    for index, entry in enumerate(list(notebooks)):
        path = submission / Path(entry).name
        target, notes = path, ()
        if expected and path.stem not in expected:
            missing = [n for n in expected if not (submission / f"{n}.ipynb").exists()]
            if len(missing) == 1:
                target = submission / f"{missing[0]}.ipynb"
                note = (f"Your notebook was named `{path.name}`; the assignment expects `{target.name}`. It was "
                        "graded as that notebook: please keep the original name next time.")
                notes = (note,)
        notebooks[index] = Submission(str(target), path, notes)


def intake(entry: Submission, max_bytes: int) -> nbformat.NotebookNode:
    """The notebook to grade for a listed submission: the student's, repaired, or a stand-in with a note."""
    release = _blank_release(entry)
    notes = list(entry.notes)
    data, problem = read_json(entry.file, max_bytes)
    if problem:
        notebook = release
        notes.append(f"Your submitted file `{entry.file.name}` could not be read as a notebook ({problem}). It was "
                     "graded as the blank assignment, so its functions score 0. Your file is kept unchanged: ask "
                     "your instructor to look at it.")
    else:
        notebook, problem, repairs = checked_notebook(data, release)
        notes += repairs
        if problem:
            notebook, recovered = recovered_notebook(data, release)
            notes.append(stand_in_note(entry.file.name, problem, recovered))
    if notes:
        notebook = _with_note(notebook, " ".join(notes))
        log.warning("%s: %s", entry.file, " ".join(notes))
    return notebook


def read_json(path: Path, max_bytes: int) -> tuple[object, str | None]:
    """(the file's JSON object, None), or (None, what is wrong); never reads more than max_bytes + 1 bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        return None, ("it is a symbolic link, not a file" if error.errno == errno.ELOOP
                      else f"it could not be opened: {error.strerror}")
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "it is not a regular file"
        raw = file.read(max_bytes + 1) if info.st_size <= max_bytes else b""
        if info.st_size > max_bytes or len(raw) > max_bytes:
            return None, (f"it is {max(info.st_size, len(raw)) / 2**20:.1f} MB, over the grader's limit of "
                          f"{max_bytes / 2**20:g} MB for a notebook; clear large outputs before submitting")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"it is not UTF-8 text: byte {error.start} cannot be decoded"
    del raw
    try:
        data = json.loads(text)
    except RecursionError:
        return None, f"its JSON is nested more than {MAX_JSON_DEPTH} levels deep"
    except ValueError as error:
        return None, f"it is not valid JSON: {error}"
    if not isinstance(data, dict):
        return None, f"it holds a JSON {type(data).__name__}, not a notebook object"
    return data, None


def nesting_depth(data: object) -> int:
    """How deeply JSON data nests lists and objects (a scalar: 0), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


def checked_notebook(data: dict, release: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode | None, str | None,
                                                                           list[str]]:
    """(notebook, None, notes on repairs) if nbgrader can grade `data` once repaired, else (None, why, [])."""
    if nesting_depth(data) > MAX_JSON_DEPTH:
        return None, f"its JSON is nested more than {MAX_JSON_DEPTH} levels deep", []
    notebook, problem = as_notebook(data)
    if not problem:
        problem = metadata_problem(notebook, release)
    if problem:
        return None, problem, []
    repairs = []
    if remove_duplicate_ids(notebook):
        repairs.append("Your notebook had several cells with the same nbgrader id (copied cells?). "
                       "The grader used the last copy of each.")
    restored = restore_test_cells(notebook, release)
    if restored:
        repairs.append(f"The test cells {', '.join(restored)} were missing from your notebook; "
                       "the grader put them back. Please don't delete cells.")
    try:
        MetadataValidator().validate_nb(notebook)  # what nbgrader's CheckCellMetadata runs, on the repaired notebook
    except Exception as error:  # jsonschema's, nbgrader's and Python's own errors alike
        return None, f"its nbgrader metadata are not valid: {_first_line(error)}", []
    return notebook, None, repairs


def as_notebook(data: dict) -> tuple[nbformat.NotebookNode | None, str | None]:
    """(notebook, None) if `data` is a valid nbformat 4.0 to 4.5 notebook, else (None, what is wrong)."""
    major, minor = data.get("nbformat"), data.get("nbformat_minor")
    if major != 4 or not isinstance(minor, int) or not 0 <= minor <= nbformat.v4.nbformat_minor:
        return None, (f"it says it is an nbformat {major}.{minor} notebook; the grader reads nbformat 4.0 to "
                      f"4.{nbformat.v4.nbformat_minor}")
    try:
        nbformat.validate(nbformat.from_dict(data))
    except Exception as error:  # nbformat raises several kinds of validation errors
        return None, f"it is not a valid Jupyter notebook: {_first_line(error)}"
    return nbformat.v4.to_notebook_json(data), None  # as nbformat.read has it: sources joined, transients dropped


def metadata_problem(notebook: nbformat.NotebookNode, release: nbformat.NotebookNode) -> str | None:
    """What nbgrader's metadata validator finds wrong in a cell, or where a cell's grade_id or roles (cell type,
    grade, solution, locked, task) differ from the release's; None if every nbgrader cell is as released."""
    validator = MetadataValidator()
    released = {grade_id_of(cell): roles_of(cell) for cell in release.cells if grade_id_of(cell)}
    for number, cell in enumerate(notebook.cells, start=1):
        if "nbgrader" not in cell.metadata:
            continue
        if not isinstance(cell.metadata.nbgrader, dict):
            return f"the nbgrader metadata of cell {number} are not an object"
        try:
            validator.validate_cell(cell)
        except Exception as error:  # jsonschema's, nbgrader's and Python's own errors alike
            return f"the nbgrader metadata of cell {number} are not valid: {_first_line(error)}"
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id is not None and roles_of(cell) != released.get(grade_id):
            what = "is not in the assignment" if grade_id not in released else "has other roles than released"
            return f"cell {number}, with the nbgrader id `{grade_id}`, {what}"
    return None


def roles_of(cell: nbformat.NotebookNode) -> tuple:
    """The cell's type and nbgrader roles, as the release and nbgrader's checksum know them."""
    return (cell.cell_type, *(bool(cell.metadata.get("nbgrader", {}).get(role, False)) for role in ROLES))


def recovered_notebook(data: dict, release: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[str]]:
    """The release with the source of each of its solution cells taken from the last cell of `data` (any JSON
    object) with that grade_id and a text source; returns it and the grade_ids taken."""
    wanted = {grade_id_of(cell) for cell in release.cells if cell.cell_type == "code" and is_solution(cell)}
    sources = {}
    cells = data.get("cells")
    for cell in cells if isinstance(cells, list) else []:
        grade_id, source = _field(cell, "metadata", "nbgrader", "grade_id"), _field(cell, "source")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if isinstance(grade_id, str) and grade_id in wanted and isinstance(source, str):
            sources[grade_id] = source
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        if grade_id_of(cell) in sources and is_solution(cell):
            cell.source = sources[grade_id_of(cell)]
    return notebook, [grade_id for grade_id in (grade_id_of(cell) for cell in notebook.cells) if grade_id in sources]


def stand_in_note(name: str, problem: str, recovered: list[str]) -> str:
    graded = (f"The grader took the code of your solution cells ({', '.join(recovered)}) into the blank assignment "
              "and graded that; nothing else of your notebook was used." if recovered else
              "No solution cell of yours could be found in it, so it was graded as the blank assignment: its "
              "functions score 0.")
    return (f"Your notebook `{name}` could not be graded as submitted ({problem}). {graded} Your file is kept "
            "unchanged; to avoid this, do not edit cell metadata or copy cells between notebooks.")


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


def _field(value: object, *keys: str) -> object:
    """value[keys[0]][keys[1]]... where each step is a JSON object holding the key; else None."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _first_line(error: Exception) -> str:
    lines = str(error).splitlines()
    return (lines[0] if lines else type(error).__name__)[:200]


def _course_root(submission: Path) -> Path:
    """The course root above submitted/<student>/<assignment>/; without nbgrader_config.py, three levels up."""
    return course_root_above(submission.parent) or submission.parents[2]


def _expected_names(course_root: Path, assignment: str) -> list[str]:
    return sorted(p.stem for p in (course_root / "source" / assignment).glob("*.ipynb"))


def _blank_release(entry: Submission) -> nbformat.NotebookNode:
    """The release notebook that `entry` is graded as."""
    path = Path(entry)
    release = _course_root(path.parent) / "release" / path.parent.name / path.name
    return nbformat.read(release, as_version=4)


def _with_note(notebook: nbformat.NotebookNode, note: str) -> nbformat.NotebookNode:
    cell = new_markdown_cell(f"**Note from the grader.** {note}", metadata={"grader_note": True})
    if notebook.nbformat_minor < 5:  # cell ids came with nbformat 4.5
        del cell["id"]
    notebook.cells.insert(0, cell)
    return notebook
