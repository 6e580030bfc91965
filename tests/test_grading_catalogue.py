"""The grader's evidence: the whole catalogue autograded through nbgrader in one batch.

Every scenario (correct variants, classic mistakes, attacks, broken submissions) is a
simulated student whose notebook is built from the release notebook; one
`nbgrader autograde` per assignment grades them all, with the shipped
nbgrader_config.py, as an instructor would.
"""

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

import dnn_grader
from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli, report
from dnn_grader.course import names as assignment_names
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.catalogue import run_scenarios
from dnn_grader.evidence.scenarios import all_scenarios
from dnn_grader.evidence.scratch_course import autograded_text, fingerprint, scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")

BYSTANDER = "bystander"
# Graded in the same batch as the scenarios, first and last (nbgrader goes through students in sorted order).
HONEST_FIRST, HONEST_LAST = "aaa-honest-first", "zzz-honest-last"
# What the grader may hold, whatever a submission sends it (its whole nbgrader process, resident memory).
GRADER_MEMORY_BOUND_MB = 1024


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def batch(scratch_course):
    course = scratch_course
    submit(course, BYSTANDER, "step_by_step", solved_notebook(course, "step_by_step"))
    assert nbgrader_cli.run(course, "autograde", "step_by_step", "--student", BYSTANDER).returncode == 0
    bystander_before = scores_of(course, "step_by_step", BYSTANDER)
    bystander_file = course / "autograded" / BYSTANDER / "step_by_step"
    bystander_files = fingerprint(bystander_file)
    modules = {name: digest(course / name) for name in ("dnn_utils.py", "public_tests.py", "testCases.py",
                                                          "nbgrader_config.py", "gradebook.db")}
    grader_code = source_files(Path(dnn_grader.__file__).parent)
    for honest in (HONEST_FIRST, HONEST_LAST):
        submit(course, honest, "step_by_step", solved_notebook(course, "step_by_step"))
    scenarios = all_scenarios(course)
    rows, stats = run_scenarios(course, scenarios)
    return {"course": course, "rows": rows, "stats": stats, "bystander_before": bystander_before,
            "bystander_files": bystander_files, "modules": modules, "grader_code": grader_code}


def source_files(folder):
    """sha256 of the grader's own source files (not the bytecode Python caches beside them)."""
    return {name: sha for name, sha in fingerprint(folder).items() if "__pycache__" not in name}


def failures(batch, kind):
    return [f"{r.scenario.case_id}: expected {r.scenario.expected}, got {r.got}"
            for r in batch["rows"] if r.scenario.kind == kind and not r.ok]


def test_the_batch_ran_to_the_end(batch):
    everyone = {name: 0 for name in assignment_names(batch["course"])}
    assert batch["stats"]["returncodes"] == everyone, batch["stats"]["log"][-3000:]


@pytest.mark.parametrize("kind", ["correct", "blank", "mistake", "attack", "robustness", "hostile"])
def test_every_scenario_is_graded_as_expected(batch, kind):
    assert any(r.scenario.kind == kind for r in batch["rows"])
    assert failures(batch, kind) == []


def test_submitted_files_are_never_modified(batch):
    assert batch["stats"]["submitted_unchanged"]


def test_course_files_are_unchanged_after_the_attacks(batch):
    course = batch["course"]
    # the gradebook changes (the batch's grades) but must not be emptied or replaced by a planted file
    unchanged = {name: value for name, value in batch["modules"].items() if name != "gradebook.db"}
    assert {name: digest(course / name) for name in unchanged} == unchanged
    assert (course / "gradebook.db").stat().st_size > 0 and not (course / "gradebook.db").is_symlink()
    assert source_files(Path(dnn_grader.__file__).parent) == batch["grader_code"]


def test_honest_students_graded_before_and_after_the_hostile_ones_keep_full_marks(batch):
    for honest in (HONEST_FIRST, HONEST_LAST):
        scores = scores_of(batch["course"], "step_by_step", honest)
        assert scores and all(score == top for score, top in scores.values()), (honest, scores)


def test_the_graders_memory_stays_bounded_whatever_the_submissions_send(batch):
    peaks = [int(mb) for mb in re.findall(r"peak resident memory of the grader so far: (\d+) MB", batch["stats"]["log"])]
    assert peaks, "the grader did not log its peak memory"
    assert max(peaks) < GRADER_MEMORY_BOUND_MB


def test_the_sandbox_memory_cap_holds_for_processes_and_files_together(batch):
    sandbox_peaks = [int(mb) for mb in re.findall(r"of this notebook's sandboxes: (\d+) MB", batch["stats"]["log"])]
    if not sandbox_peaks:
        pytest.skip("no control groups on this machine: the sandbox's memory is capped per process only (RLIMIT_AS)")
    assert max(sandbox_peaks) <= 1024  # the scratch course's memory_limit_mb


def test_an_earlier_grade_is_unchanged_by_the_class_batch(batch):
    course = batch["course"]
    assert scores_of(course, "step_by_step", BYSTANDER) == batch["bystander_before"]
    assert fingerprint(course / "autograded" / BYSTANDER / "step_by_step") == batch["bystander_files"]
    assert all(score == top for score, top in batch["bystander_before"].values())


def test_huge_output_does_not_bloat_the_graded_notebook(batch):
    students = batch["stats"]["students"]
    student = next(s for s, scenario in students.items() if scenario.case_id == "robust:huge_output")
    assert 0 < len(autograded_text(batch["course"], "step_by_step", student)) < 1_000_000


def test_feedback_names_the_likely_cause_of_each_mistake(batch):
    missing = []
    for row in batch["rows"]:
        variant = next((v for v in specs.MISTAKES if v.case_id == row.scenario.case_id), None)
        if variant is None:
            continue
        student = next(s for s in batch["stats"]["students"] if batch["stats"]["students"][s] is row.scenario)
        text = autograded_text(batch["course"], variant.assignment, student)
        if variant.hint not in text:
            start = text.find(f"{variant.function}: passed")
            missing.append((variant.case_id, text[start:start + 1500]))
    assert missing == []


def test_the_class_report_counts_every_mistake(batch, tmp_path):
    """Each assignment's class report (its CSV) gives, for each student who made a catalogued mistake, that mistake
    on its function."""
    students = batch["stats"]["students"]
    for name in assignment_names(batch["course"]):
        out = tmp_path / name
        assert report.main([name, "--course-root", str(batch["course"]), "--out", str(out)]) == 0
        found = {(row["student_id"], row["function"]): row["mistake"]
                 for row in csv.DictReader((out / report.page.CSV_NAME).open())}
        made = {(student, scenario.case_id.split(":")[0]): scenario.case_id for student, scenario in students.items()
                if scenario.kind == "mistake" and scenario.assignment == name}
        assert made, f"no catalogued mistake of {name} in the batch"
        assert {key: found.get(key) for key in made} == made


def test_feedback_shows_no_hidden_test_code_and_no_solution(batch):
    course = batch["course"]
    blank = "blank-student"
    submit(course, blank, "step_by_step", solved_notebook(course, "step_by_step", blank=True))
    assert nbgrader_cli.run(course, "autograde", "step_by_step", "--student", blank).returncode == 0
    assert nbgrader_cli.run(course, "generate_feedback", "step_by_step", "--student", blank).returncode == 0
    html = next((course / "feedback" / blank / "step_by_step").glob("*.html")).read_text()
    assert "not written yet" in html
    for secret in ("BEGIN HIDDEN TESTS", "run_hidden_checks", "np.dot(W, A) + b", "keepdims=True)\n"):
        assert secret not in html


def test_the_catalogue_has_three_mistakes_for_every_graded_function():
    counts = Counter((v.assignment, v.function) for v in specs.MISTAKES)
    for assignment in specs.known_assignments():
        for spec in specs.load(assignment):
            assert counts[(assignment, spec.name)] >= 3, spec.name
