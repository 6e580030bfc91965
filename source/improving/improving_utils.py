"""What the course gives you in "Improving your Deep Network": a 3-layer network, two data sets, the tools of
the gradient check.

Sections:
- Activations: sigmoid and ReLU. Here they return the activation only (A = relu(Z)), as in the well-known
  course's utilities for this notebook; dnn_utils' versions of the earlier notebooks also return a cache.
- The network: LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, forward and backward, the cost,
  the update and the prediction. `model` trains it with any of your initializations, L2 or dropout.
- Data: a 2-D data set of two noisy circles, made by NumPy from a seed (nothing is downloaded).
- Plots: decision boundaries, cost curves.
- Gradient checking: parameters as one vector and back, and the 3-layer network's cost and gradients
  (`backward_propagation_n` holds a planted bug, for your gradient check to find).

Shapes follow the course: one column per example, e.g. X of shape (n_x, m), Y of shape (1, m).
"""

import numpy as np
import matplotlib.pyplot as plt

LAYER_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")

# ---------------------------------------------------------------- activations


def sigmoid(x):
    """1 / (1 + exp(-x)), any shape."""
    return 1 / (1 + np.exp(-x))


def relu(x):
    """max(0, x), any shape."""
    return np.maximum(0, x)


# ---------------------------------------------------------------- the 3-layer network


def forward_propagation(X, parameters):
    """LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

    X: (n_x, m); parameters: W1 (n_1, n_x), b1 (n_1, 1), W2 (n_2, n_1), b2 (n_2, 1), W3 (1, n_2), b3 (1, 1).
    Returns A3 (1, m), the probabilities, and cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3).
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    return A3, cache


def backward_propagation(X, Y, cache):
    """The gradients of compute_cost for forward_propagation's cache.

    Returns a dict with dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1, each of the shape of the
    quantity it is the gradient of (dW1 like W1, dZ1 like Z1, ...).
    """
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def compute_cost(a3, Y):
    """The cross-entropy cost -1/m sum(y log a3 + (1 - y) log(1 - a3)), a float.

    a3 and Y: (1, m). A probability of exactly 0 or 1 on the wrong label (a saturated sigmoid: in float64,
    sigmoid(z) is exactly 1.0 for z above about 37) costs log(0) = -inf: the cost is then inf.
    """
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) is -inf, and 0 * -inf is nan: see nansum
        logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return 1. / m * np.nansum(logprobs)


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: a new dict, W = W - learning_rate * dW and b = b - learning_rate * db."""
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def predict(X, parameters):
    """The labels the network gives X (n_x, m): 1 where A3 > 0.5, else 0, shape (1, m)."""
    A3, _ = forward_propagation(X, parameters)
    return (A3 > 0.5).astype(int)


def accuracy(X, Y, parameters):
    """The share of the examples of X (n_x, m) whose predicted label equals Y (1, m)."""
    return float(np.mean(predict(X, parameters) == Y))


# ---------------------------------------------------------------- data: two noisy circles


def load_circles(m_train=300, m_test=100, noise=0.05, factor=0.6, seed=1):
    """Two noisy circles, the inner one labelled 1: (train_X (2, m_train), train_Y (1, m_train), test_X, test_Y).

    Each set holds as many points of each circle; every point is at an even angle on its circle (radius 1 or
    `factor`) plus Gaussian noise of standard deviation `noise` on each coordinate, the labels' order shuffled.
    """
    rng = np.random.default_rng(seed)

    def circles(m):
        outer, inner = m // 2, m - m // 2
        angles = np.concatenate([np.linspace(0, 2 * np.pi, outer, endpoint=False),
                                 np.linspace(0, 2 * np.pi, inner, endpoint=False)])
        radius = np.concatenate([np.ones(outer), np.full(inner, factor)])
        X = np.vstack([radius * np.cos(angles), radius * np.sin(angles)]) + noise * rng.standard_normal((2, m))
        Y = np.concatenate([np.zeros(outer), np.ones(inner)]).reshape(1, m)
        order = rng.permutation(m)
        return X[:, order], Y[:, order]

    train_X, train_Y = circles(m_train)
    test_X, test_Y = circles(m_test)
    return train_X, train_Y, test_X, test_Y


# ---------------------------------------------------------------- plots

COLOURS = {0: "#E69F00", 1: "#0072B2"}  # Okabe-Ito orange and blue, as dnn_utils' plots


def plot_decision_boundary(parameters, X, Y, ax=None, title=""):
    """The plane coloured by the network's label (0 or 1), with the points of X (2, m) coloured by Y (1, m)."""
    ax = ax or plt.gca()
    x_min, x_max = X[0].min() - 0.5, X[0].max() + 0.5
    y_min, y_max = X[1].min() - 0.5, X[1].max() + 0.5
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, 200), np.linspace(y_min, y_max, 200))
    labels = predict(np.vstack([xx.ravel(), yy.ravel()]), parameters).reshape(xx.shape)
    ax.contourf(xx, yy, labels, levels=[-0.5, 0.5, 1.5], colors=[COLOURS[0], COLOURS[1]], alpha=0.25)
    for label, marker in ((0, "o"), (1, "s")):
        chosen = Y[0] == label
        ax.scatter(X[0, chosen], X[1, chosen], s=12, c=COLOURS[label], marker=marker, label=f"y = {label}")
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def plot_cost_curves(curves, every=1, ax=None, title="Cost while training", log=False):
    """One line per run: curves is {label: costs}, costs recorded every `every` iterations."""
    ax = ax or plt.gca()
    for label, costs in curves.items():
        ax.plot(np.arange(len(costs)) * every, np.squeeze(costs), label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    if log:
        ax.set_yscale("log")
    ax.set_title(title, fontsize=10)
    ax.legend()
    return ax


# ---------------------------------------------------------------- gradient checking

# The gradient-checking network: 4 inputs, then 5, 3 and 1 units. Its parameters as one vector, in this order.
GRADIENT_CHECK_SHAPES = (("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1)))


def dictionary_to_vector(parameters):
    """W1, b1, W2, b2, W3, b3 stacked into one column vector theta (47, 1); also returns each entry's key."""
    pieces, keys = [], []
    for key, shape in GRADIENT_CHECK_SHAPES:
        new_vector = np.reshape(parameters[key], (-1, 1))
        keys += [key] * new_vector.shape[0]
        pieces.append(new_vector)
    return np.concatenate(pieces, axis=0), keys


def vector_to_dictionary(theta):
    """The inverse of dictionary_to_vector: theta (47, 1) -> {W1 (5, 4), b1 (5, 1), W2 (3, 5), ...}."""
    parameters, start = {}, 0
    for key, shape in GRADIENT_CHECK_SHAPES:
        size = int(np.prod(shape))
        parameters[key] = theta[start:start + size].reshape(shape)
        start += size
    return parameters


def gradients_to_vector(gradients):
    """dW1, db1, dW2, db2, dW3, db3 stacked into one column vector (47, 1), in the order of dictionary_to_vector."""
    return np.concatenate([np.reshape(gradients["d" + key], (-1, 1)) for key, _ in GRADIENT_CHECK_SHAPES], axis=0)


def forward_propagation_n(X, Y, parameters):
    """The cost of the 3-layer network on X (4, m) with labels Y (1, m), and its cache (forward_propagation's)."""
    A3, cache = forward_propagation(X, parameters)
    m = X.shape[1]
    logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    cost = 1. / m * np.sum(logprobs)
    return cost, cache


def backward_propagation_n(X, Y, cache):
    """The gradients of forward_propagation_n's cost, as backward_propagation gives them... with one bug planted.

    Your gradient check should find it. Which parameter's gradient is wrong?
    """
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) * 2
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
