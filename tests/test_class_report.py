"""The class report: a small class with known mistakes, graded for real through nbgrader, then reported.

Each simulated student is built from the release with one catalogue variant and/or some functions left as the
release's stub; the expected outcome of every student and function follows from how the student was built.
A browser test opens the report in Chromium and leaves tests/screenshots/class_report.png.
"""

import csv
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from conftest import REPO, formgrader_server

from dnn_grader.commands import nbgrader_cli
from dnn_grader.commands.report import DEFAULT_FORMGRADER, formgrader_location
from dnn_grader.commands.report import main as report_main
from dnn_grader.commands.report.page import CSV_NAME
from dnn_grader.commands.report.read import (
    FULL,
    NONE,
    PARTIAL,
    UNWRITTEN,
    ClassReport,
    FunctionResult,
    StudentResult,
    configured_gradebook,
    read_class,
)
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import copy_course, scores_of
from dnn_grader.evidence.simulate import release_notebook_path, solved_notebook, submit
from dnn_grader.specs import MISTAKES, Variant

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
FUNCTIONS = ["initialize_parameters", "initialize_parameters_deep", "linear_forward", "linear_activation_forward",
             "L_model_forward", "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
             "update_parameters"]
MISTAKE = {v.case_id: v for v in MISTAKES}
# A mistake the catalogue does not know: its failure must count as unexplained.
DOUBLE_BIAS = Variant("double_bias", (("Z = np.dot(W, A) + b", "Z = np.dot(W, A) + 2 * b"),), function="linear_forward",
                      assignment=ASSIGNMENT)
CLASS = {  # student -> (variant, functions left unwritten)
    "ok1": (None, ()),
    "ok2": (None, ()),
    "dw1": (MISTAKE["linear_backward:no_mean_dW"], ()),
    "dw2": (MISTAKE["linear_backward:no_mean_dW"], ()),
    "dw3": (MISTAKE["linear_backward:no_mean_dW"], ()),
    "keepdims1": (MISTAKE["linear_backward:db_no_keepdims"], ()),
    "cost1": (MISTAKE["compute_cost:no_mean"], ()),
    "odd1": (DOUBLE_BIAS, ()),
    "part1": (MISTAKE["update_parameters:plus"], ("linear_activation_backward", "L_model_backward", "L_model_forward")),
    "blank1": (None, tuple(FUNCTIONS)),
}
ABSENT = "absent1"  # on the roster, never submitted
# ok2 submitted 8 hours after the due date (2026-12-11 23:59 UTC in nbgrader_config.py): one day started, 10% off.
LATE = ("ok2", "2026-12-12 08:00:00 UTC", 2.3)


def expected_outcome(student: str, function: str) -> tuple[str, str | None]:
    """(outcome class, mistake id) that the way `student` was built implies for `function`."""
    variant, unwritten = CLASS[student]
    if function in unwritten:
        return "unwritten", None
    if variant is not None and variant.function == function:
        return "failed", variant.case_id if variant.case_id in MISTAKE else None
    return FULL, None


def submission(course: Path, student: str) -> nbformat.NotebookNode:
    variant, unwritten = CLASS[student]
    notebook = solved_notebook(course, ASSIGNMENT, variant)
    release = nbformat.read(release_notebook_path(course, ASSIGNMENT), as_version=4)
    stubs = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in release.cells}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in unwritten:
            cell.source = stubs[cell.metadata.nbgrader.grade_id]
    return notebook


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = copy_course(REPO, tmp_path_factory.mktemp("class-report") / "course")
    nbgrader_cli.run_checked(course, "generate_assignment", ASSIGNMENT)
    nbgrader_cli.run_checked(course, "db", "student", "add", ABSENT, "--first-name=Ann", "--last-name=Absent")
    for student in CLASS:
        submit(course, student, ASSIGNMENT, submission(course, student))
    (course / "submitted" / LATE[0] / ASSIGNMENT / "timestamp.txt").write_text(LATE[1])
    nbgrader_cli.run_checked(course, "autograde", ASSIGNMENT)
    return course


@pytest.fixture(scope="module")
def report(graded_class):
    """`dnn-grader report` as an instructor runs it, in the course folder; yields (output folder, its summary)."""
    out = graded_class / "reports" / ASSIGNMENT
    result = subprocess.run([str(Path(sys.executable).with_name("dnn-grader")), "report", ASSIGNMENT,
                             "--formgrader-url", "http://127.0.0.1:8888"],
                            cwd=graded_class, capture_output=True, text=True, env=nbgrader_cli.environment())
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def class_result(graded_class):
    db_url, course_id = configured_gradebook(graded_class)
    return read_class(graded_class, ASSIGNMENT, db_url, course_id)


def test_every_function_of_every_student_is_classified_as_built(class_result):
    assert [s.student for s in class_result.students] == sorted(CLASS)
    assert class_result.functions == FUNCTIONS and class_result.unrecorded == 0
    for student in class_result.students:
        for result in student.functions:
            outcome, mistake = expected_outcome(student.student, result.function)
            got = "failed" if result.outcome in (PARTIAL, NONE) else result.outcome
            assert (got, result.mistake) == (outcome, mistake), (student.student, result.function, result)


def test_counts_per_function_and_mistake(class_result):
    summaries = {s.function: s for s in class_result.summaries()}
    backward = summaries["linear_backward"]
    assert backward.mistakes == Counter({"linear_backward:no_mean_dW": 3, "linear_backward:db_no_keepdims": 1})
    assert backward.outcomes[FULL] == 5 and backward.outcomes[UNWRITTEN] == 1
    assert summaries["compute_cost"].mistakes == Counter({"compute_cost:no_mean": 1})
    assert summaries["linear_forward"].mistakes == Counter() and summaries["linear_forward"].unexplained == ["odd1"]
    assert summaries["L_model_backward"].outcomes[UNWRITTEN] == 2
    for name, summary in summaries.items():
        built = Counter(expected_outcome(student, name)[0] for student in CLASS)
        failed = summary.outcomes[PARTIAL] + summary.outcomes[NONE]
        assert (summary.outcomes[FULL], failed, summary.outcomes[UNWRITTEN]) == (
            built[FULL], built["failed"], built["unwritten"]), name
    assert class_result.not_submitted == [ABSENT]


def test_the_csv_has_the_gradebooks_points_and_the_recognised_mistakes(graded_class, report):
    out, _ = report
    with open(out / CSV_NAME, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(CLASS) * len(FUNCTIONS)
    for student in CLASS:
        points = scores_of(graded_class, ASSIGNMENT, student)
        for row in (r for r in rows if r["student_id"] == student):
            assert (float(row["points"]), float(row["max_points"])) == points[row["function"]]
            assert (row["mistake"] or None) == expected_outcome(student, row["function"])[1]
    dw = next(r for r in rows if r["student_id"] == "dw1" and r["function"] == "linear_backward")
    # the rule: a mistake that shows in every hidden case scores 0 on its function
    assert dw["mistake_hint"] == MISTAKE["linear_backward:no_mean_dW"].hint and dw["outcome"] == NONE


def test_the_page_names_mistakes_students_to_help_and_links_into_formgrader(report, class_result):
    out, summary = report
    page = (out / "index.html").read_text()
    assert "10 students, 6 recognised mistakes, 1 failures no catalogued mistake explains" in summary
    for figure in ("score_distribution.svg", "function_outcomes.svg"):
        assert (out / figure).stat().st_size > 1000 and f'src="{figure}"' in page
    assert "<td><code>no_mean_dW</code></td><td class='n'>3</td>" in page
    helped = page[page.index('id="help-table"'):]
    helped = helped[:helped.index("</table>")]
    assert "blank1" in helped and "part1" in helped and "3 functions unwritten" in helped and "ok1" not in helped
    blank = next(s for s in class_result.students if s.student == "blank1")
    assert f"http://127.0.0.1:8888/formgrader/submissions/{blank.submission_ids[0]}/" in helped
    assert ABSENT in page


def test_scores_are_after_the_late_penalty_as_nbgrader_export_gives_them(graded_class, class_result, report):
    nbgrader_cli.run_checked(graded_class, "export", "--to", "grades.csv")
    with open(graded_class / "grades.csv", newline="") as handle:
        exported = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)
                    if row["assignment"] == ASSIGNMENT and row["student_id"] in CLASS}
    assert {s.student: s.final_score for s in class_result.students} == pytest.approx(exported)
    late = next(s for s in class_result.students if s.student == LATE[0])
    assert (late.score, late.late_penalty, late.final_score) == pytest.approx((23, LATE[2], 23 - LATE[2]))
    assert [s.student for s in class_result.late] == [LATE[0]]
    out, _ = report
    page = (out / "index.html").read_text()
    note = page[page.index('id="late-note"'):]
    assert "ok2 (23 − 2.3 = 20.7)" in note[:note.index("</p>")] and "late_submission_penalty" in note
    assert "mean score after late penalty" in page
    rows = [r for r in csv.DictReader((out / CSV_NAME).read_text().splitlines())
            if r["student_id"] == LATE[0]]
    assert {(r["late_penalty"], r["score_after_late_penalty"]) for r in rows} == {("2.3", "20.7")}


def test_the_subtitle_names_the_gradebook_not_its_path(graded_class, report):
    out, _ = report
    page = (out / "index.html").read_text()
    subtitle = page[page.index('<p class="sub">'):]
    subtitle = subtitle[:subtitle.index("</p>")]
    assert "from the gradebook gradebook.db," in subtitle and str(graded_class) not in page


def test_the_links_say_where_they_point(graded_class, report, tmp_path):
    out, _ = report
    page = (out / "index.html").read_text()
    assert "Links open formgrader at <code>http://127.0.0.1:8888</code> (--formgrader-url)" in page
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(graded_class / "nbgrader_config.py", course / "nbgrader_config.py")
    assert formgrader_location(course)[0] == DEFAULT_FORMGRADER
    with open(course / "nbgrader_config.py", "a") as config:
        config.write('\nc.ClassReport.formgrader_url = "https://hub.example.org/user/me/"\n')
    assert formgrader_location(course) == ("https://hub.example.org/user/me",
                                           "c.ClassReport.formgrader_url in nbgrader_config.py")


def test_the_links_follow_a_jupyter_server_running_in_the_course(graded_class):
    with formgrader_server(graded_class) as (url, _):
        found, source = formgrader_location(graded_class)
    assert urlsplit(found).port == urlsplit(url).port and "running" in source  # the server names itself localhost


def test_the_mean_label_touches_no_bar():
    """All students on one score: the tallest bar stands at the mean, where the label used to sit."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    from dnn_grader.commands.report.page import score_figure

    students = [StudentResult(f"s{i}", "", [], [FunctionResult(f"s{i}", "f", 20, 23)])
                for i in range(6)]
    result = ClassReport(ASSIGNMENT, ["f"], students, [])
    figure = score_figure(result)
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    labels = [t.get_window_extent(renderer) for t in figure.findobj(Text) if t.get_text().startswith("mean")]
    bars = [p.get_window_extent(renderer) for p in figure.axes[0].patches
            if isinstance(p, Rectangle) and p.get_height() > 0]
    assert labels and bars
    assert not any(label.overlaps(bar) for label in labels for bar in bars)


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_url(request, graded_class, tmp_path):
    """A gradebook holding the assignment and the graded class: a copy of the SQLite file, or a new PostgreSQL one."""
    if request.param == "sqlite":
        shutil.copy(graded_class / "gradebook.db", tmp_path / "gradebook.db")
        return f"sqlite:///{tmp_path / 'gradebook.db'}"
    from dnn_grader.evidence.postgres_server import create_database

    url = create_database(request.getfixturevalue("postgres_url").rsplit("/", 1)[0], "class_report_120")
    nbgrader_cli.run_checked(graded_class, "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={url}")
    return url


def test_a_class_of_120_is_read_not_rerun(graded_class, gradebook_url, tmp_path, capsys, monkeypatch):
    """120 students in the gradebook, each with an autograded notebook: `report --db-url` reads what was recorded
    and starts no process (no kernel, no sandbox, no nbgrader): its cost is reading, whatever the machine's speed."""
    import subprocess

    from nbgrader.api import Gradebook

    course = tmp_path / "big"
    shutil.copytree(graded_class / "release", course / "release")
    autograded = next((graded_class / "autograded" / "dw1" / ASSIGNMENT).glob("*.ipynb"))
    with Gradebook(gradebook_url) as gradebook:
        have = len(gradebook.assignment_submissions(ASSIGNMENT))
        for index in range(120 - have):
            student = f"big{index:03d}"
            gradebook.add_student(student)
            for grade in gradebook.add_submission(ASSIGNMENT, student).notebooks[0].grades:
                grade.auto_score = grade.max_score * (index % 3) / 2
            gradebook.db.commit()
    for student in [f"big{index:03d}" for index in range(120)] + list(CLASS):
        (course / "autograded" / student / ASSIGNMENT).mkdir(parents=True)
        shutil.copy(autograded, course / "autograded" / student / ASSIGNMENT / autograded.name)
    def no_process(*args, **kwargs):
        raise AssertionError(f"the report started a process: {args[:1]}")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    started = time.monotonic()
    status = report_main([ASSIGNMENT, "--course-root", str(course), "--db-url", gradebook_url,
                          "--out", str(course / "report")])
    seconds = time.monotonic() - started
    assert status == 0 and "Class report of step_by_step: 120 students" in capsys.readouterr().out
    rows = (course / "report" / CSV_NAME).read_text().splitlines()
    assert len(rows) == 1 + 120 * len(FUNCTIONS)
    print(f"report of 120 students: {seconds:.1f} s")


# ---------------------------------------------------------------- in a browser

SCREENSHOTS = Path(os.environ.get("DNN_SCREENSHOTS", REPO / "tests" / "screenshots"))
CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: apt-get install chromium")
def test_the_report_renders_in_chromium(report):
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    out, _ = report
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto((out / "index.html").as_uri())
            page.wait_for_load_state("load")
            for figure in ("#score-figure", "#functions-figure"):
                width = page.eval_on_selector(figure, "img => img.complete ? img.naturalWidth : 0")
                assert width > 300, f"{figure} did not load"
            assert page.locator("#functions-table tr").count() == len(FUNCTIONS) + 1
            assert page.locator("table.mistakes").count() >= 3
            assert page.locator("#help-table tr").count() >= 3
            page.screenshot(path=str(SCREENSHOTS / "class_report.png"), full_page=True)
        finally:
            browser.close()
