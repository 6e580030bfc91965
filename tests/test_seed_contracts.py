"""Part 2's helpers keep the first assignment's contracts: the same signatures, dA0 computed, the cost's type.

Code and tests written for the well-known course call dnn_app_utils the way assignment 1's seeds are called:
linear_backward(dZ, cache), linear_activation_backward(dA, cache, activation), L_model_backward(AL, Y, caches)
-> grads with dA0, and compute_cost(AL, Y) -> np.squeeze(cost), an array of shape ().
"""

import inspect

import dnn_app_utils
import nbformat
import numpy as np
import pytest
from conftest import REPO

from dnn_grader.engine.references import reference_namespace

SEEDS = ("initialize_parameters", "initialize_parameters_deep", "linear_forward", "linear_activation_forward",
         "L_model_forward", "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
         "update_parameters")


@pytest.mark.parametrize("name", SEEDS)
def test_signature_is_the_seeds(name):
    seed = reference_namespace(str(REPO), "step_by_step")[name]
    assert inspect.signature(getattr(dnn_app_utils, name)) == inspect.signature(seed)


def test_L_model_backward_returns_what_the_seed_returns_dA0_included():
    solution = reference_namespace(str(REPO), "step_by_step")
    rng = np.random.default_rng(5)
    X, Y = rng.standard_normal((6, 8)), (rng.random((1, 8)) < 0.5).astype(float)
    params = dnn_app_utils.initialize_parameters_deep([6, 4, 3, 1])
    AL, caches = dnn_app_utils.L_model_forward(X, params)
    grads = dnn_app_utils.L_model_backward(AL, Y, caches)
    expected = solution["L_model_backward"](AL, Y, caches)
    assert set(grads) == set(expected) and "dA0" in grads
    for key in expected:
        assert np.allclose(grads[key], expected[key], rtol=1e-12, atol=1e-15), key


def test_compute_cost_returns_the_seeds_type():
    solution = reference_namespace(str(REPO), "step_by_step")
    AL, Y = np.array([[0.8, 0.9, 0.4]]), np.array([[1.0, 1.0, 0.0]])
    cost = dnn_app_utils.compute_cost(AL, Y)
    seed_cost = np.squeeze((1. / 3) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T)))
    assert type(cost) is type(seed_cost) and cost.shape == ()
    assert cost == pytest.approx(float(solution["compute_cost"](AL, Y)), rel=1e-12)


def test_the_application_calls_the_helpers_only_as_the_seeds_allow():
    notebook = nbformat.read(REPO / "source" / "application" / "Deep_Neural_Network_Application.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "compute_dA_prev" not in text
    assert "compute_dA_prev" not in (REPO / "source" / "application" / "dnn_app_utils.py").read_text()
