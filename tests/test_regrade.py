"""Regrading after a change to the grader: `dnn-grader regrade` shows what changes, `--apply` writes only that.

A small class (honest students, two with the classic missing 1/m in dW, one with a cost not averaged) is graded
through nbgrader for real in a copy of the course that holds its own copy of the grader (dnn_grader/). Then the
COPY's spec of linear_backward is edited so that its second hidden case has one example (m = 1), where a missing
1/m does not show: the two dW students now pass 1 of the 3 cases, and nobody else changes. The test checks the
printed table, that nothing is written without --apply, and what --apply writes (the new points, the students
who do not change untouched, a manual score and comment from formgrader kept, timestamps and lateness kept), on
the SQLite gradebook and on PostgreSQL.
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbgrader.api import Gradebook

from dnn_grader.commands import nbgrader_cli
from dnn_grader.commands.report import read
from dnn_grader.commands.report.page import write_report
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import copy_course, fingerprint
from dnn_grader.evidence.simulate import release_notebook_path, solved_notebook, submit
from dnn_grader.hooks.late_policy import penalty
from dnn_grader.specs import MISTAKES

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
MISTAKE = {v.case_id: v for v in MISTAKES}
CLASS = {  # student -> the catalogued mistake the student makes (None: honest)
    "ok1": None,
    "ok2": None,
    "dw1": MISTAKE["linear_backward:no_mean_dW"],
    "dw2": MISTAKE["linear_backward:no_mean_dW"],
    "cost1": MISTAKE["compute_cost:no_mean"],
}
LATE = {"ok2": "2026-12-13 10:00:00 UTC", "dw1": "2026-12-13 10:00:00 UTC"}  # after the configured due date
# The change to the grader: linear_backward's hidden cases are (n, n_prev, m); the second gets m = 1.
SPEC = Path("source/step_by_step/instructor/spec.py")  # the assignment's own: a copy of the course holds it
CASES_BEFORE, CASES_AFTER = "(2, 3, 6)", "(2, 3, 1)"
CHANGED_FUNCTION, CASES, PASSED_AFTER = "linear_backward", 3, 1  # a missing 1/m passes the m = 1 case only
MANUAL = ("dw2", 2.0, "See me about the 1/m.")  # given in formgrader before the regrade


def run_regrade(course: Path, db_url: str | None, *options: str) -> list[str]:
    """`dnn-grader regrade` as an instructor runs it in the course folder; its output lines."""
    db = ["--db-url", db_url] if db_url else []
    result = subprocess.run([str(Path(sys.executable).with_name("dnn-grader")), "regrade", ASSIGNMENT,
                             "--workers", "2", *db, *options], cwd=course, capture_output=True, text=True,
                            env=nbgrader_cli.environment())
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return result.stdout.splitlines()


def graded_course(folder: Path, db_url: str | None) -> Path:
    """A copy of the course (its specs with it), the class submitted and autograded, a manual grade given."""
    course = copy_course(REPO, folder)
    db = [f"--CourseDirectory.db_url={db_url}"] if db_url else []
    nbgrader_cli.run_checked(course, "generate_assignment", ASSIGNMENT, *db)
    for student, mistake in CLASS.items():
        path = submit(course, student, ASSIGNMENT, solved_notebook(course, ASSIGNMENT, mistake))
        if student in LATE:
            (path.parent / "timestamp.txt").write_text(LATE[student])
    nbgrader_cli.run_checked(course, "autograde", ASSIGNMENT, *db)
    student, score, comment = MANUAL
    with Gradebook(db_url or gradebook_url(course)) as gradebook:
        notebook = release_notebook_path(course, ASSIGNMENT).stem
        gradebook.find_grade(f"test_{CHANGED_FUNCTION}", notebook, ASSIGNMENT, student).manual_score = score
        gradebook.find_comment(CHANGED_FUNCTION, notebook, ASSIGNMENT, student).manual_comment = comment
        gradebook.db.commit()
    return course


def gradebook_url(course: Path) -> str:
    return f"sqlite:///{course / 'gradebook.db'}"


def gradebook_state(db_url: str) -> dict:
    """Everything the gradebook holds about the class's submissions, by student."""
    state = {}
    with Gradebook(db_url) as gradebook:
        for submission in gradebook.assignment_submissions(ASSIGNMENT):
            rows = [("timestamp", submission.timestamp), ("seconds late", submission.total_seconds_late)]
            for notebook in submission.notebooks:
                rows.append(("late penalty", notebook.late_submission_penalty))
                rows += [(grade.name, grade.auto_score, grade.manual_score, grade.needs_manual_grade)
                         for grade in notebook.grades]
                rows += [(comment.name, comment.auto_comment, comment.manual_comment) for comment in notebook.comments]
            state[submission.student.id] = rows
    return state


def course_state(course: Path, db_url: str) -> dict:
    return {"gradebook": gradebook_state(db_url), "autograded": fingerprint(course / "autograded"),
            "submitted": fingerprint(course / "submitted")}


def points(state: dict, student: str, function: str) -> tuple:
    """(auto score, manual score) of one function in a gradebook_state."""
    return next((row[1], row[2]) for row in state[student] if row[0] == f"test_{function}")


def class_result(course: Path, db_url: str) -> read.ClassReport:
    _db, course_id = read.configured_gradebook(course)
    return read.read_class(course, ASSIGNMENT, db_url, course_id)


def versions(course: Path, db_url: str):
    return class_result(course, db_url).grader_versions()


def check_regrade(course: Path, db_url: str | None) -> list[str]:
    """The whole scenario on a graded course; returns the table the dry run printed."""
    url = db_url or gradebook_url(course)
    assert len(versions(course, url)) == 1 and read.UNKNOWN_VERSION not in versions(course, url)
    spec = course / SPEC
    assert CASES_BEFORE in spec.read_text()
    spec.write_text(spec.read_text().replace(CASES_BEFORE, CASES_AFTER))
    before = course_state(course, url)

    printed = run_regrade(course, db_url)
    assert course_state(course, url) == before, "regrade without --apply wrote into the course"
    top = points_top(url)
    new_points = round(top * PASSED_AFTER / CASES, 2)
    changed = sorted(s for s, m in CLASS.items() if m is not None and m.function == CHANGED_FUNCTION)
    rows = [line.split() for line in printed if line.split()[:1] and line.split()[0] in CLASS]
    assert sorted((row[0], row[1]) for row in rows) == [(s, CHANGED_FUNCTION) for s in changed], printed
    for line in (line for line in printed if line.split()[:1] and line.split()[0] in CLASS):
        assert f"0 → {new_points:g} (of {top:g})" in line, line
        assert (f"'{CHANGED_FUNCTION}: passed 0 of {CASES} hidden checks.' → "
                f"'{CHANGED_FUNCTION}: passed {PASSED_AFTER} of {CASES} hidden checks.'") in line, line
    assert any(f"manual score {MANUAL[1]:g} given in formgrader stays" in line for line in printed), printed
    assert (f"{len(changed)} of {len(CLASS)} students change: {len(changed)} functions; 0 sentences only; "
            "nothing written") in printed[-1], printed

    applied = run_regrade(course, db_url, "--apply")
    assert f"wrote the new grades of {len(changed)} students" in applied[-1], applied
    after = course_state(course, url)
    check_applied(before, after, changed, new_points)
    assert sorted(versions(course, url).values()) == sorted([len(changed), len(CLASS) - len(changed)])
    page = write_report(class_result(course, url), course / "reports" / ASSIGNMENT).read_text()
    assert 'id="grader-versions"' in page and "grades from 2 grader versions" in page
    return printed


def points_top(db_url: str) -> float:
    with Gradebook(db_url) as gradebook:
        return float(gradebook.find_grade_cell(f"test_{CHANGED_FUNCTION}", release_notebook_name(gradebook),
                                               ASSIGNMENT).max_score)


def release_notebook_name(gradebook) -> str:
    return gradebook.find_assignment(ASSIGNMENT).notebooks[0].name


def check_applied(before: dict, after: dict, changed: list[str], new_points: float) -> None:
    """--apply wrote the new points of the students who change, kept manual grades and lateness, nothing else."""
    assert after["submitted"] == before["submitted"]
    for student in CLASS:
        old, new = before["gradebook"][student], after["gradebook"][student]
        if student not in changed:
            assert new == old, student
            assert {k: v for k, v in after["autograded"].items() if k.startswith(f"{student}/")} == {
                k: v for k, v in before["autograded"].items() if k.startswith(f"{student}/")}, student
            continue
        assert points(after["gradebook"], student, CHANGED_FUNCTION)[0] == new_points
        assert old[:2] == new[:2], "timestamp and lateness kept"
        differing = {row[0] for row in new if row not in old}
        assert differing <= {f"test_{CHANGED_FUNCTION}", "late penalty"}, (student, differing)
    student, score, comment = MANUAL
    assert points(after["gradebook"], student, CHANGED_FUNCTION) == (new_points, score)
    assert (CHANGED_FUNCTION, None, comment) in after["gradebook"][student]
    late = {row[0]: row[1] for row in after["gradebook"]["dw1"] if len(row) == 2}
    total = sum(row[1] for row in after["gradebook"]["dw1"] if len(row) == 4)
    assert late["late penalty"] == pytest.approx(penalty(total, late["seconds late"], 0.10, 15))


def test_regrade_shows_the_change_and_applies_only_it_on_sqlite(tmp_path):
    course = graded_course(tmp_path / "course", None)
    printed = check_regrade(course, None)
    print("\n".join(printed))
    again = run_regrade(course, None)
    assert f"0 of {len(CLASS)} students change" in again[-1], again


def test_regrade_on_postgresql(tmp_path, postgres_url):
    from dnn_grader.evidence.postgres_server import create_database

    db_url = create_database(postgres_url.rsplit("/", 1)[0], "regrade")
    course = graded_course(tmp_path / "course", db_url)
    check_regrade(course, db_url)
    assert not (course / "gradebook.db").exists(), "the PostgreSQL gradebook's course wrote a SQLite one"


def test_a_stored_notebook_without_a_version_counts_as_unknown(tmp_path):
    notebook = nbformat.v4.new_notebook()
    assert read.notebook_version(notebook) == read.UNKNOWN_VERSION
    notebook.metadata["dnn_grader"] = {"grader": "0123456789ab"}
    assert read.notebook_version(notebook) == "0123456789ab"
    assert read.versions_sentence(Counter({"0123456789ab": 3})) == ""
    assert read.versions_sentence(Counter({"0123456789ab": 3, read.UNKNOWN_VERSION: 1})) == (
        "grades from 2 grader versions: 3 students 0123456789ab, 1 student unknown version")


def test_the_summary_counts_points_sentences_and_students_not_graded():
    from dnn_grader.commands.regrade import Change, Regrade, Verdict, summary, table, versions_line

    old, new_points, new_words = Verdict(0.0, 3.0, "f: passed 0 of 3.\n"), Verdict(1.0, 3.0, "f: passed 1 of 3.\n"), \
        Verdict(0.0, 3.0, "f: passed 0 of 3.\n  - dW is wrong\n")
    changes = [Change("a", "nb", "f", old, new_points), Change("a", "nb", "g", old, new_words),
               Change("b", "nb", "f", old, new_words, manual_score=2.0)]
    parts = {"specs": "1", "engine": "2"}
    result = Regrade(["a", "b", "c", "d"], changes, {"d": "not graded, regrade: cut short"},
                     {"a": {"grader": "old", "grader_parts": parts}, "b": {}, "c": {"grader": "new"}},
                     {"a": {"grader": "new", "grader_parts": {**parts, "specs": "3"}}})
    assert summary(result) == "2 of 4 students change: 1 function; 2 sentences only; 1 not graded (old grade kept)"
    lines = table(changes)
    assert "0 → 1 (of 3)" in lines[1] and "'f: passed 0 of 3.' → 'f: passed 1 of 3.'" in lines[1]
    assert "0 → 0 (of 3)" in lines[2] and "'' → '- dW is wrong'" in lines[2]
    assert "manual score 2 given in formgrader stays" in lines[4]
    assert versions_line(result) == ("Stored grades by grader version: old (1 student; changed since: specs), "
                                     "unknown version (1 student), new (1 student); current grader: new.")


def test_a_pipe_in_a_submission_is_not_copied(tmp_path):
    """Reading a pipe a student left in the submission would block the regrade: only files, folders and links go."""
    import os

    from dnn_grader.commands.regrade import copy_submissions

    folder = tmp_path / "course" / "submitted" / "s1" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "notebook.ipynb").write_text("{}")
    os.mkfifo(folder / "pipe")
    (folder / "link").symlink_to("/etc/passwd")
    (tmp_path / "scratch").mkdir()
    assert copy_submissions(tmp_path / "course", tmp_path / "scratch", ASSIGNMENT, ["s1", "s2"]) == ["s1"]
    copied = tmp_path / "scratch" / "submitted" / "s1" / ASSIGNMENT
    assert sorted(p.name for p in copied.iterdir()) == ["link", "notebook.ipynb"]
    assert (copied / "link").is_symlink() and os.readlink(copied / "link") == "/etc/passwd"
