"""Assignment 3's instructor notebook runs from start to end, and what it prints is what the README says.

The README's block of the notebook's numbers (under "Improving your Deep Network: the numbers") is copied from this
notebook's output; each of its lines must be printed, as is, by a run of the notebook. Its training cells together
must stay under two minutes (the issue's bound; the README gives the time measured on one core).
"""

import os
import re

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

from dnn_grader.engine.references import notebook_path

README = (REPO / "README.md").read_text()
BLOCK = re.compile(r"### Improving your Deep Network: the numbers.*?```text\n(.*?)```", re.DOTALL)


def readme_lines() -> list[str]:
    found = BLOCK.search(README)
    assert found, "the README has no block of the third notebook's numbers"
    return [line for line in found.group(1).splitlines() if line.strip() and not line.startswith("Training time")]


@pytest.fixture(scope="module")
def printed(cat_data) -> str:
    path = notebook_path(REPO, "improving")
    notebook = nbformat.read(path, as_version=4)
    wanted = {"OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg", "DNN_DATASETS": str(cat_data)}
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)  # the kernel inherits them
    try:
        client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()  # raises CellExecutionError, naming the cell, if a cell fails
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return "\n".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                     for output in cell.get("outputs", []) if output.get("name") == "stdout")


def test_every_line_of_the_readme_block_is_printed_by_the_notebook(printed):
    missing = [line for line in readme_lines() if line not in printed]
    assert not missing, f"README lines the notebook did not print: {missing}\n--- printed ---\n{printed[-4000:]}"


def test_the_training_cells_take_under_two_minutes(printed):
    total = float(re.search(r"Training time: .* - total ([\d.]+) s", printed).group(1))
    assert total < 120, f"the training cells took {total} s"


def test_the_gradient_check_finds_the_planted_bug_and_passes_once_fixed(printed):
    assert "There is a mistake in the backward propagation!" in printed
    assert "Your backward propagation works perfectly fine!" in printed
    assert printed.count("passed all") == 8, "every graded function passes its hidden checks in the notebook"
