"""The README's "Instructors" block, read from the README and run line by line, as printed, on a fresh copy.

The copy holds what a clone holds (source/, the committed release/, the helper modules, the configuration) and
this environment as .venv, so that the block's `source .venv/bin/activate` works. Its inputs are prepared
first: a roster and an LMS download. `jupyter lab` is replaced by a check of formgrader, which also follows the
class report's links into it.
"""

import csv
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, formgrader

from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import copy_course
from dnn_grader.evidence.simulate import release_notebook_path, solved_notebook
from dnn_grader.specs import MISTAKES

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
ROSTER = [("s2001", "Ada", "Lovelace", "solution"), ("s2002", "Alan", "Turing", "mistake"),
          ("s2003", "Grace", "Hopper", "blank"), ("s2004", "Edsger", "Dijkstra", "edited_test_cell")]
EDITED_CELL = "test_linear_forward"
# Every step of the instructor's day must stay in the block.
STEPS = ["nbgrader db student import", "nbgrader generate_assignment", "nbgrader zip_collect", "nbgrader autograde",
         "dnn-grader report", "jupyter lab", "nbgrader generate_feedback", "nbgrader export"]


def instructor_block(readme: Path) -> list[str]:
    """The command lines of the first bash block of the README's "## Instructors" section."""
    section = readme.read_text().split("\n## Instructors\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "the README's Instructors section has no ```bash block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def fresh_clone(folder: Path) -> Path:
    """What a clone of the course holds, plus this environment as .venv."""
    course = copy_course(REPO, folder)
    shutil.copytree(REPO / "release", course / "release", symlinks=True)
    (course / ".venv").symlink_to(Path(sys.prefix))
    return course


def prepare_inputs(course: Path) -> None:
    """roster.csv and downloaded/<assignment>/archive/<LMS download>.zip, as an instructor would have them."""
    with open(course / "roster.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email"])
        writer.writerows((student, first, last, f"{student}@example.org") for student, first, last, _ in ROSTER)
    mistake = next(v for v in MISTAKES if v.case_id == "linear_backward:no_mean_dW")
    edited = solved_notebook(course, ASSIGNMENT)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == EDITED_CELL:
            cell.source += "\nprint('All tests passed!')"
    work = {"solution": solved_notebook(course, ASSIGNMENT), "mistake": solved_notebook(course, ASSIGNMENT, mistake),
            "blank": solved_notebook(course, ASSIGNMENT, blank=True), "edited_test_cell": edited}
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "lms_download.zip", "w") as lms:
        for student, *_, kind in ROSTER:
            lms.writestr(f"{student}_{release_notebook_path(course, ASSIGNMENT).name}", nbformat.writes(work[kind]))


def run_line(course: Path, line: str) -> str:
    """One line of the block, in bash in the course folder, after the block's own activation line."""
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    result = subprocess.run(["bash", "-c", f"source .venv/bin/activate\n{line}"], cwd=course, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"`{line}` failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """The block, run line by line; yields (course, {command line: its output})."""
    lines = instructor_block(REPO / "README.md")
    assert lines[0] == "source .venv/bin/activate", "the block starts by activating the environment"
    commands = [line.split("#", 1)[0].strip() for line in lines[1:]]
    for step in STEPS:
        assert any(command.startswith(step) for command in commands), f"the README's block lost `{step}`"
    course = fresh_clone(tmp_path_factory.mktemp("readme") / "course")
    prepare_inputs(course)
    outputs = {}
    for line, command in zip(lines[1:], commands):
        outputs[command] = formgrader_check(course) if shlex.split(command)[:2] == ["jupyter", "lab"] else \
            run_line(course, line)
    return course, outputs


def formgrader_check(course: Path) -> str:
    """In place of `jupyter lab`: formgrader lists every submission, and the class report's links open in it."""
    with formgrader(course) as get:
        notebook = release_notebook_path(course, ASSIGNMENT).stem
        listed = json.loads(get(f"/formgrader/api/submitted_notebooks/{ASSIGNMENT}/{notebook}"))
        assert {s["student"] for s in listed} == {row[0] for row in ROSTER}
        report = (course / "reports" / ASSIGNMENT / "index.html").read_text()
        links = re.findall(r'href="http://localhost:8888(/formgrader/[^"]+)"', report)
        assert any("/formgrader/submissions/" in link for link in links), "the report links to no submission"
        for link in links:  # a student's page names the student; a submission's page is its notebook
            assert ("linear_forward" if "/submissions/" in link else link.split("/")[-2]) in get(link), link
        blank = next(s for s in listed if s["student"] == "s2003")
        assert f"/formgrader/submissions/{blank['id']}/" in links
        assert "linear_forward" in get(f"/formgrader/submissions/{blank['id']}/")
    return "formgrader: every submission listed, the report's links open"


def output_of(outputs: dict, start: str) -> str:
    return next(text for command, text in outputs.items() if command.startswith(start))


def test_generate_assignment_enters_the_assignment_in_the_gradebook(day):
    course, outputs = day
    assert "Skipping existing assignment" not in output_of(outputs, "nbgrader generate_assignment")
    listing = subprocess.run(["bash", "-c", "source .venv/bin/activate\nnbgrader db assignment list"], cwd=course,
                             capture_output=True, text=True).stdout
    assert ASSIGNMENT in listing


def test_the_regenerated_release_is_the_committed_one(day):
    course, _ = day
    for path in (REPO / "release" / ASSIGNMENT).rglob("*"):
        if path.is_file():
            relative = path.relative_to(REPO)
            assert (course / relative).read_bytes() == path.read_bytes(), relative


def test_autograde_warns_only_about_the_test_cell_a_student_changed(day):
    _, outputs = day
    warnings = re.findall(r"Attribute 'checksum' for cell (\S+) has changed", output_of(outputs, "nbgrader autograde"))
    assert warnings == [EDITED_CELL]


def test_feedback_and_grades_for_every_student(day):
    course, _ = day
    for student, *_ in ROSTER:
        assert len(list((course / "feedback" / student / ASSIGNMENT).glob("*.html"))) == 1, student
    with open(course / "grades.csv", newline="") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}
    assert set(grades) == {row[0] for row in ROSTER}
    top = float(grades["s2001"]["max_score"])
    assert float(grades["s2001"]["score"]) == top > 0 and float(grades["s2004"]["score"]) == top
    assert 0 < float(grades["s2002"]["score"]) < top and float(grades["s2003"]["score"]) == 0


def test_the_class_report_names_the_mistake_and_the_student_to_help(day):
    course, outputs = day
    assert "4 students, 1 recognised mistakes" in output_of(outputs, "dnn-grader report")
    page = (course / "reports" / ASSIGNMENT / "index.html").read_text()
    assert "<td><code>no_mean_dW</code></td><td class='n'>1</td>" in page
    assert "s2003" in page[page.index('id="help-table"'):]


def test_the_large_course_block_grades_the_class_again_as_printed(day):
    """The README's "Grading a large course" command, as printed, on the course the instructor block prepared."""
    course, _ = day
    section = (REPO / "README.md").read_text().split("\n### Grading a large course\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "the README's large-course section has no ```bash block"
    lines = [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert lines and all("dnn-grader autograde" in line for line in lines)
    for line in lines:
        output = run_line(course, line)
        assert f"Graded {len(ROSTER)} of {len(ROSTER)} students of {ASSIGNMENT}" in output, output[-2000:]
