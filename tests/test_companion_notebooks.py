"""The ungraded companions in notebooks/ run top to bottom, in a scratch copy of the course."""

import shutil

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import copy_course


def run_notebook(path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
                   ).execute()
    return "\n".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                     for output in cell.outputs)


@pytest.fixture
def course(tmp_path):
    course = copy_course(REPO, tmp_path / "course", extra_config="")
    shutil.copytree(REPO / "notebooks", course / "notebooks")
    return course


def test_start_here_checks_the_students_setup(course):
    text = run_notebook(course / "notebooks" / "start_here.ipynb")
    assert "numpy" in text and "matplotlib" in text


@pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
def test_instructor_guide_walks_the_whole_cycle_on_the_demo_class(course):
    text = run_notebook(course / "notebooks" / "instructor_guide.ipynb")
    # demo-alan left out 1/m in dW: linear_backward fails all 3 of its cases (the partial-credit rule), 23 - 3
    table = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in text.splitlines()
             if line.startswith("demo-") and len(line.split()) == 5}
    assert table == {"demo-ada": [23, 0, 23, 23], "demo-alan": [20, 0, 20, 23], "demo-grace": [0, 0, 0, 23],
                     "demo-katherine": [23, 6.9, 16.1, 23]}
    assert "did you divide by m?" in text
    assert list((course / "feedback" / "demo-alan" / "step_by_step").glob("*.html"))
