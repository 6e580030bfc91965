"""Crafted notebooks never stop a class's grading: each is graded (its solution code, or 0 with a note).

A class of honest students with crafted notebooks between them (nbgrader metadata of unknown or missing
schema_version, an empty "nbgrader" entry, wrong types, missing or invented grade_ids, raw and unknown cell types,
attachments, other nbformat versions, deep nesting, JSON that is not a notebook) is autograded through nbgrader
for real: serially (`nbgrader autograde ASSIGNMENT`, as the README says) and with `dnn-grader autograde --workers 2`.
"""

import copy
import json

import pytest
from conftest import released_course

from dnn_grader.commands import nbgrader_cli
from dnn_grader.commands.parallel import grade_class, graded_students
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import autograded_text, fingerprint, scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
GRADER_NOTE = "Note from the grader."
FULL, ZERO = "full marks, with a note", "0, with a note"


def cell_of(notebook, grade_id):
    return next(cell for cell in notebook["cells"] if grade_id_of_json(cell) == grade_id)


def grade_id_of_json(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") if isinstance(cell, dict) else None


def nbgrader_of(notebook, grade_id):
    return cell_of(notebook, grade_id)["metadata"]["nbgrader"]


def schema_too_new(nb):
    nbgrader_of(nb, "linear_forward")["schema_version"] = 4


def empty_nbgrader_entry(nb):
    cell_of(nb, "test_linear_forward")["metadata"]["nbgrader"] = {}


def no_schema_version(nb):
    del nbgrader_of(nb, "test_compute_cost")["schema_version"]


def wrong_types(nb):
    nbgrader_of(nb, "test_linear_forward").update(grade="yes", points="many")
    nbgrader_of(nb, "compute_cost")["solution"] = 1


def grade_id_missing(nb):
    del nbgrader_of(nb, "test_linear_backward")["grade_id"]


def solution_cell_as_raw_with_attachment(nb):
    cell = cell_of(nb, "linear_backward")
    cell.update(cell_type="raw", attachments={"x.png": {"image/png": "iVBORw0KGgo="}})
    del cell["outputs"], cell["execution_count"]


def unknown_cell_type(nb):
    nb["cells"].insert(3, {"cell_type": "weird", "id": "weird-1", "metadata": {}, "source": "?"})


def attachment_on_a_code_cell(nb):
    cell_of(nb, "compute_cost")["attachments"] = {"x.png": {"image/png": "iVBORw0KGgo="}}


def check_cell_marked_as_solution(nb):
    nbgrader_of(nb, "test_linear_forward")["solution"] = True


def invented_grade_cell(nb):
    nb["cells"].append({"cell_type": "code", "id": "bonus-1", "execution_count": None, "outputs": [],
                        "source": "pass", "metadata": {"nbgrader": {
                            "grade": True, "solution": False, "locked": True, "points": 100, "grade_id": "bonus",
                            "schema_version": 3}}})


def duplicated_grade_id_of_another_role(nb):
    copied = copy.deepcopy(cell_of(nb, "test_L_model_forward"))
    copied.update(id="copy-1", source="")
    copied["metadata"]["nbgrader"].update(grade_id="linear_forward")
    nb["cells"].insert(0, copied)


def nbformat_5(nb):
    nb["nbformat"] = 5


def nbformat_minor_99(nb):
    nb["nbformat_minor"] = 99


def deep_metadata(nb):
    nested = {}
    for _ in range(300):
        nested = {"a": nested}
    nb["metadata"]["deep"] = nested


CRAFTED = [  # (name, change to the solved notebook's JSON or the bytes submitted, expected grade)
    ("schema-too-new", schema_too_new, FULL),
    ("empty-nbgrader", empty_nbgrader_entry, FULL),
    ("no-schema-version", no_schema_version, FULL),
    ("wrong-types", wrong_types, FULL),
    ("grade-id-missing", grade_id_missing, FULL),
    ("raw-solution-cell", solution_cell_as_raw_with_attachment, FULL),
    ("unknown-cell-type", unknown_cell_type, FULL),
    ("code-attachment", attachment_on_a_code_cell, FULL),
    ("test-as-solution", check_cell_marked_as_solution, FULL),
    ("invented-grade-cell", invented_grade_cell, FULL),
    ("duplicate-other-role", duplicated_grade_id_of_another_role, FULL),
    ("nbformat-5", nbformat_5, FULL),
    ("nbformat-4-99", nbformat_minor_99, FULL),
    ("deep-metadata", deep_metadata, FULL),
    ("deeper-than-python", b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", ZERO),
    ("json-list", b"[1, 2, 3]", ZERO),
    ("broken-json", b'{"cells": [ not json', ZERO),
]


def crafted_bytes(course, change):
    if isinstance(change, bytes):
        return change
    notebook = json.loads(json.dumps(solved_notebook(course, ASSIGNMENT)))
    change(notebook)
    return json.dumps(notebook).encode()


def make_class(course):
    """Honest students first, last and between the crafted ones (nbgrader grades in name order);
    returns student -> expected grade."""
    solved = solved_notebook(course, ASSIGNMENT)
    kinds = [("honest", solved, "full marks")] * 2
    for index, crafted in enumerate(CRAFTED):
        kinds += [crafted] + ([("honest", solved, "full marks")] if index % 6 == 5 else [])
    kinds.append(("honest", solved, "full marks"))
    expected = {}
    for number, (name, change, grade) in enumerate(kinds):
        student = f"s{number:02d}-{name}"
        submit(course, student, ASSIGNMENT, solved if change is solved else crafted_bytes(course, change))
        expected[student] = grade
    return expected


def check_class(course, expected):
    ungraded = set(expected) - graded_students(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT, list(expected))
    assert not ungraded, f"not graded: {sorted(ungraded)}"
    for student, grade in expected.items():
        scores = scores_of(course, ASSIGNMENT, student)
        got, top = sum(s for s, _ in scores.values()), sum(t for _, t in scores.values())
        text = autograded_text(course, ASSIGNMENT, student)
        if grade == "full marks":
            assert got == top and GRADER_NOTE not in text, (student, got, top)
        else:
            assert got == (top if grade == FULL else 0), (student, got, top)
            assert GRADER_NOTE in text and ("could not be graded as submitted" in text) == (grade == FULL), student


@pytest.fixture
def course(tmp_path):
    return released_course(tmp_path, ASSIGNMENT)


def test_nbgrader_autograde_grades_every_crafted_notebook_and_the_whole_class(course):
    expected = make_class(course)
    submitted = fingerprint(course / "submitted")
    result = nbgrader_cli.run(course, "autograde", ASSIGNMENT)
    check_class(course, expected)
    assert result.returncode == 0, result.stderr[-3000:]
    assert fingerprint(course / "submitted") == submitted


def test_two_workers_grade_every_crafted_notebook_and_the_whole_class(course):
    expected = make_class(course)
    submitted = fingerprint(course / "submitted")
    result = grade_class(course, ASSIGNMENT, workers=2, quiet=True)
    assert result.failed == {} and result.graded == sorted(expected)
    check_class(course, expected)
    assert fingerprint(course / "submitted") == submitted
