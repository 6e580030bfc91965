"""An instructor's whole cycle with nbgrader's own commands, offline, in a scratch copy of the course.

Roster from CSV -> release -> collect an LMS download (zip_collect, files named by student id, one of them
late) -> autograde -> a submission in formgrader -> feedback -> grades as CSV, with the late penalty applied.
"""

import csv
import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, formgrader

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import copy_course
from dnn_grader.evidence.simulate import release_notebook_path, solved_notebook
from dnn_grader.specs import MISTAKES

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
DUE = "2026-12-11 23:59:00 UTC"
ROSTER = [  # id, first name, last name, email, what they hand in, when (None: no time in the file name)
    ("s1001", "Ada", "Lovelace", "ada@example.org", "solution", "20261210T120000"),
    ("s1002", "Alan", "Turing", "alan@example.org", "mistake", "20261213T120000"),  # 1.5 days late
    ("s1003", "Grace", "Hopper", "grace@example.org", "blank", None),
]
MISTAKE = next(v for v in MISTAKES if v.case_id == "linear_backward:no_mean_dW")


def run(course, *args):
    result = nbgrader_cli.run(course, *args)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course taken from roster to autograded submissions, as the README's instructor path does it."""
    course = copy_course(REPO, tmp_path_factory.mktemp("cycle") / "course",
                         extra_config=f'\nc.RecordDueDates.due_dates = {{"{ASSIGNMENT}": "{DUE}"}}\n')
    with open(course / "roster.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email"])
        writer.writerows(row[:4] for row in ROSTER)
    run(course, "db", "student", "import", "roster.csv")
    run(course, "generate_assignment", ASSIGNMENT)
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    notebook_name = release_notebook_path(course, ASSIGNMENT).name
    work = {"solution": solved_notebook(course, ASSIGNMENT), "mistake": solved_notebook(course, ASSIGNMENT, MISTAKE),
            "blank": solved_notebook(course, ASSIGNMENT, blank=True)}
    with zipfile.ZipFile(archive / "lms_download.zip", "w") as lms:
        for student, *_, kind, when in ROSTER:
            name = "_".join(filter(None, (student, when, notebook_name)))
            lms.writestr(name, nbformat.writes(work[kind]))
    run(course, "zip_collect", ASSIGNMENT)
    run(course, "autograde", ASSIGNMENT)
    return course


def test_roster_is_imported(graded_course):
    listing = run(graded_course, "db", "student", "list")
    for student, first, last, email, *_ in ROSTER:
        assert student in listing and first in listing and last in listing and email in listing


def test_zip_collect_files_each_submission_under_its_student_with_its_time(graded_course):
    for student, *_, when in ROSTER:
        folder = graded_course / "submitted" / student / ASSIGNMENT
        assert (folder / release_notebook_path(graded_course, ASSIGNMENT).name).is_file()
        assert (folder / "timestamp.txt").exists() == (when is not None)
    assert (graded_course / "submitted" / "s1002" / ASSIGNMENT / "timestamp.txt").read_text().startswith(
        "2026-12-13 12:00:00")


def exported_grades(course):
    run(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}


def test_grades_export_with_late_penalty(graded_course):
    grades = exported_grades(graded_course)
    assert set(grades) == {row[0] for row in ROSTER}
    top = float(grades["s1001"]["max_score"])
    assert float(grades["s1001"]["score"]) == top > 0 and float(grades["s1001"]["late_submission_penalty"]) == 0
    assert float(grades["s1003"]["score"]) == 0
    assert grades["s1002"]["first_name"] == "Alan"
    # 1.5 days after the due date: two days started, 10% of the notebook's score each.
    raw = float(grades["s1002"]["raw_score"])
    assert 0 < raw < top
    assert float(grades["s1002"]["late_submission_penalty"]) == pytest.approx(0.2 * raw)
    assert float(grades["s1002"]["score"]) == pytest.approx(0.8 * raw)


def test_feedback_says_what_failed_without_hidden_tests_or_solutions(graded_course):
    run(graded_course, "generate_feedback", ASSIGNMENT)
    given = release_notebook_path(graded_course, ASSIGNMENT).read_text()  # e.g. dAL's formula is taught
    solution_lines = {line.strip() for line in solution_code(REPO) if len(line.strip()) > 20} - {
        line for line in map(str.strip, solution_code(REPO)) if json.dumps(line)[1:-1] in given}
    for student, *_ in ROSTER:
        pages = list((graded_course / "feedback" / student / ASSIGNMENT).glob("*.html"))
        assert len(pages) == 1, student
        html = pages[0].read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "run_hidden_checks" not in html
        if student == "s1003":  # the blank notebook: the feedback must not show the reference solution
            leaked = [line for line in solution_lines if html_escape(line) in html]
            assert not leaked, leaked
    mistaken = next((graded_course / "feedback" / "s1002" / ASSIGNMENT).glob("*.html")).read_text()
    assert "divide by m" in mistaken


def solution_code(course_root: Path) -> list[str]:
    source = nbformat.read(next((course_root / "source" / ASSIGNMENT).glob("*.ipynb")), as_version=4)
    lines, inside = [], False
    for cell in source.cells:
        for line in cell.source.splitlines():
            inside = (inside or "### BEGIN SOLUTION" in line) and "### END SOLUTION" not in line
            if inside and "### BEGIN SOLUTION" not in line:
                lines.append(line)
    return lines


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def test_formgrader_shows_a_graded_submission(graded_course):
    with formgrader(graded_course) as get:
        submissions = {s["student"]: s for s in json.loads(get(f"/formgrader/api/submitted_notebooks/{ASSIGNMENT}/"
                                                              + release_notebook_path(graded_course, ASSIGNMENT).stem))}
        assert set(submissions) == {row[0] for row in ROSTER}
        assert submissions["s1001"]["score"] == submissions["s1001"]["max_score"] > 0
        page = get(f"/formgrader/submissions/{submissions['s1002']['id']}/")
        assert "linear_backward" in page and "dW" in page
