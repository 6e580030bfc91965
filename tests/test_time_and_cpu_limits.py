"""A submission's time and CPU: whatever its code does, it is graded, and only its own functions pay.

Hostile students between honest ones, autograded through nbgrader for real in a scratch course with short
limits: a cell that sleeps then spins, a 5 MB comment, a cell that forks spinners, functions that all sleep.
Each is graded (no "not graded, regrade"), loses only what did not finish or did not run, with a sentence that
names the limit, and the honest students around them keep full marks. Nothing here measures the machine's
speed: the limits are counted in CPU seconds and in wall-clock seconds a busy machine does not use up.
"""

import re

import pytest
from conftest import REPO

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.control_group import ControlGroup
from dnn_grader.engine.sandbox import MAX_CELL_BYTES, bwrap_available
from dnn_grader.evidence.scratch_course import autograded_text, copy_course, scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
LIMITS = """
c.IsolatedAutograde.function_cpu_seconds = 3.0
c.IsolatedAutograde.cell_cpu_seconds = 3.0
c.IsolatedAutograde.function_wall_seconds = 4.0
c.IsolatedAutograde.cell_wall_seconds = 4.0
c.IsolatedAutograde.submission_seconds = 14.0
c.IsolatedAutograde.backstop_factor = 6.0
c.IsolatedAutograde.backstop_margin_seconds = 30.0
"""
SLEEPS_THEN_SPINS = "\nimport time\ntime.sleep(3.9)\nwhile True:\n    pass\n"
FORKS_SPINNERS = """
import os, time
for _ in range(2):
    try:
        if os.fork() == 0:
            os.setsid()
            while True:
                pass
    except OSError:
        pass
time.sleep(3.5)
"""
SLEEPS_FOREVER = "    import time\n    time.sleep(10**6)\n"


def with_cell_suffix(notebook, function, suffix):
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function)
    cell.source += suffix
    return notebook


def every_function_sleeps(notebook):
    for cell in notebook.cells:
        source = cell.source
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = re.sub(r"(def \w+\(.*?\):\n(?:    \"\"\"[\s\S]*?\"\"\"\n)?)", r"\1" + SLEEPS_FOREVER,
                                 source, count=1)
    return notebook


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = copy_course(REPO, tmp_path_factory.mktemp("limits") / "course", extra_config=LIMITS)
    nbgrader_cli.run_checked(course, "generate_assignment", ASSIGNMENT)
    solved = solved_notebook(course, ASSIGNMENT)
    students = {
        "a-honest": solved_notebook(course, ASSIGNMENT),
        "b-sleeps-then-spins": with_cell_suffix(solved_notebook(course, ASSIGNMENT), "linear_forward",
                                                SLEEPS_THEN_SPINS),
        "c-huge-comment": with_cell_suffix(solved_notebook(course, ASSIGNMENT), "compute_cost",
                                           "\n# " + "x" * (5 * 1024**2) + "\n"),
        "d-forks-spinners": with_cell_suffix(solved_notebook(course, ASSIGNMENT), "linear_backward", FORKS_SPINNERS),
        "e-every-function-sleeps": every_function_sleeps(solved_notebook(course, ASSIGNMENT)),
        "f-honest": solved,
    }
    for student, notebook in students.items():
        submit(course, student, ASSIGNMENT, notebook)
    result = nbgrader_cli.run(course, "autograde", ASSIGNMENT)
    return course, result.stdout + result.stderr


def scores(course, student):
    found = scores_of(course, ASSIGNMENT, student)
    assert found, f"{student} was not graded"
    assert all(score is not None for score, _ in found.values()), f"{student} has a function with no score: {found}"
    return found


def lost(found):
    return {function for function, (score, top) in found.items() if score < top}


def test_honest_students_around_the_hostile_ones_keep_full_marks(graded_class):
    course, log = graded_class
    for student in ("a-honest", "f-honest"):
        assert lost(scores(course, student)) == set(), student
    assert "not graded, regrade" not in log


def test_a_cell_that_sleeps_then_spins_is_the_students_and_costs_only_its_function(graded_class):
    course, _ = graded_class
    assert lost(scores(course, "b-sleeps-then-spins")) == {"linear_forward"}
    text = autograded_text(course, ASSIGNMENT, "b-sleeps-then-spins")
    assert "the cell that defines it was stopped: did not finish within" in text
    assert "too busy" not in text


def test_a_huge_cell_is_not_run_and_said_so_with_the_limit(graded_class):
    course, _ = graded_class
    assert lost(scores(course, "c-huge-comment")) == {"compute_cost"}
    text = autograded_text(course, ASSIGNMENT, "c-huge-comment")
    assert f"more than the {MAX_CELL_BYTES // 1024**2} MB a cell may hold" in text
    assert "set-up cell" not in text


def test_forked_spinners_cannot_start_and_the_submission_uses_little_cpu(graded_class):
    course, log = graded_class
    if ControlGroup.create(64 * 1024**2, 4) is None:
        pytest.skip("no control group on this machine: processes are bounded per user only (README, limits)")
    assert lost(scores(course, "d-forks-spinners")) == set()  # its spinners never started; its code is right
    cpu_per_submission = [float(seconds) for seconds in re.findall(r"their CPU time: ([\d.]+) s", log)]
    assert len(cpu_per_submission) == 6
    assert max(cpu_per_submission) < 3.0 * 12  # under the per-phase limit times the phases, for every submission


def test_a_submission_that_sleeps_everywhere_is_graded_within_its_budget(graded_class):
    course, _ = graded_class
    found = scores(course, "e-every-function-sleeps")
    assert lost(found) == set(found)  # every function slept: each gets 0, and the submission is graded
    text = autograded_text(course, ASSIGNMENT, "e-every-function-sleeps")
    assert "did not finish within 4 s of wall-clock time" in text
    assert "time budget of 14 s" in text  # the later functions were never started


def test_results_built_to_break_the_grader_cost_only_their_function(tmp_path):
    """A Python int of 400 digits, or a forged array header, is the student's result: 0 for that function only."""
    from dnn_grader.engine import references
    from dnn_grader.engine.grading import grade_functions

    course = copy_course(REPO, tmp_path / "course", extra_config=LIMITS)
    sources = dict(references.solution_sources(str(course), ASSIGNMENT))  # a copy: the reference reads the same
    sources["compute_cost"] = "def compute_cost(AL, Y):\n    return 10**400\n"
    sources["linear_forward"] = (
        "def linear_forward(A, W, b):\n    import os, json, struct\n"
        "    body = json.dumps({'op': 'case', 'index': 0, 'value': {'t': 'nd', 'dtype': '<f8', "
        "'shape': [0, 10**30], 'b64': ''}}).encode()\n"
        "    os.write(4, struct.pack('>I', len(body)) + body)\n    os._exit(0)\n")
    reports = grade_functions(course, ASSIGNMENT, [{"id": name, "source": code} for name, code in sources.items()]).reports
    assert {name for name, report in reports.items() if report.passed < report.total} == {"compute_cost",
                                                                                           "linear_forward"}
    assert reports["compute_cost"].passed == 0 and reports["linear_forward"].passed == 0


def test_a_grading_cut_short_is_a_value_that_scores_nothing(tmp_path):
    """A sandbox given no time to start: the grading says why it was cut short and holds no report to score."""
    from dnn_grader.engine import references
    from dnn_grader.engine.grading import grade_functions
    from dnn_grader.engine.sandbox import Limits

    course = copy_course(REPO, tmp_path / "course", extra_config=LIMITS)
    sources = references.solution_sources(str(course), ASSIGNMENT)
    grading = grade_functions(course, ASSIGNMENT, [{"id": name, "source": code} for name, code in sources.items()],
                              Limits(start_seconds=0.0))
    assert grading.reports == {}
    assert "did not start" in grading.cut_short
