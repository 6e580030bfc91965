"""The README's main command: a demo class generated, autograded, fed back and exported."""

import subprocess
import sys

import pytest
from conftest import REPO

from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.report import copy_course


@pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
def test_demo_grades_the_demo_class(tmp_path):
    course = copy_course(REPO, tmp_path / "course", extra_config="")
    result = subprocess.run([sys.executable, "-m", "dnn_course.demo", "--course-root", str(course)],
                            capture_output=True, text=True, cwd=REPO, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    table = {tuple(line.split()[:2]): [float(x) for x in line.split()[2:4]]
             for line in result.stdout.splitlines() if line.startswith("demo-")}
    for assignment in ("step_by_step", "application"):
        score, top = table[("demo-solution", assignment)]
        assert score == top > 0
        assert table[("demo-blank", assignment)][0] == 0
        assert 0 < table[("demo-mistake", assignment)][0] < top
    assert list((course / "feedback" / "demo-mistake" / "step_by_step").glob("*.html"))
    assert (course / "grades.csv").exists()
    assert "Demo graded 3 students" in result.stdout
