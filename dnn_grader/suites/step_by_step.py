"""Hidden checks of assignment 1, "Building your Deep Neural Network: Step by Step".

Inputs are drawn from the generator each function is given (seeded by the course's
secret, see dnn_grader/secret.py), and vary in shape, layer count and activation,
so a function that is right only on the public test case does not pass, and no
answer can be computed in advance. Every
backward function is also checked against centered finite differences of the
reference forward pass, and the whole network's gradients against dJ/dθ.
"""

from __future__ import annotations

import numpy as np

from dnn_grader.engine.gradients import gradient_problem, numeric_gradient
from dnn_grader.suites import Case, FunctionSpec

ACTIVATIONS = ("sigmoid", "relu")


def _layer(rng, n, n_prev, m):
    """Random A_prev (n_prev, m), W (n, n_prev), b (n, 1)."""
    return rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))


def _network(rng, layer_dims, scale=0.5):
    return {key: value for l in range(1, len(layer_dims)) for key, value in (
        (f"W{l}", rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * scale),
        (f"b{l}", rng.standard_normal((layer_dims[l], 1)) * 0.1))}


def _labels(rng, m):
    return (rng.random((1, m)) > 0.5).astype(float)


# ---------------------------------------------------------------- initialization

def initialize_parameters_cases(rng):
    return [Case(f"sizes {dims}", dims) for dims in [(3, 2, 1), (5, 4, 2), (7, 3, 1)]]


def initialize_parameters_deep_cases(rng):
    return [Case(f"layer_dims {dims}", (list(dims),)) for dims in [(5, 4, 3), (7, 5, 3, 2, 1), (4, 1)]]


# ---------------------------------------------------------------- forward

def linear_forward_cases(rng):
    return [Case(f"n={n}, n_prev={n_prev}, m={m}", _layer(rng, n, n_prev, m))
            for n, n_prev, m in [(3, 5, 4), (1, 2, 7), (4, 3, 1)]]


def linear_activation_forward_cases(rng):
    return [Case(f"{activation}, n={n}, n_prev={n_prev}, m={m}", (*_layer(rng, n, n_prev, m), activation))
            for activation in ACTIVATIONS for n, n_prev, m in [(3, 5, 4), (2, 3, 6)]]


def L_model_forward_cases(rng):
    cases = []
    for dims, m in [((5, 4, 1), 6), ((4, 5, 3, 1), 3), ((6, 4, 4, 3, 1), 5)]:
        cases.append(Case(f"{len(dims) - 1} layers {dims}, m={m}",
                          (rng.standard_normal((dims[0], m)), _network(rng, dims))))
    return cases


def compute_cost_cases(rng):
    cases = []
    for m in (4, 1, 9):
        AL = rng.uniform(0.05, 0.95, (1, m))
        cases.append(Case(f"m={m}", (AL, _labels(rng, m))))
    return cases


# ---------------------------------------------------------------- backward

def linear_backward_cases(rng):
    cases = []
    for n, n_prev, m in [(3, 5, 4), (2, 3, 6), (4, 2, 1)]:
        A_prev, W, b = _layer(rng, n, n_prev, m)
        dZ = rng.standard_normal((n, m))
        cases.append(Case(f"n={n}, n_prev={n_prev}, m={m}", (dZ, (A_prev, W, b)),
                          extra=_linear_backward_gradients(dZ, A_prev, W, b)))
    return cases


def _linear_backward_gradients(dZ, A_prev, W, b):
    """dW, db are gradients of (1/m) sum(dZ * Z); dA_prev of sum(dZ * Z) (the course's convention)."""

    def check(value, reference):
        A, W_, b_ = A_prev.copy(), W.copy(), b.copy()
        m = A.shape[1]

        def total():
            return float(np.sum(dZ * (W_ @ A + b_)))

        numeric = {"dA_prev": numeric_gradient(total, A), "dW": numeric_gradient(total, W_) / m,
                   "db": numeric_gradient(total, b_) / m}
        return _first_gradient_problem(value, numeric)

    return check


def linear_activation_backward_cases(rng):
    cases = []
    for activation in ACTIVATIONS:
        for n, n_prev, m in [(3, 5, 4), (2, 3, 6)]:
            A_prev, W, b = _layer(rng, n, n_prev, m)
            Z = W @ A_prev + b
            dA = rng.standard_normal((n, m))
            cache = ((A_prev, W, b), Z)
            cases.append(Case(f"{activation}, n={n}, n_prev={n_prev}, m={m}", (dA, cache, activation),
                              extra=_activation_backward_gradients(dA, A_prev, W, b, activation)))
    return cases


def _activation_backward_gradients(dA, A_prev, W, b, activation):
    def check(value, reference):
        g = reference[activation]
        A, W_, b_ = A_prev.copy(), W.copy(), b.copy()
        m = A.shape[1]

        def total():
            return float(np.sum(dA * g(W_ @ A + b_)[0]))

        numeric = {"dA_prev": numeric_gradient(total, A), "dW": numeric_gradient(total, W_) / m,
                   "db": numeric_gradient(total, b_) / m}
        return _first_gradient_problem(value, numeric)

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
    def check(value, reference):
        if not isinstance(value, dict):
            return None
        theta = {key: array.copy() for key, array in params.items()}

        def cost():
            AL, _ = reference["L_model_forward"](X, theta)
            return float(reference["compute_cost"](AL, Y))

        for key in sorted(theta):
            problem = gradient_problem(f'grads["d{key}"]', value.get(f"d{key}"), numeric_gradient(cost, theta[key]))
            if problem:
                return problem
        return None

    return check


def update_parameters_cases(rng):
    cases = []
    for dims, learning_rate in [((4, 3, 1), 0.1), ((5, 4, 3, 1), 0.7)]:
        params = _network(rng, dims)
        grads = {f"d{key}": rng.standard_normal(value.shape) for key, value in params.items()}
        cases.append(Case(f"{len(dims) - 1} layers, learning_rate={learning_rate}", (params, grads, learning_rate)))
    return cases


SUITE = [
    FunctionSpec("initialize_parameters", ("parameters",), initialize_parameters_cases),
    FunctionSpec("initialize_parameters_deep", ("parameters",), initialize_parameters_deep_cases),
    FunctionSpec("linear_forward", ("Z", "cache"), linear_forward_cases),
    FunctionSpec("linear_activation_forward", ("A", "cache"), linear_activation_forward_cases,
                 deps=("linear_forward",)),
    FunctionSpec("L_model_forward", ("AL", "caches"), L_model_forward_cases,
                 deps=("linear_forward", "linear_activation_forward")),
    FunctionSpec("compute_cost", ("cost",), compute_cost_cases),
    FunctionSpec("linear_backward", ("dA_prev", "dW", "db"), linear_backward_cases),
    FunctionSpec("linear_activation_backward", ("dA_prev", "dW", "db"), linear_activation_backward_cases,
                 deps=("linear_backward",)),
    FunctionSpec("L_model_backward", ("grads",), L_model_backward_cases,
                 deps=("linear_backward", "linear_activation_backward")),
    FunctionSpec("update_parameters", ("parameters",), update_parameters_cases, must_not_mutate=True),
]
