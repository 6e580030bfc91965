"""What makes Part 2's training fast changes no result: deferred dA_prev, the data's layout, the 1/m on dZ.

(How fast it is belongs to `python -m dnn_course.benchmark_training`, not to the tests.)
"""

import h5py
import numpy as np
import pytest

import dnn_utils
from dnn_course.benchmark_training import models, textbook_linear_backward

RNG = np.random.default_rng(11)


def small_problem(n_x=40, m=30):
    X = RNG.random((n_x, m))
    return X, (RNG.random((1, m)) < 0.4).astype(float)


def test_dA_prev_is_computed_only_when_used_and_is_then_right():
    dZ, A_prev, W, b = RNG.standard_normal((3, 5)), RNG.standard_normal((4, 5)), RNG.standard_normal((3, 4)), 0
    dA_prev, dW, db = dnn_utils.linear_backward(dZ, (A_prev, W, b))
    assert dA_prev._value is None, "dA_prev was computed although nobody used it"
    expected, expected_dW, expected_db = textbook_linear_backward(dZ, (A_prev, W, b))
    assert np.allclose(dW, expected_dW, rtol=1e-14) and np.array_equal(db, expected_db)
    assert dA_prev.shape == (4, 5) and np.array_equal(np.asarray(dA_prev), expected)
    assert dA_prev._value is not None


@pytest.mark.parametrize("use", [
    lambda d: d * 2, lambda d: 2 * d, lambda d: -d, lambda d: d @ np.ones((5, 1)), lambda d: np.sum(d, axis=1),
    lambda d: np.maximum(d, 0), lambda d: d.T, lambda d: d[1:3], lambda d: np.array(d, copy=True),
    lambda d: np.concatenate([d, d]), lambda d: np.squeeze(d), lambda d: float(np.mean(d)),
])
def test_a_deferred_dA_prev_works_like_the_array_it_stands_for(use):
    W, dZ = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 5))
    assert np.array_equal(use(dnn_utils.DeferredProduct(W, dZ)), use(np.dot(W.T, dZ)))


def test_printing_a_deferred_dA_prev_prints_its_values():
    W, dZ = RNG.standard_normal((2, 3)), RNG.standard_normal((2, 2))
    assert str(dnn_utils.DeferredProduct(W, dZ)) == str(np.dot(W.T, dZ))


def test_backward_through_the_activations_accepts_a_deferred_dA():
    W, dZ, Z = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 5)), RNG.standard_normal((4, 5))
    for backward in (dnn_utils.relu_backward, dnn_utils.sigmoid_backward):
        assert np.array_equal(backward(dnn_utils.DeferredProduct(W, dZ), Z), backward(np.dot(W.T, dZ), Z))


def test_training_the_L_layer_model_never_computes_dA0():
    X, Y = small_problem()
    params = dnn_utils.initialize_parameters_deep([X.shape[0], 6, 4, 1])
    AL, caches = dnn_utils.L_model_forward(X, params)
    grads = dnn_utils.L_model_backward(AL, Y, caches)
    assert grads["dA0"]._value is None
    assert grads["dA1"]._value is not None  # used by layer 1's backward step
    eager = dnn_utils.linear_activation_backward(np.asarray(grads["dA1"]), caches[0], "relu")
    assert np.array_equal(np.asarray(grads["dA0"]), np.asarray(eager[0]))


@pytest.mark.parametrize("model, dims", [("two_layer_model", (40, 5, 1)), ("L_layer_model", [40, 6, 4, 1])])
def test_the_models_follow_the_textbooks_cost_trajectory(model, dims):
    X, Y = small_problem()
    course = models(textbook=False)[model](X, Y, dims, 0.05, 301)
    textbook = models(textbook=True)[model](np.asfortranarray(X), Y, dims, 0.05, 301)
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
