"""The README's main command: a demo class generated, autograded, fed back and exported; its table is the README's."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from nbgrader.api import Gradebook

from dnn_grader.commands import nbgrader_cli
from dnn_grader.course import names as course_names
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import copy_course, fingerprint


@pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
def test_demo_grades_the_demo_class_and_make_clean_removes_only_it(tmp_path):
    course = copy_course(REPO, tmp_path / "course", extra_config="")
    shutil.copy(REPO / "Makefile", course / "Makefile")
    real = real_student(course)
    result = subprocess.run([sys.executable, "-m", "dnn_grader.evidence.demo", "--course-root", str(course)],
                            capture_output=True, text=True, cwd=REPO, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    table = {tuple(line.split()[:2]): [float(x) for x in line.split()[2:4]]
             for line in result.stdout.splitlines() if line.startswith("demo-")}
    for assignment in course_names(course):
        score, top = table[("demo-solution", assignment)]
        assert score == top > 0
        assert table[("demo-blank", assignment)][0] == 0
        assert 0 < table[("demo-mistake", assignment)][0] < top
    assert list((course / "feedback" / "demo-mistake" / "step_by_step").glob("*.html"))
    assert (course / "grades.csv").exists()
    assert "Demo graded 3 students" in result.stdout
    printed = [line for line in result.stdout.splitlines() if line.startswith(("student ", "demo-"))]
    assert readme_demo_table() == printed, "the README's demo table is not what `make demo` prints:\n" + "\n".join(printed)

    (course / "tests" / "screenshots").mkdir(parents=True)
    (course / "tests" / "screenshots" / "page.png").write_bytes(b"png")
    kept = {folder: fingerprint(course / folder) for folder in ("source", "release", *real)}
    cleaned = subprocess.run(["make", "clean", f"VENV={sys.prefix}"], cwd=course, capture_output=True, text=True,
                             timeout=300)
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    for folder in ("submitted", "autograded", "feedback"):
        assert not list((course / folder).glob("demo-*")), folder
    assert {folder: fingerprint(course / folder) for folder in kept} == kept, "make clean touched what it must keep"
    assert (course / "feedback" / "_mathjax" / "MathJax.js").exists(), "the real student's feedback needs it"
    assert (course / "grades.csv").exists(), "grades.csv holds a real student's row"
    assert not (course / "tests" / "screenshots").exists()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert [student.id for student in gradebook.students] == [REAL_STUDENT]
        assert {a.name for a in gradebook.assignments} == set(course_names(course))
    assert (course / ".grading_secret").exists()


REAL_STUDENT = "s1001"


def real_student(course: Path) -> list[str]:
    """An instructor's real student, in the gradebook and in nbgrader's folders; returns those folders."""
    nbgrader_cli.run_checked(course, "db", "student", "add", REAL_STUDENT, "--first-name=Real", "--last-name=Student")
    folders = []
    for step, name in (("submitted", "work.ipynb"), ("autograded", "work.ipynb"), ("feedback", "work.html")):
        path = course / step / REAL_STUDENT / "step_by_step" / name
        path.parent.mkdir(parents=True)
        path.write_text(f"{REAL_STUDENT}'s {step} work")
        folders.append(f"{step}/{REAL_STUDENT}")
    return folders


def test_make_clean_in_a_course_without_the_demo_removes_nothing_of_the_course(tmp_path):
    course = copy_course(REPO, tmp_path / "course", extra_config="")
    shutil.copy(REPO / "Makefile", course / "Makefile")
    real_student(course)
    before = fingerprint(course)
    cleaned = subprocess.run(["make", "clean", f"VENV={sys.prefix}"], cwd=course, capture_output=True, text=True,
                             timeout=300)
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert fingerprint(course) == before
    assert "0 items removed" in cleaned.stdout


def readme_demo_table() -> list[str]:
    """The lines of the table the README's "Two commands" section shows as `make demo`'s output."""
    section = (REPO / "README.md").read_text().split("\n## Two commands\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(student .*?)```", section, re.DOTALL)
    assert block, "the README's Two commands section shows no demo table"
    return block.group(1).splitlines()
