"""The specs of assignment 1, "Building your Deep Neural Network: Step by Step".

Inputs are drawn from the generator each function is given (seeded by the course's
secret, see dnn_grader/engine/secret.py), and vary in shape, layer count and activation,
so a function that is right only on the public test case does not pass, and no
answer can be computed in advance. Every
backward function is also checked against centered finite differences of the
reference forward pass, and the whole network's gradients against dJ/dθ.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from dnn_grader.course import CHECKS_FILE, handout_module
from dnn_grader.engine.gradients import (
    NumericGradient,
    centered_differences,
    gradient_problem,
    parameter_gradients_check,
)
from dnn_grader.specs import Case, FunctionSpec, correct, mistake

# this assignment's public checks: the seed mistake is told by the same rule in the notebook and in the grader
random_but_unseeded = handout_module(Path(__file__).resolve().parents[1] / CHECKS_FILE).random_but_unseeded

POSITION = 1  # its place in the series
TITLE = "Building your Deep Neural Network: Step by Step"
DATA = ()  # the course data files its notebook reads
DUE_DATE = "2026-12-11 23:59:00 UTC"  # this term's; c.RecordDueDates.due_dates in nbgrader_config.py overrides it
DEMO_MISTAKE = "linear_backward:no_mean_dW"  # what the demo class's demo-mistake gets wrong (make demo)

ACTIVATIONS = ("sigmoid", "relu")


def _layer(rng, n, n_prev, m):
    """Random A_prev (n_prev, m), W (n, n_prev), b (n, 1)."""
    return rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))


def _network(rng, layer_dims, scale=0.5):
    return {key: value for l in range(1, len(layer_dims)) for key, value in (
        (f"W{l}", rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * scale),
        (f"b{l}", rng.standard_normal((layer_dims[l], 1)) * 0.1))}


def _labels(rng, m):
    """Random 0/1 labels of shape (1, m), both classes present (m >= 2): with one class only, a cost or a gradient
    missing the other class's term would still pass, and the case would hide that mistake."""
    Y = (rng.random((1, m)) > 0.5).astype(float)
    Y[0, :2] = (1.0, 0.0)
    return Y[:, rng.permutation(m)]


# ---------------------------------------------------------------- initialization

def _sizes(rng, layers):
    """`layers` + 1 layer sizes drawn from the generator: inputs and hidden layers 2 to 12 units, the output 1 to 3.

    No two neighbouring sizes are equal (a square weight matrix would hide a swapped shape), and no input or
    hidden layer has 1 unit (a transposed single row holds the same numbers in the same order).
    """
    sizes = []
    for layer in range(layers + 1):
        low, high = (1, 4) if layer == layers else (2, 13)
        choices = [n for n in range(low, high) if not sizes or n != sizes[-1]]
        sizes.append(int(rng.choice(choices)))
    return tuple(sizes)


def initialize_parameters_cases(rng):
    """(n_x, n_h, n_y): the function seeds NumPy itself, so its answers depend on these sizes alone: draw them."""
    return [Case(f"sizes {dims}", dims) for dims in (_sizes(rng, 2) for _ in range(3))]


def initialize_parameters_deep_cases(rng):
    """layer_dims of 2, 3 and 1 layers, drawn like initialize_parameters's sizes."""
    return [Case(f"layer_dims {list(dims)}", (list(dims),)) for dims in (_sizes(rng, layers) for layers in (2, 3, 1))]


# ---------------------------------------------------------------- forward

def linear_forward_cases(rng):
    return [Case(f"n={n}, n_prev={n_prev}, m={m}", _layer(rng, n, n_prev, m))
            for n, n_prev, m in [(3, 5, 4), (1, 2, 7), (4, 3, 1)]]


def _layer_through_relu(rng, n, n_prev, m):
    """A layer (A_prev, W, b) whose Z = W A_prev + b has a negative entry: drawn again until it has one. With every
    entry positive, relu(Z) = Z, and a relu mistake (no activation, A cached in place of Z) would pass unseen."""
    while True:
        A_prev, W, b = _layer(rng, n, n_prev, m)
        if (W @ A_prev + b < 0).any():
            return A_prev, W, b


def linear_activation_forward_cases(rng):
    draw = {"sigmoid": _layer, "relu": _layer_through_relu}
    return [Case(f"{activation}, n={n}, n_prev={n_prev}, m={m}", (*draw[activation](rng, n, n_prev, m), activation),
                 branch=activation)
            for activation in ACTIVATIONS for n, n_prev, m in [(3, 5, 4), (2, 3, 6)]]


def L_model_forward_cases(rng):
    cases = []
    for dims, m in [((5, 4, 1), 6), ((4, 5, 3, 1), 3), ((6, 4, 4, 3, 1), 5)]:
        cases.append(Case(f"{len(dims) - 1} layers {dims}, m={m}",
                          (rng.standard_normal((dims[0], m)), _network(rng, dims))))
    return cases


def compute_cost_cases(rng):
    cases = []
    for m in (4, 2, 9):
        AL = rng.uniform(0.05, 0.95, (1, m))
        cases.append(Case(f"m={m}", (AL, _labels(rng, m))))
    return cases


# ---------------------------------------------------------------- backward

def linear_backward_cases(rng):
    cases = []
    for n, n_prev, m in [(3, 5, 4), (2, 3, 6), (4, 2, 3)]:
        A_prev, W, b = _layer(rng, n, n_prev, m)
        dZ = rng.standard_normal((n, m))
        cases.append(Case(f"n={n}, n_prev={n_prev}, m={m}", (dZ, (A_prev, W, b)),
                          extra=_linear_backward_gradients(dZ, A_prev, W, b)))
    return cases


def _linear_backward_gradients(dZ, A_prev, W, b):
    """dW, db are gradients of (1/m) sum(dZ * Z); dA_prev of sum(dZ * Z) (the course's convention)."""

    @cache  # the numerical gradients of a case, computed once for every result judged on it
    def numeric():
        A, W_, b_ = A_prev.copy(), W.copy(), b.copy()

        def total():
            return float(np.sum(dZ * (W_ @ A + b_)))

        return _per_example_gradients(total, A, W_, b_)

    return lambda value, reference: _first_gradient_problem(value, numeric())


def _per_example_gradients(total, A, W, b):
    """dA_prev of total; dW and db of total / m (the course's convention, m = the examples in A's columns)."""
    m = A.shape[1]
    d_W, d_b = centered_differences(total, W), centered_differences(total, b)
    return {"dA_prev": centered_differences(total, A),
            "dW": NumericGradient(d_W.value / m, d_W.uncertainty / m),
            "db": NumericGradient(d_b.value / m, d_b.uncertainty / m)}


def linear_activation_backward_cases(rng):
    cases = []
    for activation in ACTIVATIONS:
        for n, n_prev, m in [(3, 5, 4), (2, 3, 6)]:
            A_prev, W, b = _layer(rng, n, n_prev, m)
            Z = W @ A_prev + b
            dA = rng.standard_normal((n, m))
            cache = ((A_prev, W, b), Z)
            cases.append(Case(f"{activation}, n={n}, n_prev={n_prev}, m={m}", (dA, cache, activation),
                              extra=_activation_backward_gradients(dA, A_prev, W, b, activation),
                              branch=activation))
    return cases


def _activation_backward_gradients(dA, A_prev, W, b, activation):
    found = {}  # the numerical gradients of the case, computed once (they need the reference's activation)

    def check(value, reference):
        if "numeric" not in found:
            g = reference[activation]
            A, W_, b_ = A_prev.copy(), W.copy(), b.copy()

            def total():
                return float(np.sum(dA * g(W_ @ A + b_)[0]))

            found["numeric"] = _per_example_gradients(total, A, W_, b_)
        return _first_gradient_problem(value, found["numeric"])

    return check


def _first_gradient_problem(value, numeric):
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        return None
    for name, analytic in zip(("dA_prev", "dW", "db"), value):
        problem = gradient_problem(name, analytic, numeric[name])
        if problem:
            return problem
    return None


def L_model_backward_cases(rng):
    """Real forward passes (AL is the output of the caches, as the function's contract says, so the
    shortcut dZ = AL - Y is right), the first two with a whole-network gradient check."""
    cases = []
    for dims, m in [((4, 3, 1), 5), ((5, 4, 3, 1), 4)]:
        X, params, Y = rng.standard_normal((dims[0], m)), _network(rng, dims), _labels(rng, m)
        cases.append(Case(f"{len(dims) - 1} layers {dims}, m={m}, whole-network gradient check",
                          _backward_inputs(X, params, Y), extra=_network_gradients(X, params, Y)))
    for dims, m in [((3, 4, 1), 4), ((4, 2, 3, 1), 3)]:
        X, params, Y = rng.standard_normal((dims[0], m)), _network(rng, dims), _labels(rng, m)
        cases.append(Case(f"{len(dims) - 1} layers {dims}, m={m}", _backward_inputs(X, params, Y)))
    return cases


def _backward_inputs(X, params, Y):
    """(AL, Y, caches) from the reference forward pass."""

    def build(reference):
        AL, caches = reference["L_model_forward"](X, params)
        return (AL, Y, caches)

    return build


def _network_gradients(X, params, Y):
    """Check grads["dW1"] ... against centered differences of the reference's cost of L_model_forward."""
    def cost_of(reference, theta):
        AL, _ = reference["L_model_forward"](X, theta)
        return reference["compute_cost"](AL, Y)

    return parameter_gradients_check("grads", cost_of, params)


def update_parameters_cases(rng):
    cases = []
    for dims, learning_rate in [((4, 3, 1), 0.1), ((5, 4, 3, 1), 0.7)]:
        params = _network(rng, dims)
        grads = {f"d{key}": rng.standard_normal(value.shape) for key, value in params.items()}
        cases.append(Case(f"{len(dims) - 1} layers, learning_rate={learning_rate}", (params, grads, learning_rate)))
    return cases


# ---------------------------------------------------------------- the specs, in grading order

W_LINE = 'parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]'
B_LINE = 'parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]'
W_IN_PLACE = 'parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]'
B_IN_PLACE = 'parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]'
PARAMS_COPY = "parameters = {key: value.copy() for key, value in params.items()}"
COST_LINE = "cost = -1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))"
S = "step_by_step"

SPECS = [
    FunctionSpec(S, "initialize_parameters", ("parameters",), initialize_parameters_cases, mistakes=(
        mistake("no_scale", ("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_h, n_x)"),
                ("np.random.randn(n_y, n_h) * 0.01", "np.random.randn(n_y, n_h)")),
        mistake("transposed_W", ("np.random.randn(n_h, n_x)", "np.random.randn(n_x, n_h).T")),
        mistake("flat_bias", ("b1 = np.zeros((n_h, 1))", "b1 = np.zeros(n_h)"), ("b2 = np.zeros((n_y, 1))", "b2 = np.zeros(n_y)")),
        mistake("zero_weights", ("W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.zeros((n_h, n_x))")),
        mistake("seed_removed", ("    np.random.seed(1)\n", ""), resembles=random_but_unseeded),
        mistake("sqrt_scale", ("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_h, n_x) / np.sqrt(n_x)"),
                ("np.random.randn(n_y, n_h) * 0.01", "np.random.randn(n_y, n_h) / np.sqrt(n_h)")),
    ), correct=(
        correct("divide_by_100", ("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_h, n_x) / 100"),
                ("np.random.randn(n_y, n_h) * 0.01", "np.random.randn(n_y, n_h) / 100")),
    )),
    FunctionSpec(S, "initialize_parameters_deep", ("parameters",), initialize_parameters_deep_cases, mistakes=(
        mistake("missing_layer", ("for l in range(1, L):", "for l in range(1, L - 1):")),
        mistake("sqrt_scale", ("* 0.01", "/ np.sqrt(layer_dims[l - 1])")),
        mistake("flat_bias", ("np.zeros((layer_dims[l], 1))", "np.zeros(layer_dims[l])")),
        mistake("seed_removed", ("    np.random.seed(3)\n", ""), resembles=random_but_unseeded),
        mistake("no_scale", (" * 0.01", "")),
        mistake("transposed_W", ("np.random.randn(layer_dims[l], layer_dims[l - 1])",
                                 "np.random.randn(layer_dims[l - 1], layer_dims[l])")),
        mistake("zero_weights", ("np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01",
                                 "np.zeros((layer_dims[l], layer_dims[l - 1]))")),
    ), correct=(
        correct("shape_tuple", ("np.zeros((layer_dims[l], 1))", "np.zeros(shape=(layer_dims[l], 1), dtype=float)")),
    )),
    FunctionSpec(S, "linear_forward", ("Z", "cache"), linear_forward_cases, mistakes=(
        mistake("no_bias", ("Z = np.dot(W, A) + b", "Z = np.dot(W, A)")),
        mistake("minus_bias", ("Z = np.dot(W, A) + b", "Z = np.dot(W, A) - b")),
        mistake("transposed_product", ("Z = np.dot(W, A) + b", "Z = np.dot(W.T, A) + b")),
        mistake("transposed_Z", ("Z = np.dot(W, A) + b", "Z = np.dot(A.T, W.T) + b.T")),
        mistake("cache_order", ("cache = (A, W, b)", "cache = (W, A, b)")),
    ), correct=(
        correct("matmul_operator", ("Z = np.dot(W, A) + b", "Z = W @ A + b")),
        correct("np_matmul", ("Z = np.dot(W, A) + b", "Z = np.matmul(W, A) + b")),
        correct("einsum", ("Z = np.dot(W, A) + b", 'Z = np.einsum("ij,jk->ik", W, A) + b')),
    )),
    FunctionSpec(S, "linear_activation_forward", ("A", "cache"), linear_activation_forward_cases, mistakes=(
        mistake("swapped", ('if activation == "sigmoid":', 'if activation == "relu":'),
                ('elif activation == "relu":', 'elif activation == "sigmoid":')),
        mistake("relu_everywhere", ("A, activation_cache = sigmoid(Z)", "A, activation_cache = relu(Z)"),
                branch="sigmoid"),
        mistake("no_activation", ("A, activation_cache = relu(Z)", "A, activation_cache = Z, Z"), branch="relu"),
        mistake("not_unpacked", ("A, activation_cache = sigmoid(Z)", "A = sigmoid(Z)\n        activation_cache = Z"),
                branch="sigmoid"),
        mistake("cache_holds_A", ("A, activation_cache = relu(Z)",
                                  "A, activation_cache = relu(Z)\n        activation_cache = A"), branch="relu"),
    ), correct=(
        correct("dict_dispatch", ("A, activation_cache = sigmoid(Z)",
                                  'A, activation_cache = {"sigmoid": sigmoid, "relu": relu}[activation](Z)')),
    ), deps=("linear_forward",)),
    FunctionSpec(S, "L_model_forward", ("AL", "caches"), L_model_forward_cases, mistakes=(
        mistake("sigmoid_hidden", ('parameters["b" + str(l)], "relu")', 'parameters["b" + str(l)], "sigmoid")')),
        mistake("relu_output", ('parameters["b" + str(L)], "sigmoid")', 'parameters["b" + str(L)], "relu")')),
        mistake("missing_last_cache", ('"sigmoid")\n    caches.append(cache)', '"sigmoid")')),
        mistake("missing_relu_caches", ('"relu")\n        caches.append(cache)', '"relu")')),
        mistake("not_unpacked", ("AL, cache = linear_activation_forward(A,", "AL = linear_activation_forward(A,")),
    ), correct=(
        correct("while_loop", ("    for l in range(1, L):\n        A_prev = A\n",
                               "    l = 0\n    while l < L - 1:\n        l += 1\n        A_prev = A\n")),
        correct("f_string_keys", ('parameters["W" + str(l)], parameters["b" + str(l)]',
                                  'parameters[f"W{l}"], parameters[f"b{l}"]')),
    ), deps=("linear_forward", "linear_activation_forward")),
    FunctionSpec(S, "compute_cost", ("cost",), compute_cost_cases, mistakes=(
        mistake("no_mean", (COST_LINE, "cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))")),
        mistake("wrong_sign", ("cost = -1 / m *", "cost = 1 / m *")),
        mistake("missing_negative_class", ("Y * np.log(AL) + (1 - Y) * np.log(1 - AL)", "Y * np.log(AL)")),
        mistake("not_squeezed", (COST_LINE, "cost = -1 / m * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))"),
                ("cost = np.squeeze(cost)  # turns [[17]] into 17", "")),
    ), correct=(
        correct("mean", (COST_LINE, "cost = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))")),
        correct("python_float", ("cost = np.squeeze(cost)  # turns [[17]] into 17", "cost = float(np.squeeze(cost))")),
        correct("dot_squeezed", ("np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))",
                                 "(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))")),
    )),
    FunctionSpec(S, "linear_backward", ("dA_prev", "dW", "db"), linear_backward_cases, mistakes=(
        mistake("no_mean_dW", ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)")),
        mistake("db_no_keepdims", ("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=1)")),
        mistake("dA_prev_divided", ("dA_prev = np.dot(W.T, dZ)", "dA_prev = 1 / m * np.dot(W.T, dZ)")),
        mistake("db_wrong_axis", ("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=0, keepdims=True)")),
        mistake("no_mean_db", ("db = 1 / m * np.sum(", "db = np.sum(")),
        mistake("dW_transposed", ("np.dot(dZ, A_prev.T)", "np.dot(A_prev, dZ.T)")),
        mistake("dA_prev_transposed", ("dA_prev = np.dot(W.T, dZ)", "dA_prev = np.dot(dZ.T, W)")),
    ), correct=(
        correct("matmul_and_mean", ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = (dZ @ A_prev.T) / m"),
                ("db = 1 / m * np.sum(dZ, axis=1, keepdims=True)", "db = np.mean(dZ, axis=1, keepdims=True)"),
                ("dA_prev = np.dot(W.T, dZ)", "dA_prev = W.T @ dZ")),
        correct("loop_over_examples", ("dW = 1 / m * np.dot(dZ, A_prev.T)",
                                       ("dW = np.zeros(W.shape)\n    for i in range(m):\n"
                                       "        dW += np.outer(dZ[:, i], A_prev[:, i]) / m"))),
    )),
    FunctionSpec(S, "linear_activation_backward", ("dA_prev", "dW", "db"), linear_activation_backward_cases, mistakes=(
        mistake("swapped", ('if activation == "relu":', 'if activation == "sigmoid":'),
                ('elif activation == "sigmoid":', 'elif activation == "relu":')),
        mistake("skips_activation", ("dZ = sigmoid_backward(dA, activation_cache)", "dZ = dA"), branch="sigmoid"),
        mistake("relu_everywhere", ("dZ = sigmoid_backward(dA, activation_cache)", "dZ = relu_backward(dA, activation_cache)"),
                branch="sigmoid"),
    ), correct=(
        correct("dict_dispatch", ("dZ = relu_backward(dA, activation_cache)",
                                  'dZ = {"relu": relu_backward, "sigmoid": sigmoid_backward}[activation](dA, activation_cache)')),
    ), deps=("linear_backward",)),
    FunctionSpec(S, "L_model_backward", ("grads",), L_model_backward_cases, mistakes=(
        mistake("dAL_sign", ("dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))",
                             "dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)")),
        mistake("wrong_cache_index", ("current_cache = caches[l]\n", "current_cache = caches[l - 1]\n")),
        mistake("dA_keys_shifted", ('grads["dA" + str(L - 1)] = dA_prev', 'grads["dA" + str(L)] = dA_prev'),
                ('linear_activation_backward(grads["dA" + str(l + 1)], current_cache, "relu")',
                 'linear_activation_backward(grads["dA" + str(l + 2)], current_cache, "relu")'),
                ('grads["dA" + str(l)] = dA_prev', 'grads["dA" + str(l + 1)] = dA_prev')),
        mistake("sigmoid_hidden", ('current_cache, "relu")', 'current_cache, "sigmoid")')),
        mistake("relu_output", ('(dAL, current_cache, "sigmoid")', '(dAL, current_cache, "relu")')),
    ), correct=(
        correct("prints_and_warns", ("grads = {}", ('grads = {}\n    print("computing the gradients...")\n    import sys\n'
                                                    '    import warnings\n    print("a note on stderr", file=sys.stderr)\n'
                                                    '    warnings.warn("a harmless warning")'))),
        # AL is the output of L_model_forward, so AL = sigmoid(Z) and the output layer's dZ is exactly AL - Y
        correct("AL_minus_Y", ('dA_prev, dW, db = linear_activation_backward(dAL, current_cache, "sigmoid")',
                               "dA_prev, dW, db = linear_backward(AL - Y, current_cache[0])")),
        correct("dAL_as_one_fraction", ("-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))", "(AL - Y) / (AL * (1 - AL))")),
    ), deps=("linear_backward", "linear_activation_backward")),
    FunctionSpec(S, "update_parameters", ("parameters",), update_parameters_cases, mistakes=(
        mistake("plus", (W_LINE, W_LINE.replace("] - learning_rate", "] + learning_rate")),
                (B_LINE, B_LINE.replace("] - learning_rate", "] + learning_rate"))),
        mistake("only_W", (B_LINE, "pass")),
        mistake("no_learning_rate", (W_LINE, W_LINE.replace(" - learning_rate * ", " - ")),
                (B_LINE, B_LINE.replace(" - learning_rate * ", " - "))),
        mistake("mutates_caller", (PARAMS_COPY, "parameters = params"), (W_LINE, W_IN_PLACE), (B_LINE, B_IN_PLACE)),
    ), correct=(
        # the seed notebook's contract: rebinding the entries of the dict it was given changes none of its arrays
        correct("seed_rebinding_no_copy", ("def update_parameters(params,", "def update_parameters(parameters,"),
                (f"    {PARAMS_COPY}\n", "")),
        correct("deepcopy_rebinding", ("def update_parameters(", "import copy\n\n\ndef update_parameters("),
                (PARAMS_COPY, "parameters = copy.deepcopy(params)")),
        correct("deepcopy_in_place", ("def update_parameters(", "import copy\n\n\ndef update_parameters("),
                (PARAMS_COPY, "parameters = copy.deepcopy(params)"), (W_LINE, W_IN_PLACE), (B_LINE, B_IN_PLACE)),
        correct("copies_in_place", (W_LINE, W_IN_PLACE), (B_LINE, B_IN_PLACE)),
        correct("returns_new_dict", (PARAMS_COPY, "parameters = params"), (W_LINE, "pass"), (B_LINE, "pass"),
                ("return parameters",
                 'return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}')),
    ), must_not_mutate=True),
]
