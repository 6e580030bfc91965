"""The course-provided helpers: activations and the Part 2 network functions."""

import contextlib
import io

import numpy as np
import pytest

import dnn_utils
from dnn_grader.compare import relative_error
from dnn_grader.gradients import numeric_gradient

RNG = np.random.default_rng(7)


@pytest.mark.parametrize("forward, backward", [(dnn_utils.sigmoid, dnn_utils.sigmoid_backward),
                                               (dnn_utils.relu, dnn_utils.relu_backward)])
def test_activation_backward_matches_finite_differences(forward, backward):
    Z, dA = RNG.standard_normal((3, 5)), RNG.standard_normal((3, 5))
    A, cache = forward(Z)
    assert A.shape == Z.shape and cache is Z
    numeric = numeric_gradient(lambda: float(np.sum(dA * forward(Z)[0])), Z)
    assert relative_error(backward(dA, cache), numeric) < 1e-7


def test_activations_are_what_they_say():
    Z = np.array([[-2.0, 0.0, 3.0]])
    assert np.allclose(dnn_utils.sigmoid(Z)[0], 1 / (1 + np.exp(-Z)))
    assert np.array_equal(dnn_utils.relu(Z)[0], [[0.0, 0.0, 3.0]])


def test_network_gradients_match_finite_differences_of_the_cost():
    params = dnn_utils.initialize_parameters_deep([4, 5, 3, 1])
    for key in ("b1", "b2", "b3"):  # non-zero biases keep every ReLU away from its kink at exactly 0
        params[key] = RNG.standard_normal(params[key].shape)
    X, Y = RNG.standard_normal((4, 6)), (RNG.random((1, 6)) > 0.5).astype(float)
    AL, caches = dnn_utils.L_model_forward(X, params)
    grads = dnn_utils.L_model_backward(AL, Y, caches)

    def cost():
        return float(dnn_utils.compute_cost(dnn_utils.L_model_forward(X, params)[0], Y))

    for key in params:
        assert relative_error(grads["d" + key], numeric_gradient(cost, params[key])) < 1e-7, key


def test_initializers_follow_part_2_conventions():
    deep = dnn_utils.initialize_parameters_deep([6, 4, 1])
    np.random.seed(1)
    assert np.array_equal(deep["W1"], np.random.randn(4, 6) / np.sqrt(6))
    assert deep["b2"].shape == (1, 1) and not deep["b2"].any()
    two = dnn_utils.initialize_parameters(6, 4, 1)
    np.random.seed(1)
    assert np.array_equal(two["W1"], np.random.randn(4, 6) * 0.01)


def test_update_parameters_leaves_the_callers_arrays_alone():
    params = dnn_utils.initialize_parameters(3, 2, 1)
    before = {key: value.copy() for key, value in params.items()}
    grads = {"d" + key: np.ones_like(value) for key, value in params.items()}
    updated = dnn_utils.update_parameters(params, grads, 0.5)
    assert all(np.array_equal(params[key], before[key]) for key in params)
    assert np.allclose(updated["W1"], before["W1"] - 0.5)


def test_predict_thresholds_at_one_half_and_prints_the_accuracy():
    params = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    X, y = np.array([[-1.0, 2.0, 3.0]]), np.array([[0, 1, 0]])
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        p = dnn_utils.predict(X, y, params)
    assert np.array_equal(p, [[0, 1, 1]])
    assert printed.getvalue().strip() == f"Accuracy: {2 / 3}"


def test_example_grid_shows_every_class_even_a_rare_one():
    labels = np.array([0] * 20 + [1] + [0] * 5 + [1])
    assert dnn_utils.balanced_indices(labels, 2, 6) == [0, 1, 2, 3, 20, 26]
    assert dnn_utils.balanced_indices(np.array([1, 0, 0, 0]), 2, 4) == [0, 1, 2, 3]  # topped up in order
    pictures = np.zeros((len(labels), 4, 4, 3), dtype=np.uint8)
    figure = dnn_utils.show_examples(pictures, labels.reshape(1, -1), [b"other", b"rare"], count=6, columns=3)
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    assert titles == ["0: other", "1: other", "2: other", "3: other", "20: rare", "26: rare"]
