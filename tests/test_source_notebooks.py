"""Every instructor notebook runs top to bottom, passes all of its tests, hidden ones included, and shows as its
expected outputs what its cells print."""

import pytest
from conftest import REPO, course_data_dir
from printouts import executed, stale_expected_outputs

from dnn_grader import course

NOTEBOOKS = sorted((REPO / "source").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_source_notebook_runs_and_passes_its_tests(path):
    notebook = executed(path, course_data_dir())
    graded = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    assert graded, "no graded cells found"
    for cell in graded:
        text = "".join(output.get("text", "") for output in cell.outputs)
        assert "passed all" in text, f"{cell.metadata['nbgrader']['grade_id']}: {text}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_each_expected_output_is_what_the_cell_above_prints(path):
    data = course_data_dir()
    if data is None and course.assignment(path.parent.name, REPO).data_files:
        pytest.skip("the course's cat data is absent: this notebook's printed numbers come from it")
    stale = stale_expected_outputs(executed(path, data))
    assert not stale, "\n\n".join(stale)
