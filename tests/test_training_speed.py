"""What makes Part 2's training fast changes no result: the data's layout; the helpers are the textbook's.

(How fast it is belongs to `python -m dnn_grader.evidence.benchmark_training`, not to the tests.)
"""

import dnn_app_utils
import h5py
import numpy as np
import pytest

import dnn_utils
from dnn_grader.evidence.benchmark_training import models

RNG = np.random.default_rng(11)


def small_problem(n_x=40, m=30):
    X = RNG.random((n_x, m))
    return X, (RNG.random((1, m)) < 0.4).astype(float)


def test_linear_backward_gives_the_textbooks_plain_arrays():
    dZ, A_prev, W, b = RNG.standard_normal((3, 5)), RNG.standard_normal((4, 5)), RNG.standard_normal((3, 4)), 0
    m = A_prev.shape[1]  # the textbook's formulas, every gradient computed at once
    expected_dA_prev, expected_dW = np.dot(W.T, dZ), 1 / m * np.dot(dZ, A_prev.T)
    expected_db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev, dW, db = dnn_app_utils.linear_backward(dZ, (A_prev, W, b))
    assert type(dA_prev) is np.ndarray and type(dW) is np.ndarray and type(db) is np.ndarray
    assert np.array_equal(dA_prev, expected_dA_prev) and np.array_equal(db, expected_db)
    assert np.allclose(dW, expected_dW, rtol=1e-14)


@pytest.mark.parametrize("layer_dims", [[40, 6, 4, 1], [40, 1]])
def test_L_model_backward_gives_arrays_for_every_gradient_dA0_included(layer_dims):
    X, Y = small_problem()
    params = dnn_app_utils.initialize_parameters_deep(layer_dims)
    AL, caches = dnn_app_utils.L_model_forward(X, params)
    grads = dnn_app_utils.L_model_backward(AL, Y, caches)
    L = len(layer_dims) - 1
    expected_keys = {f"d{kind}{l}" for l in range(1, L + 1) for kind in "Wb"} | {f"dA{l}" for l in range(L)}
    assert set(grads) == expected_keys
    assert all(type(value) is np.ndarray for value in grads.values())
    assert grads["dA0"].shape == X.shape


@pytest.mark.parametrize("model, dims", [("two_layer_model", (40, 5, 1)), ("L_layer_model", [40, 6, 4, 1])])
def test_the_models_give_the_same_run_on_X_in_either_layout(model, dims):
    """The benchmark's "textbook" way is the same models on X as the classic flatten lays it out (Fortran order)."""
    X, Y = small_problem()
    course = models()[model](X, Y, dims, 0.05, 301)
    textbook = models()[model](np.asfortranarray(X), Y, dims, 0.05, 301)
    course_costs, textbook_costs = np.array(course[1], dtype=float), np.array(textbook[1], dtype=float)
    assert len(course_costs) == 4 and textbook_costs[-1] < textbook_costs[0]  # it learned something
    assert np.max(np.abs(course_costs - textbook_costs) / textbook_costs) < 1e-10
    for key in course[0]:
        assert np.allclose(course[0][key], textbook[0][key], rtol=1e-9, atol=1e-15), key


def test_loaded_pictures_flatten_to_a_C_ordered_X_with_the_same_values(tmp_path):
    pictures = RNG.integers(0, 256, size=(6, 4, 4, 3), dtype=np.uint8)
    dnn_utils.write_h5_dataset(tmp_path, pictures, [0, 1, 0, 1, 1, 0], pictures[:2], [1, 0], ["non-cat", "cat"])
    train_x_orig, *_ = dnn_utils.load_data(tmp_path, verbose=False)
    with h5py.File(tmp_path / dnn_utils.TRAIN_FILE) as stored:
        assert np.array_equal(train_x_orig, stored["train_set_x"][:])
    X = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255  # as the notebook flattens
    assert X.flags["C_CONTIGUOUS"] and np.array_equal(X, pictures.reshape(6, -1).T / 255)
