"""The catalogue: correct answers written other ways, and classic mistakes.

Each entry is a small textual change to the reference solution cell of one
function. The catalogue serves three purposes:
- the grader runs each mistake on the failing case; when the student's result
  matches a mistake's, the feedback names the likely cause (its hint);
- the tests build simulated submissions from it and autograde them for real;
- `python -m dnn_grader.evidence.report` prints the table of expected and actual outcomes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Variant:
    """A change to function `function`'s solution cell; correct or a classic mistake."""

    assignment: str
    function: str
    name: str
    patches: tuple[tuple[str, str], ...]
    hint: str = ""  # empty for correct variants
    # for a mistake whose results no code can reproduce (random numbers without the given seed):
    # (the course's result, the student's) -> does the student's look like this mistake's?
    resembles: Callable[[object, object], bool] | None = None

    @property
    def correct(self) -> bool:
        return not self.hint

    @property
    def case_id(self) -> str:
        return f"{self.function}:{self.name}"


def _v(assignment, function, name, hint, *patches, resembles=None):
    return Variant(assignment, function, name, tuple(patches), hint, resembles)


def random_but_unseeded(expected, got) -> bool:
    """Parameters of the right shapes and scale whose weights are not the seeded ones: the seed line was removed.

    The scale is compared over all the weights together (a layer may have only a few), within a factor of
    10: a missing 0.01 (x100) or a 1/sqrt(n) scale (x30 or more here) is another mistake.
    """
    if not isinstance(expected, dict) or not isinstance(got, dict) or expected.keys() != got.keys():
        return False
    weights = [key for key in expected if key.startswith("W")]
    for key, want in expected.items():
        have = got[key]
        if not isinstance(have, np.ndarray) or have.shape != want.shape:
            return False
        if key not in weights and not np.allclose(have, want):
            return False
    if not weights:
        return False
    want_scale = np.sqrt(np.mean(np.concatenate([np.ravel(expected[key]) ** 2 for key in weights])))
    have_scale = np.sqrt(np.mean(np.concatenate([np.ravel(got[key]) ** 2 for key in weights])))
    differ = any(not np.allclose(got[key], expected[key]) for key in weights)
    return differ and 0.1 < have_scale / max(want_scale, 1e-12) < 10


SEED_HINT = ("the weights have the right shapes and scale but are not the course's random numbers: keep the line "
             "np.random.seed(...) at the top of the function, as it was given, so that everybody's numbers agree.")


S = "step_by_step"
A = "application"
W_LINE = 'parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]'
B_LINE = 'parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]'
COST_LINE = "cost = -1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))"
UPDATE_CALL = "parameters = update_parameters(parameters, grads, learning_rate)"

CORRECT = [
    _v(S, "initialize_parameters", "divide_by_100", "",
       ("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_h, n_x) / 100"),
       ("np.random.randn(n_y, n_h) * 0.01", "np.random.randn(n_y, n_h) / 100")),
    _v(S, "initialize_parameters_deep", "shape_tuple", "",
       ("np.zeros((layer_dims[l], 1))", "np.zeros(shape=(layer_dims[l], 1), dtype=float)")),
    _v(S, "linear_forward", "matmul_operator", "", ("Z = np.dot(W, A) + b", "Z = W @ A + b")),
    _v(S, "linear_forward", "np_matmul", "", ("Z = np.dot(W, A) + b", "Z = np.matmul(W, A) + b")),
    _v(S, "linear_forward", "einsum", "", ("Z = np.dot(W, A) + b", 'Z = np.einsum("ij,jk->ik", W, A) + b')),
    _v(S, "linear_activation_forward", "dict_dispatch", "",
       ("A, activation_cache = sigmoid(Z)", 'A, activation_cache = {"sigmoid": sigmoid, "relu": relu}[activation](Z)')),
    _v(S, "L_model_forward", "while_loop", "",
       ("    for l in range(1, L):\n        A_prev = A\n",
        "    l = 0\n    while l < L - 1:\n        l += 1\n        A_prev = A\n")),
    _v(S, "compute_cost", "mean", "",
       (COST_LINE, "cost = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))")),
    _v(S, "compute_cost", "python_float", "",
       ("cost = np.squeeze(cost)  # turns [[17]] into 17", "cost = float(np.squeeze(cost))")),
    _v(S, "linear_backward", "matmul_and_mean", "",
       ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = (dZ @ A_prev.T) / m"),
       ("db = 1 / m * np.sum(dZ, axis=1, keepdims=True)", "db = np.mean(dZ, axis=1, keepdims=True)"),
       ("dA_prev = np.dot(W.T, dZ)", "dA_prev = W.T @ dZ")),
    _v(S, "linear_backward", "loop_over_examples", "",
       ("dW = 1 / m * np.dot(dZ, A_prev.T)",
        "dW = np.zeros(W.shape)\n    for i in range(m):\n        dW += np.outer(dZ[:, i], A_prev[:, i]) / m")),
    _v(S, "linear_activation_backward", "dict_dispatch", "",
       ("dZ = relu_backward(dA, activation_cache)",
        'dZ = {"relu": relu_backward, "sigmoid": sigmoid_backward}[activation](dA, activation_cache)')),
    _v(S, "L_model_backward", "prints_and_warns", "",
       ("grads = {}", ('grads = {}\n    print("computing the gradients...")\n    import sys\n    import warnings\n'
                       '    print("a note on stderr", file=sys.stderr)\n    warnings.warn("a harmless warning")'))),
    # AL is the output of L_model_forward, so AL = sigmoid(Z) and the output layer's dZ is exactly AL - Y
    _v(S, "L_model_backward", "AL_minus_Y", "",
       ('dA_prev, dW, db = linear_activation_backward(dAL, current_cache, "sigmoid")',
        "dA_prev, dW, db = linear_backward(AL - Y, current_cache[0])")),
    _v(S, "update_parameters", "deepcopy_in_place", "",
       ("def update_parameters(", "import copy\n\n\ndef update_parameters("),
       ("parameters = {key: value.copy() for key, value in params.items()}", "parameters = copy.deepcopy(params)"),
       (W_LINE, 'parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]'),
       (B_LINE, 'parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]')),
    _v(A, "two_layer_model", "prints_progress", "",
       ('cost = compute_cost(A2, Y)', 'cost = compute_cost(A2, Y)\n        if i == 0:\n            print("training...")')),
    _v(A, "L_layer_model", "float_costs", "",
       ("grads = L_model_backward(AL, Y, caches)", "grads = L_model_backward(AL, Y, caches)\n        cost = float(cost)")),
]

MISTAKES = [
    # initialization
    _v(S, "initialize_parameters", "no_scale", "the weights are about 100 times too large: multiply np.random.randn(...) by 0.01.",
       ("np.random.randn(n_h, n_x) * 0.01", "np.random.randn(n_h, n_x)"),
       ("np.random.randn(n_y, n_h) * 0.01", "np.random.randn(n_y, n_h)")),
    _v(S, "initialize_parameters", "transposed_W", "W1 must have shape (n_h, n_x): one row per unit of the layer.",
       ("np.random.randn(n_h, n_x)", "np.random.randn(n_x, n_h).T")),
    _v(S, "initialize_parameters", "flat_bias", "biases are column vectors: use np.zeros((n, 1)), not np.zeros(n).",
       ("b1 = np.zeros((n_h, 1))", "b1 = np.zeros(n_h)"), ("b2 = np.zeros((n_y, 1))", "b2 = np.zeros(n_y)")),
    _v(S, "initialize_parameters", "zero_weights", "all weights are zero: every unit would learn the same thing; use small random values.",
       ("W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.zeros((n_h, n_x))")),
    _v(S, "initialize_parameters", "seed_removed", SEED_HINT, ("    np.random.seed(1)\n", ""),
       resembles=random_but_unseeded),
    _v(S, "initialize_parameters_deep", "missing_layer", "a layer is missing: create W and b for every l from 1 to L-1 inclusive.",
       ("for l in range(1, L):", "for l in range(1, L - 1):")),
    _v(S, "initialize_parameters_deep", "sqrt_scale", "this assignment scales the weights by 0.01, not by 1/sqrt(n_prev).",
       ("* 0.01", "/ np.sqrt(layer_dims[l - 1])")),
    _v(S, "initialize_parameters_deep", "flat_bias", "biases are column vectors: use np.zeros((layer_dims[l], 1)).",
       ("np.zeros((layer_dims[l], 1))", "np.zeros(layer_dims[l])")),
    _v(S, "initialize_parameters_deep", "seed_removed", SEED_HINT, ("    np.random.seed(3)\n", ""),
       resembles=random_but_unseeded),
    # forward
    _v(S, "linear_forward", "no_bias", "did you add the bias b? Z = W·A + b.", ("Z = np.dot(W, A) + b", "Z = np.dot(W, A)")),
    _v(S, "linear_forward", "minus_bias", "the bias is added, not subtracted: Z = W·A + b.",
       ("Z = np.dot(W, A) + b", "Z = np.dot(W, A) - b")),
    _v(S, "linear_forward", "transposed_product", "Z = W·A: W has shape (n, n_prev) and A (n_prev, m).",
       ("Z = np.dot(W, A) + b", "Z = np.dot(W.T, A) + b")),
    _v(S, "linear_activation_forward", "swapped", "the activations are swapped: 'sigmoid' must apply sigmoid(), 'relu' relu().",
       ('if activation == "sigmoid":', 'if activation == "relu":'), ('elif activation == "relu":', 'elif activation == "sigmoid":')),
    _v(S, "linear_activation_forward", "relu_everywhere", "with activation='sigmoid' the layer must apply sigmoid().",
       ("A, activation_cache = sigmoid(Z)", "A, activation_cache = relu(Z)")),
    _v(S, "linear_activation_forward", "no_activation", "A equals Z: did you apply the activation function?",
       ("A, activation_cache = relu(Z)", "A, activation_cache = Z, Z")),
    _v(S, "L_model_forward", "sigmoid_hidden", "the hidden layers use ReLU; only the last layer uses sigmoid.",
       ('parameters["b" + str(l)], "relu")', 'parameters["b" + str(l)], "sigmoid")')),
    _v(S, "L_model_forward", "relu_output", "the output layer uses sigmoid, so that AL is a probability.",
       ('parameters["b" + str(L)], "sigmoid")', 'parameters["b" + str(L)], "relu")')),
    _v(S, "L_model_forward", "missing_last_cache", "caches must hold one cache per layer, the output layer's included.",
       ('"sigmoid")\n    caches.append(cache)', '"sigmoid")')),
    # cost
    _v(S, "compute_cost", "no_mean", "the cost is m times too large: divide the sum by m.",
       (COST_LINE, "cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))")),
    _v(S, "compute_cost", "wrong_sign", "the cost has the wrong sign: cross-entropy is -1/m Σ (y log a + (1-y) log(1-a)).",
       ("cost = -1 / m *", "cost = 1 / m *")),
    _v(S, "compute_cost", "missing_negative_class", "the (1 - y) log(1 - a) term is missing.",
       ("Y * np.log(AL) + (1 - Y) * np.log(1 - AL)", "Y * np.log(AL)")),
    _v(S, "compute_cost", "not_squeezed", "the cost must be a number of shape (): use np.squeeze().",
       (COST_LINE, "cost = -1 / m * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))"),
       ("cost = np.squeeze(cost)  # turns [[17]] into 17", "")),
    # backward
    _v(S, "linear_backward", "no_mean_dW", "dW is m times too large: did you divide by m?",
       ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)")),
    _v(S, "linear_backward", "db_no_keepdims", "db has shape (n,): use np.sum(..., axis=1, keepdims=True).",
       ("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=1)")),
    _v(S, "linear_backward", "dA_prev_divided", "dA_prev = Wᵀ·dZ is not divided by m.",
       ("dA_prev = np.dot(W.T, dZ)", "dA_prev = 1 / m * np.dot(W.T, dZ)")),
    _v(S, "linear_backward", "db_wrong_axis", "db sums dZ over the examples: axis=1, keepdims=True.",
       ("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=0, keepdims=True)")),
    _v(S, "linear_activation_backward", "swapped", "the activations are swapped: 'relu' must use relu_backward(), 'sigmoid' sigmoid_backward().",
       ('if activation == "relu":', 'if activation == "sigmoid":'), ('elif activation == "sigmoid":', 'elif activation == "relu":')),
    _v(S, "linear_activation_backward", "skips_activation", "dZ = dA * g'(Z): did you call sigmoid_backward(dA, activation_cache)?",
       ("dZ = sigmoid_backward(dA, activation_cache)", "dZ = dA")),
    _v(S, "linear_activation_backward", "relu_everywhere", "with activation='sigmoid' use sigmoid_backward().",
       ("dZ = sigmoid_backward(dA, activation_cache)", "dZ = relu_backward(dA, activation_cache)")),
    _v(S, "L_model_backward", "dAL_sign", "dAL has the wrong sign: dAL = -(Y/AL - (1-Y)/(1-AL)).",
       ("dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))", "dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)")),
    _v(S, "L_model_backward", "wrong_cache_index", "layer l+1's gradients need caches[l] (the list counts from 0).",
       ("current_cache = caches[l]\n", "current_cache = caches[l - 1]\n")),
    _v(S, "L_model_backward", "dA_keys_shifted", "the keys of grads are shifted by one layer: layer l's dA_prev "
       'goes in grads["dA" + str(l - 1)], so the keys are dA0 ... dA(L-1), next to dW1 ... dWL.',
       ('grads["dA" + str(L - 1)] = dA_prev', 'grads["dA" + str(L)] = dA_prev'),
       ('linear_activation_backward(grads["dA" + str(l + 1)], current_cache, "relu")',
        'linear_activation_backward(grads["dA" + str(l + 2)], current_cache, "relu")'),
       ('grads["dA" + str(l)] = dA_prev', 'grads["dA" + str(l + 1)] = dA_prev')),
    _v(S, "L_model_backward", "sigmoid_hidden", "the hidden layers use ReLU: call linear_activation_backward(..., 'relu').",
       ('current_cache, "relu")', 'current_cache, "sigmoid")')),
    # update
    _v(S, "update_parameters", "plus", "gradient descent subtracts: W = W - learning_rate * dW.",
       (W_LINE, W_LINE.replace("] - learning_rate", "] + learning_rate")),
       (B_LINE, B_LINE.replace("] - learning_rate", "] + learning_rate"))),
    _v(S, "update_parameters", "only_W", "b must be updated too: b = b - learning_rate * db.", (B_LINE, "pass")),
    _v(S, "update_parameters", "no_learning_rate", "the step must be scaled by learning_rate.",
       (W_LINE, W_LINE.replace(" - learning_rate * ", " - ")), (B_LINE, B_LINE.replace(" - learning_rate * ", " - "))),
    _v(S, "update_parameters", "mutates_caller", "update_parameters changed the caller's arrays: work on copies "
       "(params is not yours to change).",
       ("parameters = {key: value.copy() for key, value in params.items()}", "parameters = params"),
       (W_LINE, 'parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]'),
       (B_LINE, 'parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]')),
    # application
    _v(A, "two_layer_model", "never_updates", "the parameters never change: update them with update_parameters() each iteration.",
       (UPDATE_CALL, "pass")),
    _v(A, "two_layer_model", "fixed_learning_rate", "use the learning_rate argument, not a fixed number.",
       (UPDATE_CALL, "parameters = update_parameters(parameters, grads, 0.0075)")),
    _v(A, "two_layer_model", "fixed_iterations", "loop num_iterations times, not a fixed number of times.",
       ("for i in range(0, num_iterations):", "for i in range(0, 2500):")),
    _v(A, "two_layer_model", "deep_initializer", "initialize with initialize_parameters(n_x, n_h, n_y).",
       ("parameters = initialize_parameters(n_x, n_h, n_y)", "parameters = initialize_parameters_deep(layers_dims)")),
    _v(A, "L_layer_model", "never_updates", "the parameters never change: update them with update_parameters() each iteration.",
       (UPDATE_CALL, "pass")),
    _v(A, "L_layer_model", "fixed_learning_rate", "use the learning_rate argument, not a fixed number.",
       (UPDATE_CALL, "parameters = update_parameters(parameters, grads, 0.0075)")),
    _v(A, "L_layer_model", "fixed_iterations", "loop num_iterations times, not a fixed number of times.",
       ("for i in range(0, num_iterations):", "for i in range(0, 2500):")),
    _v(A, "L_layer_model", "two_layer_initializer", "initialize with initialize_parameters_deep(layers_dims).",
       ("parameters = initialize_parameters_deep(layers_dims)",
        "parameters = initialize_parameters(layers_dims[0], layers_dims[1], layers_dims[-1])")),
]


def mistakes_of(assignment: str, function: str) -> list[Variant]:
    return [v for v in MISTAKES if v.assignment == assignment and v.function == function]
