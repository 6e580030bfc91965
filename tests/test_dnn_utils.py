"""The course-provided helpers: activations, plots (dnn_utils) and the application's network functions (dnn_app_utils)."""

import contextlib
import io

import dnn_app_utils
import matplotlib.pyplot as plt
import numpy as np
import pytest

import dnn_utils
from dnn_grader.engine.gradients import numeric_gradient, relative_error

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
    params = dnn_app_utils.initialize_parameters_deep([4, 5, 3, 1])
    for key in ("b1", "b2", "b3"):  # non-zero biases keep every ReLU away from its kink at exactly 0
        params[key] = RNG.standard_normal(params[key].shape)
    X, Y = RNG.standard_normal((4, 6)), (RNG.random((1, 6)) > 0.5).astype(float)
    AL, caches = dnn_app_utils.L_model_forward(X, params)
    grads = dnn_app_utils.L_model_backward(AL, Y, caches)

    def cost():
        return float(dnn_app_utils.compute_cost(dnn_app_utils.L_model_forward(X, params)[0], Y))

    for key in params:
        assert relative_error(grads["d" + key], numeric_gradient(cost, params[key])) < 1e-7, key
    for l in (0, 1, 2):  # dA0, the gradient with respect to X, too: the seed's L_model_backward returns it
        assert type(grads[f"dA{l}"]) is np.ndarray and grads[f"dA{l}"].shape == caches[l][0][0].shape


def test_initializers_follow_part_2_conventions():
    deep = dnn_app_utils.initialize_parameters_deep([6, 4, 1])
    np.random.seed(1)
    assert np.array_equal(deep["W1"], np.random.randn(4, 6) / np.sqrt(6))
    assert deep["b2"].shape == (1, 1) and not deep["b2"].any()
    two = dnn_app_utils.initialize_parameters(6, 4, 1)
    np.random.seed(1)
    assert np.array_equal(two["W1"], np.random.randn(4, 6) * 0.01)
    small = dnn_app_utils.initialize_parameters_deep_small([6, 4, 1])  # assignment 1's version
    np.random.seed(3)
    assert np.array_equal(small["W1"], np.random.randn(4, 6) * 0.01)


def test_update_parameters_leaves_the_callers_arrays_alone():
    params = dnn_app_utils.initialize_parameters(3, 2, 1)
    before = {key: value.copy() for key, value in params.items()}
    grads = {"d" + key: np.ones_like(value) for key, value in params.items()}
    updated = dnn_app_utils.update_parameters(params, grads, 0.5)
    assert all(np.array_equal(params[key], before[key]) for key in params)
    assert np.allclose(updated["W1"], before["W1"] - 0.5)


def test_predict_thresholds_at_one_half_and_prints_the_accuracy():
    params = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    X, y = np.array([[-1.0, 2.0, 3.0]]), np.array([[0, 1, 0]])
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        p = dnn_app_utils.predict(X, y, params)
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


def boxes_overlap(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_mislabeled_pictures_come_as_a_grid_under_a_title_that_overlaps_nothing(capsys):
    X = RNG.random((4 * 4 * 3, 30))
    y, p = np.zeros((1, 30)), np.zeros((1, 30))
    p[0, [1, 3, 4, 8, 9, 12, 15, 20, 21, 22, 25, 29]] = 1
    figure = dnn_utils.print_mislabeled_images([b"non-cat", b"cat"], X, y, p)
    pictures = [ax for ax in figure.axes if ax.images]
    assert len(pictures) == 10 and figure.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 5)
    assert pictures[0].get_title() == "1: predicted cat\nlabel: non-cat"
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    title = figure._suptitle.get_window_extent(renderer)
    assert figure._suptitle.get_text() == "Mislabeled pictures: the first 10 of 12"
    for ax in pictures:
        assert not boxes_overlap(title, ax.get_tightbbox(renderer)), ax.get_title()
    plt.close(figure)
    assert dnn_utils.print_mislabeled_images([b"a", b"b"], X, y, y) is None
    assert capsys.readouterr().out == "No mislabeled pictures.\n"


def test_a_test_picture_is_classified_out_of_the_box():
    params = {"W1": np.full((1, 2 * 2 * 3), 0.1), "b1": np.array([[-0.2]])}
    picture = np.full((2, 2, 3), 255, dtype=np.uint8)  # x = 1 everywhere: z = 1.2 - 0.2 = 1 > 0
    assert dnn_app_utils.classify_own_image(picture, params, [b"non-cat", b"cat"], 2) == 1
    assert plt.gca().get_title() == f"the network says: cat\n(output {1 / (1 + np.exp(-1.0)):.2f})"
    assert dnn_app_utils.classify_own_image(picture * 0, params, [b"non-cat", b"cat"], 2) == 0
    plt.close("all")


def test_the_fallback_data_message_says_what_happened_then_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DNN_DATASETS", raising=False)
    monkeypatch.setenv("DNN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    dnn_utils.load_data()
    message = capsys.readouterr().out.strip()
    first, second = message.split(". To use the cat pictures, ")
    assert first.startswith("The course's cat pictures were not found, so this is the FALLBACK data set")
    assert second == ("put train_catvnoncat.h5 and test_catvnoncat.h5 in a folder named datasets/ or set "
                      "DNN_DATASETS to the folder that holds them.")
