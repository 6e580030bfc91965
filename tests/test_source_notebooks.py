"""Every instructor notebook runs top to bottom and passes all of its tests, hidden ones included."""

import os

import nbformat
import pytest
from conftest import REPO, course_data_dir
from nbclient import NotebookClient

NOTEBOOKS = sorted((REPO / "source").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_source_notebook_runs_and_passes_its_tests(path, monkeypatch):
    data = course_data_dir()
    if data is not None:
        monkeypatch.setenv("DNN_DATASETS", str(data))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    graded = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    assert graded, "no graded cells found"
    for cell in graded:
        text = "".join(output.get("text", "") for output in cell.outputs)
        assert "passed all" in text, f"{cell.metadata['nbgrader']['grade_id']}: {text}"
    assert os.environ.get("MPLBACKEND") == "Agg"
