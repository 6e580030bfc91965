"""The intake: a stand-in lives for one conversion, and the submitted files are never touched."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from dnn_grader.hooks.intake import IntakeExporter, Submission, prepare_submissions

ASSIGNMENT = "hw"
GRADER_NOTE = "**Note from the grader.**"


def graded_cell(grade_id, source, solution):
    metadata = {"nbgrader": {"grade_id": grade_id, "grade": not solution, "solution": solution, "locked": not solution,
                             "points": 0 if solution else 1, "schema_version": 3}}
    return new_code_cell(source, metadata=metadata)


def handout(answer="raise NotImplementedError()"):
    return new_notebook(cells=[graded_cell("f", f"def f():\n    {answer}\n", solution=True),
                               graded_cell("test_f", "assert f() == 1\n", solution=False)])


def tiny_course(root):
    """A course root with one assignment of one notebook, and one student's submitted folder; returns that folder."""
    (root / "nbgrader_config.py").write_text("")
    for folder in ("source", "release"):
        (root / folder / ASSIGNMENT).mkdir(parents=True)
        nbformat.write(handout(), root / folder / ASSIGNMENT / "hw.ipynb")
    submission = root / "submitted" / "s1" / ASSIGNMENT
    submission.mkdir(parents=True)
    return submission


def convert(notebooks):
    """What nbgrader does for one student: the hook on its list, then the exporter on each entry."""
    prepare_submissions(assignment=ASSIGNMENT, student="s1", notebooks=notebooks)
    return [nbformat.reads(IntakeExporter().from_filename(entry)[0], as_version=4) for entry in notebooks]


def folder_contents(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_a_broken_notebook_is_read_from_a_stand_in_and_left_as_submitted(tmp_path):
    submission = tiny_course(tmp_path)
    (submission / "hw.ipynb").write_bytes(b'{"cells": [ this is not json')
    before = folder_contents(submission)
    notebooks = [str(submission / "hw.ipynb")]
    [graded] = convert(notebooks)
    assert isinstance(notebooks[0], Submission)
    assert graded.cells[0].source.startswith(GRADER_NOTE) and "could not be read" in graded.cells[0].source
    assert folder_contents(submission) == before


def test_a_resubmitted_notebook_is_read_from_the_file_not_from_an_earlier_stand_in(tmp_path):
    """One process grading twice (formgrader does): the first run's stand-in is gone with its run."""
    submission = tiny_course(tmp_path)
    (submission / "hw.ipynb").write_bytes(b'{"cells": [ this is not json')
    convert([str(submission / "hw.ipynb")])
    nbformat.write(handout("return 1"), submission / "hw.ipynb")
    notebooks = [str(submission / "hw.ipynb")]
    [graded] = convert(notebooks)
    assert not any(GRADER_NOTE in cell.source for cell in graded.cells)
    assert "return 1" in graded.cells[0].source


def test_a_renamed_notebook_is_listed_under_the_expected_name(tmp_path):
    submission = tiny_course(tmp_path)
    nbformat.write(handout("return 1"), submission / "my work.ipynb")
    before = folder_contents(submission)
    notebooks = [str(submission / "my work.ipynb")]
    [graded] = convert(notebooks)
    assert notebooks == [str((submission / "hw.ipynb").resolve())] and notebooks[0].file.name == "my work.ipynb"
    assert "was named `my work.ipynb`" in graded.cells[0].source and "return 1" in graded.cells[1].source
    assert folder_contents(submission) == before
