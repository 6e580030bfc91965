"""Part 2's results analysis (sections 6 and 8) prints the run's numbers, and its text quotes what it prints.

The two models are trained as the notebook trains them (the solution, 2,500 iterations, the course's cat pictures);
then the notebook's own analysis cells run on their predictions. What they print must be the confusion matrix,
the "always say cat" baseline and the binomial standard error computed here independently, and the text below them
must quote exactly these numbers.
"""

import contextlib
import io
import math
import re

import nbformat
import numpy as np
import pytest
from conftest import REPO

from dnn_grader.engine.references import reference_namespace

NOTEBOOK = REPO / "source" / "application" / "Deep_Neural_Network_Application.ipynb"


def cells():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): index for index, cell in enumerate(notebook.cells)}
    return notebook.cells, by_id


def run_cell(source: str, namespace: dict) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(source, namespace)
    return printed.getvalue()


@pytest.fixture(scope="module")
def run(cat_data):
    import dnn_app_utils

    import dnn_utils

    train_x_orig, train_y, test_x_orig, test_y, _ = dnn_utils.load_data(cat_data, verbose=False)
    flatten = lambda x: x.reshape(x.shape[0], -1).T / 255
    train_x, test_x = flatten(train_x_orig), flatten(test_x_orig)
    solution = reference_namespace(str(REPO), "application")
    namespace = {"np": np, "math": math, "train_y": train_y, "test_y": test_y}
    with contextlib.redirect_stdout(io.StringIO()):
        for model, dims, train_name, test_name in [
                ("two_layer_model", (train_x.shape[0], 7, 1), "predictions_train", "predictions_test"),
                ("L_layer_model", [train_x.shape[0], 20, 7, 5, 1], "pred_train", "pred_test")]:
            parameters, _ = solution[model](train_x, train_y, dims, num_iterations=2500)
            namespace[train_name] = dnn_app_utils.predict(train_x, train_y, parameters)
            namespace[test_name] = dnn_app_utils.predict(test_x, test_y, parameters)
    return namespace


def test_the_analysis_prints_the_runs_confusion_matrix_baseline_and_error(run):
    notebook_cells, by_id = cells()
    printed = run_cell(notebook_cells[by_id["analysis_counts_intro"] + 1].source, dict(run))
    y, p = run["test_y"].ravel(), run["pred_test"].ravel()
    matrix = [[int(np.sum((y == 1) & (p == 1))), int(np.sum((y == 1) & (p == 0)))],
              [int(np.sum((y == 0) & (p == 1))), int(np.sum((y == 0) & (p == 0)))]]
    assert matrix == [[30, 3], [7, 10]]  # the course's published network: 40 of 50 right
    rows = {line.split()[0]: [int(x) for x in line.split()[1:]] for line in printed.splitlines()
            if line.split()[:1] in (["cat"], ["non-cat"])}
    assert rows == {"cat": matrix[0], "non-cat": matrix[1]}
    accuracy = np.mean(p == y)
    error = math.sqrt(accuracy * (1 - accuracy) / y.size)
    assert f"test accuracy: {accuracy:.2f} ({int(np.sum(p == y))} of {y.size})" in printed
    assert f'always say "cat": {np.mean(y == 1):.2f} on the test set, {np.mean(run["train_y"] == 1):.2f}' in printed
    assert f"standard error of the test accuracy: {error:.3f}" in printed
    assert f"{accuracy - 1.96 * error:.2f} to {accuracy + 1.96 * error:.2f}" in printed
    quoted = re.search(r"```text\n(.*?)```", notebook_cells[by_id["analysis_text"]].source, re.DOTALL).group(1)
    assert quoted.strip() == printed.strip()


def test_the_comparison_prints_the_runs_accuracies_and_the_text_quotes_them(run):
    notebook_cells, by_id = cells()
    printed = run_cell(notebook_cells[by_id["comparison_intro"] + 1].source, dict(run))
    y = run["test_y"]
    table = notebook_cells[by_id["comparison_text"]].source
    for name, predictions in [("two-layer (7)", run["predictions_test"]), ("four-layer (20, 7, 5)", run["pred_test"]),
                              ('always say "cat"', np.ones_like(y))]:
        accuracy = np.mean(predictions == y)
        error = math.sqrt(accuracy * (1 - accuracy) / y.size)
        line = next(line for line in printed.splitlines() if line.startswith(name))
        assert line.split()[-2:] == [f"{accuracy:.3f}", f"{error:.3f}"]
        row = next(row for row in table.splitlines() if row.startswith(f"| {name} |"))
        assert f"| {accuracy:.3f} | {error:.3f} | {int(np.sum(predictions != y))} of {y.size} |" in row
    only_four = int(np.sum((run["pred_test"] == y) & (run["predictions_test"] != y)))
    only_two = int(np.sum((run["predictions_test"] == y) & (run["pred_test"] != y)))
    assert f"only the four-layer network gets right: {only_four}; only the two-layer: {only_two}" in printed
    p_value = re.search(r"p = (\d\.\d\d)", printed).group(1)
    assert f"{only_four} test pictures that only the four-layer network gets right, against {only_two}" in " ".join(
        table.split()) and f"p = {p_value}" in table
