"""Grading a class in parallel: SQLite by default, PostgreSQL and Dask for big courses."""

import contextlib
import os
import shutil
import subprocess
import sys

import pytest
from conftest import released_course
from nbgrader.api import Gradebook, MissingEntry

from dnn_grader.commands import nbgrader_cli
from dnn_grader.commands.parallel import grade_class
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit
from dnn_grader.specs import MISTAKES

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
MISTAKE = next(v for v in MISTAKES if v.case_id == "linear_backward:no_mean_dW")


def make_class(course, size):
    """size students: correct, blank and one classic mistake, in turn; returns student -> expected total."""
    expected = {}
    for index in range(size):
        student = f"student{index:02d}"
        kind = index % 3
        notebook = solved_notebook(course, ASSIGNMENT, MISTAKE if kind == 2 else None, blank=kind == 1)
        submit(course, student, ASSIGNMENT, notebook)
        expected[student] = kind
    return expected


def total(scores):
    return sum(score for score, _ in scores.values()), sum(top for _, top in scores.values())


def check_grades(course, expected, db_url=None):
    for student, kind in expected.items():
        got, top = total(scores_of(course, ASSIGNMENT, student, db_url))
        assert {0: got == top, 1: got == 0, 2: 0 < got < top}[kind], (student, kind, got)


@pytest.fixture
def course(tmp_path):
    return released_course(tmp_path, ASSIGNMENT)


def test_two_workers_grade_a_class_into_sqlite_consistently(course):
    expected = make_class(course, 12)
    empty = course / "submitted" / "student-without-notebook" / ASSIGNMENT
    empty.mkdir(parents=True)
    result = grade_class(course, ASSIGNMENT, workers=2, quiet=True)
    assert result.graded == sorted(expected)
    assert list(result.failed) == ["student-without-notebook"]  # reported, and nobody else affected
    check_grades(course, expected)
    shutil.rmtree(empty.parent)


def test_a_class_is_graded_into_postgresql_by_several_workers(course, postgres_url):
    assert nbgrader_cli.run(course, "generate_assignment", ASSIGNMENT, "--force",
                    f"--CourseDirectory.db_url={postgres_url}").returncode == 0
    expected = make_class(course, 9)
    result = grade_class(course, ASSIGNMENT, workers=3, db_url=postgres_url, quiet=True)
    assert result.failed == {} and result.graded == sorted(expected)
    check_grades(course, expected, postgres_url)


def test_dask_workers_grade_into_postgresql(course, postgres_url):
    pytest.importorskip("dask.distributed")
    db_url = postgres_url.rsplit("/", 1)[0] + "/postgres"  # a second database: no interference with the test above
    assert nbgrader_cli.run(course, "generate_assignment", ASSIGNMENT, "--force",
                    f"--CourseDirectory.db_url={db_url}").returncode == 0
    expected = make_class(course, 6)
    result = grade_class(course, ASSIGNMENT, workers=2, db_url=db_url, dask="local", quiet=True)
    assert result.failed == {} and result.graded == sorted(expected)
    check_grades(course, expected, db_url)


@contextlib.contextmanager
def every_core_kept_busy(per_core=2):
    """Other work on the machine: `per_core` endless loops per core, for as long as the block runs."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(per_core * (os.cpu_count() or 1))]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def test_a_busy_machine_costs_no_student_points(course):
    expected = make_class(course, 6)
    with every_core_kept_busy():
        result = grade_class(course, ASSIGNMENT, workers=2, quiet=True)
    assert result.failed == {} and result.graded == sorted(expected)
    check_grades(course, expected)


def test_a_grading_the_grader_cuts_short_is_retried_and_never_recorded_as_a_zero(course):
    """With wall-clock deadlines far too short for anybody, no student gets a grade: all are 'not graded, regrade'."""
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.IsolatedAutograde.backstop_factor = 0.0\nc.IsolatedAutograde.backstop_margin_seconds = 0.05\n")
    expected = make_class(course, 2)
    result = grade_class(course, ASSIGNMENT, workers=1, quiet=True)
    assert result.graded == []
    assert sorted(result.failed) == sorted(expected)
    for student, reason in result.failed.items():
        assert reason.startswith("not graded, regrade: "), (student, reason)
        assert "too busy" in reason or "did not start" in reason or "could not run" in reason, reason
        assert recorded_auto_scores(course, student) == set()  # no score at all, in particular no zero


def recorded_auto_scores(course, student):
    """The autograder's scores recorded for the student's notebook (None means: not graded)."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            submission = gradebook.find_submission(ASSIGNMENT, student)
        except MissingEntry:
            return set()
        return {grade.auto_score for notebook in submission.notebooks for grade in notebook.grades} - {None}
