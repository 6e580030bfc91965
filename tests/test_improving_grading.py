"""Assignment 3 graded through nbgrader: the reference gets full marks, the blank release 0, every correct variant full
marks, and every catalogued mistake loses its function's points, is named in the feedback ("Likely cause: ...") and
is counted in the class report.

Every submission is autograded in one batch in a scratch copy of the course, as `dnn-grader catalogue --only` does.
"""

import csv

import pytest
from conftest import REPO

from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli, report
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.catalogue import run_scenarios, student_id
from dnn_grader.evidence.scenarios import variant_scenarios
from dnn_grader.evidence.scratch_course import autograded_text, copy_course

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
NAME = "improving"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = copy_course(REPO, tmp_path_factory.mktemp("improving") / "course")
    nbgrader_cli.run_checked(course, "generate_assignment", NAME, "--force")
    scenarios = [scenario for scenario in variant_scenarios(course) if scenario.assignment == NAME]
    rows, stats = run_scenarios(course, scenarios)
    return course, rows, stats


def test_every_case_scores_as_expected(graded):
    _, rows, stats = graded
    kinds = {row.scenario.kind for row in rows}
    assert {"correct", "mistake"} <= kinds
    unexpected = [(row.scenario.case_id, row.scenario.expected, row.got) for row in rows if not row.ok]
    assert not unexpected, unexpected
    assert stats["submitted_unchanged"]


def test_every_mistake_is_named_in_its_feedback(graded):
    course, rows, _ = graded
    unnamed = []
    for index, row in enumerate(rows):
        if row.scenario.kind != "mistake":
            continue
        function, name = row.scenario.case_id.split(":")
        hint = next(v.hint for v in specs.spec_of(NAME, function, course).mistakes if v.name == name)
        if f"Likely cause: {hint}" not in autograded_text(course, NAME, student_id(index, row.scenario)):
            unnamed.append(row.scenario.case_id)
    assert not unnamed, unnamed


def test_the_class_report_counts_every_mistake(graded):
    course, rows, _ = graded
    out = course / "reports" / NAME
    assert report.main([NAME, "--course-root", str(course), "--out", str(out)]) == 0
    found = {(row["student_id"], row["function"]): row["mistake"]
             for row in csv.DictReader((out / report.page.CSV_NAME).open())}
    for index, row in enumerate(rows):
        if row.scenario.kind == "mistake":
            function = row.scenario.case_id.split(":")[0]
            assert found[(student_id(index, row.scenario), function)] == row.scenario.case_id, row.scenario.case_id
