"""Fixed inputs for the graded functions of both assignments.

Each `<function>_test_case()` returns the arguments of <function> as a tuple, so
`function(*testCases.function_test_case())` runs it. Random inputs come from their
own np.random.RandomState, so calling a test case leaves your global random state
(np.random.seed) alone.

The shapes are chosen so that mistakes show up: weight matrices are never square
(a transposed matrix has the wrong shape), there are several examples (m > 1), and
the L-layer functions get three layers.
"""

import numpy as np

from dnn_utils import sigmoid


def _random_parameters(rng, layer_dims):
    """W1, b1, ..., WL, bL with Wl of shape (layer_dims[l], layer_dims[l-1]) and bl of shape (layer_dims[l], 1)."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b" + str(l)] = rng.randn(layer_dims[l], 1)
    return parameters


# ---------------------------------------------------------------- assignment 1: initialization

def initialize_parameters_test_case():
    """(n_x, n_h, n_y): a network with 3 inputs, 2 hidden units and 1 output."""
    n_x, n_h, n_y = 3, 2, 1
    return n_x, n_h, n_y


def initialize_parameters_deep_test_case():
    """(layer_dims,): 5 inputs, then layers of 4 and 3 units."""
    layer_dims = [5, 4, 3]
    return (layer_dims,)


# ---------------------------------------------------------------- assignment 1: forward propagation

def linear_forward_test_case():
    """(A, W, b): 3 units in the previous layer, 2 in this one, 4 examples."""
    rng = np.random.RandomState(1)
    A = rng.randn(3, 4)
    W = rng.randn(2, 3)
    b = rng.randn(2, 1)
    return A, W, b


def linear_activation_forward_test_case():
    """(A_prev, W, b): 3 units in the previous layer, 2 in this one, 4 examples; Z has both signs.

    The activation ("sigmoid" or "relu") is the fourth argument; the public test tries both.
    """
    rng = np.random.RandomState(2)
    A_prev = rng.randn(3, 4)
    W = rng.randn(2, 3)
    b = rng.randn(2, 1)
    return A_prev, W, b


def L_model_forward_test_case():
    """(X, parameters): 5 input features, 4 examples, layers of 4, 3 and 1 units."""
    rng = np.random.RandomState(6)
    layer_dims = [5, 4, 3, 1]
    m = 4
    X = rng.randn(layer_dims[0], m)
    parameters = _random_parameters(rng, layer_dims)
    return X, parameters


def compute_cost_test_case():
    """(AL, Y): predicted probabilities and true labels of 5 examples."""
    AL = np.array([[0.8, 0.9, 0.4, 0.3, 0.2]])
    Y = np.array([[1, 1, 0, 1, 0]])
    return AL, Y


# ---------------------------------------------------------------- assignment 1: backward propagation

def linear_backward_test_case():
    """(dZ, linear_cache): 5 units in the previous layer, 3 in this one, 4 examples.

    linear_cache is (A_prev, W, b), as linear_forward() keeps it.
    """
    rng = np.random.RandomState(3)
    dZ = rng.randn(3, 4)
    A_prev = rng.randn(5, 4)
    W = rng.randn(3, 5)
    b = rng.randn(3, 1)
    return dZ, (A_prev, W, b)


def linear_activation_backward_test_case():
    """(dA, cache): 3 units in the previous layer, 2 in this one, 4 examples.

    cache is ((A_prev, W, b), Z), as linear_activation_forward() keeps it. The
    activation ("sigmoid" or "relu") is the third argument; the public test tries both.
    """
    rng = np.random.RandomState(26)
    dA = rng.randn(2, 4)
    A_prev = rng.randn(3, 4)
    W = rng.randn(2, 3)
    b = rng.randn(2, 1)
    Z = rng.randn(2, 4)
    return dA, ((A_prev, W, b), Z)


def L_model_backward_test_case():
    """(AL, Y, caches): layer sizes [4, 3, 2, 1], 5 examples.

    The caches are random, as if made by L_model_forward(), and AL is the sigmoid of
    the last layer's Z, as L_model_forward() makes it.
    """
    rng = np.random.RandomState(18)
    layer_dims = [4, 3, 2, 1]
    m = 5
    caches = []
    for l in range(1, len(layer_dims)):
        A_prev = rng.randn(layer_dims[l - 1], m)
        W = rng.randn(layer_dims[l], layer_dims[l - 1])
        b = rng.randn(layer_dims[l], 1)
        Z = rng.randn(layer_dims[l], m)
        caches.append(((A_prev, W, b), Z))
    AL, _ = sigmoid(caches[-1][1])
    Y = np.array([[1, 0, 1, 1, 0]])
    return AL, Y, caches


def update_parameters_test_case():
    """(params, grads, learning_rate): layer sizes [4, 3, 1].

    grads also holds dA0 and dA1, as L_model_backward() makes them.
    """
    rng = np.random.RandomState(7)
    layer_dims = [4, 3, 1]
    m = 6
    params = _random_parameters(rng, layer_dims)
    grads = {}
    for l in range(1, len(layer_dims)):
        grads["dA" + str(l - 1)] = rng.randn(layer_dims[l - 1], m)
        grads["dW" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1])
        grads["db" + str(l)] = rng.randn(layer_dims[l], 1)
    learning_rate = 0.1
    return params, grads, learning_rate


# ---------------------------------------------------------------- assignment 2: models

def _small_problem(seed, n_x, m):
    """X of shape (n_x, m) and labels Y of shape (1, m) that a small network can learn."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (X[0:1, :] + X[1:2, :] > 0).astype(float)
    return X, Y


def two_layer_model_test_case():
    """(X, Y, layers_dims, learning_rate, num_iterations): 4 features, 12 examples, 3 hidden units."""
    X, Y = _small_problem(seed=8, n_x=4, m=12)
    layers_dims = (4, 3, 1)
    learning_rate = 0.5
    num_iterations = 300
    return X, Y, layers_dims, learning_rate, num_iterations


def L_layer_model_test_case():
    """(X, Y, layers_dims, learning_rate, num_iterations): 4 features, 12 examples, layers of 5, 3 and 1 units."""
    X, Y = _small_problem(seed=9, n_x=4, m=12)
    layers_dims = [4, 5, 3, 1]
    learning_rate = 0.1
    num_iterations = 300
    return X, Y, layers_dims, learning_rate, num_iterations
