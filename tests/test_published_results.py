"""Part 2 reproduces the course's published results on the course's cat pictures."""

import contextlib
import io
import re

import numpy as np
import pytest
from conftest import REPO

from dnn_grader.engine.references import reference_namespace

# (layers, cost at iteration 0, cost at iteration 2499, train accuracy, test accuracy), as published by the course
PUBLISHED = {
    "two_layer_model": ((None, 7, 1), 0.6930497356599888, 0.04421498215868956, 1.0, 0.72),
    "L_layer_model": ((None, 20, 7, 5, 1), 0.7717493284237686, 0.08843994344170202, 0.9856459330143539, 0.8),
}


@pytest.fixture(scope="module")
def cat_pictures(cat_data):
    import dnn_utils

    train_x_orig, train_y, test_x_orig, test_y, _ = dnn_utils.load_data(cat_data)
    flatten = lambda x: x.reshape(x.shape[0], -1).T / 255
    return flatten(train_x_orig), train_y, flatten(test_x_orig), test_y


@pytest.mark.parametrize("model", sorted(PUBLISHED))
def test_model_reproduces_the_published_costs_and_accuracies(cat_pictures, model):
    import dnn_app_utils

    train_x, train_y, test_x, test_y = cat_pictures
    layers, first_cost, last_cost, train_accuracy, test_accuracy = PUBLISHED[model]
    layers = (train_x.shape[0], *layers[1:])
    train = reference_namespace(str(REPO), "application")[model]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        parameters, costs = train(train_x, train_y, layers, num_iterations=2500, print_cost=True)
    found = {int(i): float(c) for i, c in re.findall(r"Cost after iteration (\d+): (\S+)", printed.getvalue())}
    assert found[0] == pytest.approx(first_cost, abs=1e-8)
    assert found[2499] == pytest.approx(last_cost, abs=1e-8)
    assert len(costs) == 25 and float(costs[0]) == pytest.approx(first_cost, abs=1e-8)
    with contextlib.redirect_stdout(io.StringIO()):
        train_pred = dnn_app_utils.predict(train_x, train_y, parameters)
        test_pred = dnn_app_utils.predict(test_x, test_y, parameters)
    assert np.mean(train_pred == train_y) == pytest.approx(train_accuracy, abs=1e-8)
    assert np.mean(test_pred == test_y) == pytest.approx(test_accuracy, abs=1e-8)
