"""A new assignment arrives as files only: a folder of source/ with its notebook and its instructor/spec.py.

A copy of the course gets a small fourth assignment (one graded function, two hidden cases, one catalogued mistake)
and nothing else: no file of the course is edited. Then nbgrader's own commands and the course's run on it as an
instructor would: generate, autograde a correct and a mistaken submission (an honest student before and after),
feedback, the class report and the catalogue. The correct one gets full marks, the mistake is named in the feedback
and counted in the report.
"""

import csv
import hashlib
import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dnn_grader import course as course_layout
from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli, report
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence import catalogue
from dnn_grader.evidence.scratch_course import autograded_text, copy_course, scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")

NAME = "fourth"
FUNCTION = "mean_squared_error"
SOLUTION = textwrap.dedent('''\
    def mean_squared_error(A, Y):
        """A, Y (1, m) -> the mean of the squared differences, a float."""
        ### BEGIN SOLUTION
        cost = float(np.mean((A - Y) ** 2))
        ### END SOLUTION
        return cost
    ''')
SPEC = textwrap.dedent('''\
    """The specs of a small fourth assignment: one function, two hidden cases, one classic mistake."""

    from dnn_grader.specs import Case, FunctionSpec, mistake

    POSITION = 4
    TITLE = "A fourth assignment"
    DATA = ()


    def cases(rng):
        return [Case(f"m = {m}", (rng.standard_normal((1, m)), rng.standard_normal((1, m)))) for m in (5, 9)]


    SPECS = [
        FunctionSpec("fourth", "mean_squared_error", ("cost",), cases, mistakes=(
            mistake("summed", ("np.mean(", "np.sum("), hint="the cost is m times too large: take the mean, not the sum."),
        )),
    ]
    ''')
HINT = "the cost is m times too large: take the mean, not the sum."
CLASS = {"a-honest": None, "b-summed": "summed", "c-honest": None}


def fourth_notebook() -> nbformat.NotebookNode:
    """The instructor notebook: a setup cell, the solution cell, a test cell with its public check and hidden tests."""
    def cell(source, grade_id, **flags):
        made = new_code_cell(source)
        made.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "task": False,
                                     "grade": False, "solution": False, "locked": True, **flags}
        return made

    test = ("assert abs(mean_squared_error(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]])) - 2.5) < 1e-9\n"
            f"### BEGIN HIDDEN TESTS\nfrom dnn_grader.engine.in_kernel import run_hidden_checks\n"
            f"run_hidden_checks({NAME!r}, {FUNCTION!r}, globals())\n### END HIDDEN TESTS\n")
    notebook = new_notebook(cells=[
        new_markdown_cell("# A fourth assignment\nWrite `mean_squared_error(A, Y)`."),
        cell("import numpy as np", "setup"),
        cell(SOLUTION, FUNCTION, solution=True, locked=False),
        cell(test, f"test_{FUNCTION}", grade=True, points=2),
    ])
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return notebook


def fingerprints(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


def add_fourth_assignment(course: Path) -> None:
    """The new files, and only them."""
    folder = course / "source" / NAME
    (folder / course_layout.INSTRUCTOR_FOLDER).mkdir(parents=True)
    nbformat.write(fourth_notebook(), folder / "A_fourth_assignment.ipynb")
    (folder / course_layout.INSTRUCTOR_FOLDER / course_layout.SPEC_FILE).write_text(SPEC)


@pytest.fixture(scope="module")
def graded_fourth(tmp_path_factory) -> Path:
    course = copy_course(REPO, tmp_path_factory.mktemp("new-assignment") / "course")
    before = fingerprints(course)
    add_fourth_assignment(course)
    after = fingerprints(course)
    assert {name: digest for name, digest in after.items() if name in before} == before, "an existing file changed"
    assert all(name.startswith(f"source/{NAME}/") for name in set(after) - set(before))
    nbgrader_cli.run_checked(course, "generate_assignment", NAME, "--force")
    mistake = next(v for v in specs.load(NAME, course)[0].mistakes if v.name == "summed")
    for student, kind in CLASS.items():
        submit(course, student, NAME, solved_notebook(course, NAME, mistake if kind else None))
    nbgrader_cli.run_checked(course, "autograde", NAME)
    nbgrader_cli.run_checked(course, "generate_feedback", NAME)
    return course


def test_it_is_discovered_and_its_grading_is_not_released(graded_fourth):
    assert specs.known_assignments(graded_fourth)[-1] == NAME
    assert specs.known_assignments(graded_fourth)[:-1] == specs.known_assignments(REPO)
    released = {path.name for path in (graded_fourth / "release" / NAME).rglob("*")}
    assert "A_fourth_assignment.ipynb" in released and course_layout.INSTRUCTOR_FOLDER not in released
    assert "np.mean" not in (graded_fourth / "release" / NAME / "A_fourth_assignment.ipynb").read_text()


def test_correct_gets_full_marks_and_the_mistake_is_named(graded_fourth):
    for student, kind in CLASS.items():
        scores = scores_of(graded_fourth, NAME, student)
        assert scores[FUNCTION] == ((0.0, 2.0) if kind else (2.0, 2.0)), (student, scores)
    assert f"Likely cause: {HINT}" in autograded_text(graded_fourth, NAME, "b-summed")
    feedback = next((graded_fourth / "feedback" / "b-summed" / NAME).glob("*.html")).read_text()
    assert "take the mean, not the sum" in feedback


def test_the_class_report_counts_the_mistake(graded_fourth):
    out = graded_fourth / "reports" / NAME
    assert report.main([NAME, "--course-root", str(graded_fourth), "--out", str(out)]) == 0
    rows = list(csv.DictReader((out / report.page.CSV_NAME).open()))
    mistakes = {row["student_id"]: (row["mistake"], row["mistake_hint"]) for row in rows if row["function"] == FUNCTION}
    assert mistakes == {"a-honest": ("", ""), "b-summed": (f"{FUNCTION}:summed", HINT), "c-honest": ("", "")}, mistakes
    assert HINT in (out / "index.html").read_text()


def test_the_catalogue_checks_it(graded_fourth, capsys):
    status = catalogue.main(["--course-root", str(graded_fourth), "--only", FUNCTION])
    printed = capsys.readouterr().out
    assert f"{FUNCTION}:summed" in printed and status == 0, printed[-3000:]
    assert "1 of 1 cases as expected" in printed, printed[-3000:]
