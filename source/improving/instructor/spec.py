"""The specs of assignment 3, "Improving your Deep Network": initialization, L2, dropout, gradient checking.

Inputs are drawn from the generator each function is given (seeded by the course's secret), in shape, layer count,
lambda and keep_prob. The initializations seed NumPy themselves, so their answers depend on the drawn layer sizes
alone. Both backward functions are also checked against centered finite differences: of the regularized cost
(L2), and of the cost with the forward pass's dropout masks held fixed (dropout). gradient_check_n is judged on
what it returns, the normalised difference, for gradients with a planted bug and for right ones; its epsilon is
given (1e-3 to 1e-2), because with the default 1e-7 a one-sided difference agrees with the centered one to 1e-7
and no comparison could tell the two apart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dnn_grader import course
from dnn_grader.engine.gradients import parameter_gradients_check
from dnn_grader.specs import Case, FunctionSpec, correct, mistake

POSITION = 3  # its place in the series
TITLE = "Improving your Deep Network: initialization, regularization, gradient checking"
DATA = ("train_catvnoncat.h5", "test_catvnoncat.h5")  # the course data files its notebook reads
DUE_DATE = "2027-01-08 23:59:00 UTC"  # this term's; c.RecordDueDates.due_dates in nbgrader_config.py overrides it
DEMO_MISTAKE = "forward_propagation_with_dropout:no_keep_prob_scaling"  # what the demo class's demo-mistake gets wrong


def _helpers():
    """The assignment's improving_utils.py (the gradient-checking network and its buggy backward pass)."""
    return course.handout_module(Path(__file__).resolve().parents[1] / "improving_utils.py")


def _sizes(rng, layers, low=3, high=9, output=(1, 4)):
    """`layers` + 1 layer sizes: inputs and hidden layers `low` to `high - 1` units, the output in `output`.

    No two neighbouring sizes are equal (a square weight matrix would hide a transposed one, and He's scale with
    the wrong layer's size would equal the right one), and no input or hidden layer has 2 units or fewer (with
    n = 2, sqrt(2 / n) = 2 / n = 1 would hide a missing square root).
    """
    sizes = []
    for layer in range(layers + 1):
        first, last = output if layer == layers else (low, high)
        choices = [n for n in range(first, last) if not sizes or n != sizes[-1]]
        sizes.append(int(rng.choice(choices)))
    return sizes


def _network(rng, dims, scale=0.6):
    return {key: value for l in range(1, len(dims)) for key, value in (
        (f"W{l}", rng.standard_normal((dims[l], dims[l - 1])) * scale),
        (f"b{l}", rng.standard_normal((dims[l], 1)) * 0.1))}


def _labels(rng, m):
    """0/1 labels (1, m) with both classes present (one class alone would hide a term of the cost)."""
    Y = (rng.random((1, m)) > 0.5).astype(float)
    Y[0, :2] = (1.0, 0.0)
    return Y[:, rng.permutation(m)]


def _three_layers(rng, low=3, high=7):
    dims = _sizes(rng, 3, low, high, output=(1, 2))
    return dims, _network(rng, dims)


# ---------------------------------------------------------------- initialization

def initialization_cases(rng):
    """layers_dims of 2, 3 and 1 layers: the functions seed NumPy themselves, so draw the sizes."""
    return [Case(f"layers_dims {dims}", (dims,)) for dims in (_sizes(rng, layers) for layers in (2, 3, 1))]


# ---------------------------------------------------------------- L2 regularization

def cost_with_regularization_cases(rng):
    cases = []
    for m in (int(rng.integers(3, 10)), int(rng.integers(3, 10))):
        dims, parameters = _three_layers(rng)
        lambd = float(np.round(rng.uniform(0.1, 1.5), 3))
        A3 = rng.uniform(0.05, 0.95, (1, m))
        cases.append(Case(f"layers {dims}, m={m}, lambd={lambd}", (A3, _labels(rng, m), parameters, lambd)))
    return cases


def backward_with_regularization_cases(rng):
    cases = []
    for _ in range(3):
        dims, parameters = _three_layers(rng)
        m = int(rng.integers(3, 7))
        X, Y = rng.standard_normal((dims[0], m)), _labels(rng, m)
        lambd = float(np.round(rng.uniform(0.1, 1.5), 3))
        cases.append(Case(f"layers {dims}, m={m}, lambd={lambd}, gradient check of the regularized cost",
                          _regularized_inputs(X, Y, parameters, lambd),
                          extra=parameter_gradients_check("gradients", _regularized_cost(X, Y, lambd), parameters)))
    return cases


def _regularized_cost(X, Y, lambd):
    """The regularized cost as a function of the parameters (the reference's forward pass and cost)."""
    def cost_of(reference, theta):
        A3, _ = reference["forward_propagation"](X, theta)
        return reference["compute_cost_with_regularization"](A3, Y, theta, lambd)

    return cost_of


def _regularized_inputs(X, Y, parameters, lambd):
    def build(reference):
        _, cache = reference["forward_propagation"](X, parameters)
        return (X, Y, cache, lambd)

    return build


# ---------------------------------------------------------------- dropout

def forward_with_dropout_cases(rng):
    """Two drawn keep_prob and one case with the default (0.5)."""
    cases = []
    for keep_prob in (float(np.round(rng.uniform(0.55, 0.9), 2)), float(np.round(rng.uniform(0.55, 0.9), 2)), None):
        dims, parameters = _three_layers(rng)
        m = int(rng.integers(4, 9))
        X = rng.standard_normal((dims[0], m))
        if keep_prob is None:
            cases.append(Case(f"layers {dims}, m={m}, default keep_prob", (X, parameters)))
        else:
            cases.append(Case(f"layers {dims}, m={m}, keep_prob={keep_prob}", (X, parameters),
                              {"keep_prob": keep_prob}))
    return cases


def backward_with_dropout_cases(rng):
    """Caches from the course's forward pass; enough units and examples (32 or more mask entries per layer) that a
    fresh mask equal to the forward pass's own never happens in practice (a chance below 1e-5)."""
    cases = []
    for _ in range(3):
        dims = _sizes(rng, 3, 4, 9, output=(1, 2))
        parameters = _network(rng, dims)
        m = int(rng.integers(8, 13))
        X, Y = rng.standard_normal((dims[0], m)), _labels(rng, m)
        keep_prob = float(np.round(rng.uniform(0.55, 0.8), 2))
        cases.append(Case(f"layers {dims}, m={m}, keep_prob={keep_prob}, gradient check with the masks fixed",
                          _dropout_inputs(X, Y, parameters, keep_prob),
                          extra=parameter_gradients_check("gradients", _masked_cost(X, Y, parameters, keep_prob), parameters)))
    return cases


def _dropout_inputs(X, Y, parameters, keep_prob):
    def build(reference):
        _, cache = reference["forward_propagation_with_dropout"](X, parameters, keep_prob)
        return (X, Y, cache, keep_prob)

    return build


def _masked_cost(X, Y, parameters, keep_prob):
    """The cost as a function of the parameters, the forward pass's masks D1 and D2 held fixed."""
    masks = {}

    def cost_of(reference, theta):
        if not masks:
            cache = reference["forward_propagation_with_dropout"](X, parameters, keep_prob)[1]
            masks.update(D1=cache[1], D2=cache[6])
        A1 = np.maximum(0, theta["W1"] @ X + theta["b1"]) * masks["D1"] / keep_prob
        A2 = np.maximum(0, theta["W2"] @ A1 + theta["b2"]) * masks["D2"] / keep_prob
        A3 = 1 / (1 + np.exp(-(theta["W3"] @ A2 + theta["b3"])))
        return reference["compute_cost"](A3, Y)

    return cost_of


def different_mask(expected, got):
    """Gradients whose dA2 holds the course's values where both masks keep a unit, and zeros elsewhere in another
    pattern: the backward pass drew a fresh mask instead of using the forward pass's D2 (and D1). Only dA2 shows the
    pattern alone: everything below it follows from the other mask."""
    if not isinstance(expected, dict) or not isinstance(got, dict):
        return False
    want, have = expected.get("dA2"), got.get("dA2")
    if not isinstance(want, np.ndarray) or not isinstance(have, np.ndarray) or have.shape != want.shape:
        return False
    same = np.isclose(have, want, rtol=1e-6, atol=1e-12)
    return not np.all(same) and bool(np.all(same | (have == 0) | (want == 0)))


# ---------------------------------------------------------------- gradient checking

def gradient_check_cases(rng):
    """The planted bug (dW2 twice too large), another bug (db1 four times too large), and right gradients.

    Each case is drawn again until the classic mistakes are far from the right answer on it: the difference not
    divided by ||grad|| + ||gradapprox|| (the sum must not be near 1), and one-sided differences.
    """
    helpers = _helpers()
    cases = []
    for kind in ("the planted bug of backward_propagation_n", "db1 four times too large", "right gradients"):
        while True:
            m = int(rng.integers(3, 7))
            X, Y = rng.standard_normal((4, m)), _labels(rng, m)
            parameters = {key: rng.standard_normal(shape) * 0.7 for key, shape in helpers.GRADIENT_CHECK_SHAPES}
            _, cache = helpers.forward_propagation_n(X, Y, parameters)
            if kind.startswith("the planted"):
                gradients, epsilon = helpers.backward_propagation_n(X, Y, cache), float(rng.uniform(1e-3, 3e-3))
            elif kind.startswith("db1"):
                gradients, epsilon = helpers.backward_propagation(X, Y, cache), float(rng.uniform(1e-3, 3e-3))
                gradients["db1"] = gradients["db1"] * 4
            else:
                gradients, epsilon = helpers.backward_propagation(X, Y, cache), 1e-2
            gradients = {key: value for key, value in gradients.items() if key.startswith(("dW", "db"))}
            if _mistakes_show(helpers, parameters, gradients, X, Y, epsilon):
                break
        cases.append(Case(f"{kind}, m={m}, epsilon={epsilon:.3g}", (parameters, gradients, X, Y),
                          {"epsilon": epsilon}))
    return cases


def _mistakes_show(helpers, parameters, gradients, X, Y, epsilon):
    """Do the normalised difference, the bare norm and the one-sided difference differ well beyond the comparison's
    tolerance (relative 1e-6, absolute 1e-8) on this case?"""
    theta, _ = helpers.dictionary_to_vector(parameters)
    grad = helpers.gradients_to_vector(gradients)

    def cost(vector):
        return helpers.forward_propagation_n(X, Y, helpers.vector_to_dictionary(vector))[0]

    centered, one_sided = np.zeros_like(theta), np.zeros_like(theta)
    base = cost(theta)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        centered[i] = (cost(plus) - cost(minus)) / (2 * epsilon)
        one_sided[i] = (cost(plus) - base) / epsilon

    def normalised(approx):
        return np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))

    difference = normalised(centered)
    others = (np.linalg.norm(grad - centered), normalised(one_sided))
    return all(abs(other - difference) > 1e-7 + 1e-4 * difference for other in others)


# ---------------------------------------------------------------- the specs, in grading order

I = "improving"
HE_SCALE = "np.sqrt(2. / layers_dims[l - 1])"
RANDOM_W = "np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10"
ZEROS_W = "np.zeros((layers_dims[l], layers_dims[l - 1]))"
ZEROS_B = "np.zeros((layers_dims[l], 1))"
L2_TERM = "lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))"
GRADAPPROX = "gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)"


def _backward_l2(new_term):
    """Patches replacing the `+ lambd / m * Wl` of each dWl by new_term (with {W} for the weight)."""
    return tuple((f"+ lambd / m * {W}\n", f"{new_term.format(W=W)}\n") for W in ("W3", "W2", "W1"))


SPECS = [
    FunctionSpec(I, "initialize_parameters_zeros", ("parameters",), initialization_cases, mistakes=(
        mistake("flat_bias", (ZEROS_B, "np.zeros(layers_dims[l])")),
        mistake("transposed_W", (ZEROS_W, "np.zeros((layers_dims[l - 1], layers_dims[l]))")),
        mistake("bias_wrong_layer", (ZEROS_B, "np.zeros((layers_dims[l - 1], 1))")),
    ), correct=(
        correct("zeros_like_shape", (ZEROS_W, "np.zeros(shape=(layers_dims[l], layers_dims[l - 1]), dtype=float)")),
    )),
    FunctionSpec(I, "initialize_parameters_random", ("parameters",), initialization_cases, mistakes=(
        mistake("no_times_10", (RANDOM_W, "np.random.randn(layers_dims[l], layers_dims[l - 1])")),
        mistake("transposed_W", (RANDOM_W, "np.random.randn(layers_dims[l - 1], layers_dims[l]) * 10")),
        mistake("flat_bias", (ZEROS_B, "np.zeros(layers_dims[l])")),
    ), correct=(
        correct("ten_first", (RANDOM_W, "10 * np.random.randn(layers_dims[l], layers_dims[l - 1])")),
        correct("L_minus_one", ("L = len(layers_dims)\n", "L = len(layers_dims) - 1\n"),
                ("for l in range(1, L):", "for l in range(1, L + 1):")),
    )),
    FunctionSpec(I, "initialize_parameters_he", ("parameters",), initialization_cases, mistakes=(
        mistake("xavier_scale", (HE_SCALE, "np.sqrt(1. / layers_dims[l - 1])")),
        mistake("no_sqrt", (HE_SCALE, "(2. / layers_dims[l - 1])")),
        mistake("wrong_layer_size", (HE_SCALE, "np.sqrt(2. / layers_dims[l])")),
        mistake("flat_bias", (ZEROS_B, "np.zeros(layers_dims[l])")),
    ), correct=(
        correct("power_half", (HE_SCALE, "(2 / layers_dims[l - 1]) ** 0.5")),
        correct("divide_by_sqrt", (f"* {HE_SCALE}", "/ np.sqrt(layers_dims[l - 1] / 2)")),
        correct("loop_to_len", ("L = len(layers_dims) - 1", "L = len(layers_dims)"),
                ("for l in range(1, L + 1):", "for l in range(1, L):")),
    )),
    FunctionSpec(I, "compute_cost_with_regularization", ("cost",), cost_with_regularization_cases, mistakes=(
        mistake("l2_without_m", (L2_TERM, L2_TERM.replace("lambd / (2 * m)", "lambd / 2"))),
        mistake("l2_lambda_over_m", (L2_TERM, L2_TERM.replace("lambd / (2 * m)", "lambd / m"))),
        mistake("l2_missing_W3", (" + np.sum(np.square(W3))", "")),
    ), correct=(
        correct("norm_squared", (L2_TERM, "lambd / (2 * m) * sum(np.linalg.norm(W) ** 2 for W in (W1, W2, W3))")),
        correct("every_W_key", (L2_TERM, 'lambd / 2 / m * sum(np.sum(value ** 2) for key, value in parameters.items() '
                                         'if key.startswith("W"))')),
    )),
    FunctionSpec(I, "backward_propagation_with_regularization", ("gradients",), backward_with_regularization_cases,
                 mistakes=(
        mistake("backward_l2_missing", *_backward_l2("")),
        mistake("backward_l2_halved", *_backward_l2("+ lambd / (2 * m) * {W}")),
        mistake("backward_l2_without_m", *_backward_l2("+ lambd * {W}")),
    ), correct=(
        correct("one_division", ("dW3 = 1. / m * np.dot(dZ3, A2.T) + lambd / m * W3",
                                 "dW3 = (np.dot(dZ3, A2.T) + lambd * W3) / m")),
    )),
    FunctionSpec(I, "forward_propagation_with_dropout", ("A3", "cache"), forward_with_dropout_cases, mistakes=(
        mistake("no_keep_prob_scaling", ("    A1 = A1 / keep_prob\n", ""), ("    A2 = A2 / keep_prob\n", "")),
        mistake("mask_reversed", ("D1 = (D1 < keep_prob)", "D1 = (D1 > keep_prob)"),
                ("D2 = (D2 < keep_prob)", "D2 = (D2 > keep_prob)")),
        mistake("randn_mask", ("np.random.rand(A1.shape[0], A1.shape[1])", "np.random.randn(A1.shape[0], A1.shape[1])"),
                ("np.random.rand(A2.shape[0], A2.shape[1])", "np.random.randn(A2.shape[0], A2.shape[1])")),
    ), correct=(
        # the well-known course's first version kept the masks as booleans; its later one as integers
        correct("boolean_masks", ("D1 = (D1 < keep_prob).astype(int)", "D1 = D1 < keep_prob"),
                ("D2 = (D2 < keep_prob).astype(int)", "D2 = D2 < keep_prob")),
        correct("rand_of_shape", ("np.random.rand(A1.shape[0], A1.shape[1])", "np.random.rand(*A1.shape)"),
                ("np.random.rand(A2.shape[0], A2.shape[1])", "np.random.random_sample(A2.shape)")),
        correct("multiply_and_divide", ("    A1 = A1 * D1\n    A1 = A1 / keep_prob\n",
                                        "    A1 = np.multiply(A1, D1) / keep_prob\n")),
    )),
    FunctionSpec(I, "backward_propagation_with_dropout", ("gradients",), backward_with_dropout_cases, mistakes=(
        mistake("backward_no_scaling", ("    dA2 = dA2 / keep_prob\n", ""), ("    dA1 = dA1 / keep_prob\n", "")),
        mistake("fresh_mask", ("    dA2 = dA2 * D2\n",
                               "    D2 = (np.random.rand(dA2.shape[0], dA2.shape[1]) < keep_prob).astype(int)\n"
                               "    dA2 = dA2 * D2\n"),
                ("    dA1 = dA1 * D1\n",
                 "    D1 = (np.random.rand(dA1.shape[0], dA1.shape[1]) < keep_prob).astype(int)\n"
                 "    dA1 = dA1 * D1\n"), resembles=different_mask),
        mistake("backward_times_keep_prob", ("    dA2 = dA2 / keep_prob\n", "    dA2 = dA2 * keep_prob\n"),
                ("    dA1 = dA1 / keep_prob\n", "    dA1 = dA1 * keep_prob\n")),
    ), correct=(
        correct("multiply_and_divide", ("    dA2 = dA2 * D2\n    dA2 = dA2 / keep_prob\n",
                                        "    dA2 = np.multiply(dA2, D2) / keep_prob\n")),
    )),
    FunctionSpec(I, "gradient_check_n", ("difference",), gradient_check_cases, mistakes=(
        mistake("not_normalised", ("difference = numerator / denominator", "difference = numerator")),
        mistake("one_sided", (GRADAPPROX, "gradapprox[i] = (J_plus[i] - forward_propagation_n(X, Y, "
                                          "vector_to_dictionary(parameters_values))[0]) / epsilon")),
        mistake("no_copy", ("theta_plus = np.copy(parameters_values)", "theta_plus = parameters_values"),
                ("theta_minus = np.copy(parameters_values)", "theta_minus = parameters_values")),
    ), correct=(
        # the well-known course's first version: no print_msg, and the message always printed
        correct("without_print_msg", ("epsilon=1e-7, print_msg=False):", "epsilon=1e-7):"),
                ("    if print_msg:\n", "    if True:\n")),
        correct("in_place_steps", ("theta_plus[i] = theta_plus[i] + epsilon", "theta_plus[i] += epsilon"),
                ("theta_minus[i] = theta_minus[i] - epsilon", "theta_minus[i] -= epsilon")),
    )),
]
