"""The public checks of "Improving your Deep Network": run them in the notebook.

Each `<function>_test(target)` calls your function on the fixed inputs of `<function>_test_case()` (below) and
compares what it returns with what the course's reference solution returns on the same inputs (the expected
numbers are written out below). When something differs it stops with a PublicTestFailure that names the
variable, shows what was expected and what you returned, and adds a hint when the difference looks like a
classic mistake (HINTS). The comparison is public_tests.py's, shared by every assignment of the course.
"""

import numpy as np

import improving_utils
from public_tests import Checker, flat, transposed

# ---------------------------------------------------------------- the inputs of each check


def initialize_parameters_zeros_test_case():
    return ([3, 4, 1],)


def initialize_parameters_random_test_case():
    return ([3, 4, 1],)


def initialize_parameters_he_test_case():
    return ([5, 4, 1],)


def _three_layers(seed, dims, m):
    """X (dims[0], m), labels Y (1, m) and parameters of a 3-layer network, from a seed."""
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], m)
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0][:m]])
    parameters = {}
    for l in range(1, len(dims)):
        parameters["W" + str(l)] = rng.randn(dims[l], dims[l - 1])
        parameters["b" + str(l)] = rng.randn(dims[l], 1) * 0.1
    return X, Y, parameters


def compute_cost_with_regularization_test_case():
    _, Y, parameters = _three_layers(1, [3, 4, 2, 1], 5)
    A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    return A3, Y, parameters, 0.1


def backward_propagation_with_regularization_test_case():
    X, Y, parameters = _three_layers(2, [3, 4, 2, 1], 5)
    _, cache = improving_utils.forward_propagation(X, parameters)
    return X, Y, cache, 0.7


def forward_propagation_with_dropout_test_case():
    X, _, parameters = _three_layers(3, [3, 4, 3, 1], 5)
    return X, parameters, 0.7


def backward_propagation_with_dropout_test_case():
    """A forward pass with dropout (keep_prob 0.8), its masks drawn from a seed of its own."""
    X, Y, parameters = _three_layers(4, [3, 4, 3, 1], 5)
    keep_prob = 0.8
    masks = np.random.RandomState(5)
    W1, b1, W2, b2, W3, b3 = (parameters[key] for key in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    D1 = (masks.rand(*Z1.shape) < keep_prob).astype(int)
    A1 = improving_utils.relu(Z1) * D1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    D2 = (masks.rand(*Z2.shape) < keep_prob).astype(int)
    A2 = improving_utils.relu(Z2) * D2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = improving_utils.sigmoid(Z3)
    return X, Y, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3), keep_prob


def gradient_check_n_test_case():
    """parameters of the gradient-checking network (4, 5, 3, 1), X (4, 3), Y (1, 3)."""
    rng = np.random.RandomState(6)
    X = rng.randn(4, 3)
    Y = np.array([[1.0, 1.0, 0.0]])
    parameters = {key: rng.randn(*shape) for key, shape in improving_utils.GRADIENT_CHECK_SHAPES}
    return parameters, X, Y


# ---------------------------------------------------------------- the hints: classic mistakes, in words

# function -> catalogued mistake -> what to look at. The grader's feedback names the same mistakes with the
# same words ("Likely cause: ..."), and the assignment's spec says how each one is made.
FLAT_BIAS = "biases are column vectors: np.zeros((layers_dims[l], 1)), not np.zeros(layers_dims[l])."
TRANSPOSED_W = ("Wl has one row per unit of layer l and one column per unit of layer l - 1: shape "
                "(layers_dims[l], layers_dims[l - 1]).")
HINTS = {
    "initialize_parameters_zeros": {
        "flat_bias": FLAT_BIAS, "transposed_W": TRANSPOSED_W,
        "bias_wrong_layer": "bl has one entry per unit of layer l: shape (layers_dims[l], 1), not layers_dims[l - 1].",
    },
    "initialize_parameters_random": {
        "no_times_10": "this exercise wants large weights on purpose: multiply np.random.randn(...) by 10.",
        "transposed_W": TRANSPOSED_W, "flat_bias": FLAT_BIAS,
    },
    "initialize_parameters_he": {
        "xavier_scale": ("the weights are sqrt(2) times too small: that is the 1/sqrt(n) (Xavier) scale; He "
                         "multiplies by np.sqrt(2. / layers_dims[l - 1])."),
        "no_sqrt": "He's scale is the square root of 2 / n: np.sqrt(2. / layers_dims[l - 1]).",
        "wrong_layer_size": ("He's n is the size of the layer before, layers_dims[l - 1] (the number of inputs of "
                             "each unit), not layers_dims[l]."),
        "flat_bias": FLAT_BIAS,
    },
    "compute_cost_with_regularization": {
        "l2_without_m": "the L2 term is m times too large: it is lambd / (2 * m) times the sum of the squares.",
        "l2_lambda_over_m": "the L2 term is twice too large: lambd / (2 * m), not lambd / m.",
        "l2_missing_W3": "the L2 term sums the squares of every weight matrix: W1, W2 and W3.",
    },
    "backward_propagation_with_regularization": {
        "backward_l2_missing": "add the derivative of the L2 term to each dW: + lambd / m * W.",
        "backward_l2_halved": ("the derivative of lambd / (2m) * W^2 is lambd / m * W: the 2 of the square "
                               "cancels the 1/2."),
        "backward_l2_without_m": "the L2 term of dW is lambd / m * W: divide by m.",
    },
    "forward_propagation_with_dropout": {
        "no_keep_prob_scaling": ("divide A1 and A2 by keep_prob after applying the masks (inverted dropout), so "
                                 "that their expected values stay the same."),
        "mask_reversed": ("the mask keeps a unit with probability keep_prob: D = (np.random.rand(...) < keep_prob), "
                          "not >."),
        "randn_mask": ("draw the mask's numbers with np.random.rand (uniform between 0 and 1), not np.random.randn "
                       "(normal): only then is D < keep_prob true with probability keep_prob."),
    },
    "backward_propagation_with_dropout": {
        "backward_no_scaling": "after applying the mask, divide dA2 and dA1 by keep_prob, as the forward pass did.",
        "fresh_mask": ("use the forward pass's masks D1 and D2 from the cache: a unit switched off in the forward "
                       "pass has no gradient; a new mask switches off other units."),
        "backward_times_keep_prob": ("divide dA2 and dA1 by keep_prob, as the forward pass divided A2 and A1; "
                                     "multiplying by it makes them keep_prob ** 2 times too small."),
    },
    "gradient_check_n": {
        "not_normalised": ("divide ||grad - gradapprox|| by ||grad|| + ||gradapprox||: a difference without "
                           "units, which does not grow with the size of the gradients."),
        "one_sided": ("use centered differences, (J_plus[i] - J_minus[i]) / (2 * epsilon): the one-sided "
                      "difference errs by O(epsilon), the centered one by O(epsilon ** 2)."),
        "no_copy": ("theta_plus and theta_minus must be copies, np.copy(parameters_values): without the copy, "
                    "theta_minus starts from theta_plus's shifted values, and J_minus[i] is the cost at theta itself."),
    },
}


def checker(function_name):
    return Checker(function_name, HINTS[function_name])


# ---------------------------------------------------------------- the checks


def check_initialization(check, parameters, expected, weight_mistakes, bias_mistakes=()):
    """The dictionary's keys, then each weight (with its classic mistakes) and each bias (flat, and
    bias_mistakes: (mistake, what it gives) pairs for each bias's key)."""
    check.keys("parameters", parameters, list(expected))
    for key, want in expected.items():
        if key.startswith("W"):
            check.value(key, parameters[key], want, weight_mistakes(key, want) + [("transposed_W", transposed(want))])
        else:
            check.value(key, parameters[key], want, [("flat_bias", flat(want)), *dict(bias_mistakes).get(key, [])])


def initialize_parameters_zeros_test(target):
    check = checker("initialize_parameters_zeros")
    (layers_dims,) = initialize_parameters_zeros_test_case()
    parameters = check.call(target, layers_dims)
    expected = {"W1": np.zeros((4, 3)), "b1": np.zeros((4, 1)), "W2": np.zeros((1, 4)), "b2": np.zeros((1, 1))}
    previous_layer = {"b1": [("bias_wrong_layer", np.zeros((3, 1)))], "b2": [("bias_wrong_layer", np.zeros((4, 1)))]}
    check_initialization(check, parameters, expected, lambda key, want: [], previous_layer.items())
    check.done()


def initialize_parameters_random_test(target):
    check = checker("initialize_parameters_random")
    (layers_dims,) = initialize_parameters_random_test_case()
    parameters = check.call(target, layers_dims)
    expected = {
        "W1": np.array([[17.88628473, 4.365098505, 0.9649746807],
                        [-18.63492703, -2.773882025, -3.547589793],
                        [-0.8274148148, -6.270006768, -0.4381816898],
                        [-4.772180304, -13.13864753, 8.846223805]]),
        "b1": np.zeros((4, 1)),
        "W2": np.array([[8.813180422, 17.09573064, 0.5003364218, -4.046774146]]),
        "b2": np.zeros((1, 1)),
    }
    check_initialization(check, parameters, expected, lambda key, want: [("no_times_10", want / 10)])
    check.done()


def initialize_parameters_he_test(target):
    check = checker("initialize_parameters_he")
    (layers_dims,) = initialize_parameters_he_test_case()
    parameters = check.call(target, layers_dims)
    expected = {
        "W1": np.array([[1.131227973, 0.2760730697, 0.06103035751, -1.178576269, -0.1754357032],
                        [-0.224369279, -0.05233030769, -0.3965500466, -0.02771304337, -0.3018191833],
                        [-0.8309610316, 0.5594843183, 0.5573944713, 1.081228942, 0.03164405378],
                        [-0.2559404696, -0.3449159158, -0.9780781334, 0.6213037183, -0.6963763138]]),
        "b1": np.zeros((4, 1)),
        "W2": np.array([[-0.8379544353, -0.1454164384, 1.05086558, 0.1673836778]]),
        "b2": np.zeros((1, 1)),
    }

    def he_mistakes(key, want):
        l = int(key[1:])
        n_prev, n = layers_dims[l - 1], layers_dims[l]
        randn = want / np.sqrt(2 / n_prev)  # the seeded random numbers before the scale
        return [("xavier_scale", randn / np.sqrt(n_prev)), ("no_sqrt", randn * 2 / n_prev),
                ("wrong_layer_size", randn * np.sqrt(2 / n))]

    check_initialization(check, parameters, expected, he_mistakes)
    check.done()


def compute_cost_with_regularization_test(target):
    check = checker("compute_cost_with_regularization")
    A3, Y, parameters, lambd = compute_cost_with_regularization_test_case()
    m = Y.shape[1]
    cost = check.call(target, A3, Y, parameters, lambd)
    expected_cost = 1.247779675
    cross_entropy = 1.103460046
    l2 = expected_cost - cross_entropy  # lambd / (2 m) * the sum of the squares
    without_W3 = l2 - lambd / (2 * m) * np.sum(np.square(parameters["W3"]))
    check.value("cost", cost, expected_cost, [
        ("l2_without_m", cross_entropy + l2 * m), ("l2_lambda_over_m", cross_entropy + 2 * l2),
        ("l2_missing_W3", cross_entropy + without_W3),
        ("the cost lacks the L2 term: add lambd / (2 * m) times the sum of the squares of W1, W2 and W3.",
         cross_entropy),
    ])
    check.done()


GRADIENT_KEYS = ["dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]


def backward_propagation_with_regularization_test(target):
    check = checker("backward_propagation_with_regularization")
    X, Y, cache, lambd = backward_propagation_with_regularization_test_case()
    m = X.shape[1]
    weights = {"dW1": cache[2], "dW2": cache[6], "dW3": cache[10]}
    gradients = check.call(target, X, Y, cache, lambd)
    expected = {
        "dW1": np.array([[-1.1770338, -0.7113881357, 0.1836390163],
                         [-0.4481578213, -0.2028490416, -0.1306507377],
                         [-0.03353318505, 0.04342260283, -0.1305010118],
                         [-0.09086464802, -0.01104776887, -0.061656645]]),
        "dW2": np.array([[0.3064746543, -0.3352557678, -0.01957424565, 0.03148492131],
                         [0.6565197251, 0.5749009033, -0.1181899185, 0.3465075645]]),
        "dW3": np.array([[0.04929437989, -0.7276617904]]),
        "db1": np.array([[0.5672711952],
                         [0.1561982911],
                         [-0.007091756519],
                         [-0.02040470804]]),
        "db2": np.array([[-0.1257120129],
                         [0.5202892674]]),
        "db3": np.array([[-0.3601095371]]),
    }
    check.keys("gradients", gradients, GRADIENT_KEYS)
    for key in ("dW3", "dW2", "dW1", "db3", "db2", "db1"):
        mistakes = []
        if key in weights:
            W = weights[key]
            mistakes = [("backward_l2_missing", expected[key] - lambd / m * W),
                        ("backward_l2_halved", expected[key] - lambd / (2 * m) * W),
                        ("backward_l2_without_m", expected[key] - lambd / m * W + lambd * W)]
        check.value(f"gradients['{key}']", gradients[key], expected[key], mistakes)
    check.done()


def forward_propagation_with_dropout_test(target):
    check = checker("forward_propagation_with_dropout")
    X, parameters, keep_prob = forward_propagation_with_dropout_test_case()
    A3, cache = check.returned(check.call(target, X, parameters, keep_prob), ["A3", "cache"])
    expected_D1 = np.array([[1, 0, 1, 1, 1],
                            [1, 1, 1, 1, 1],
                            [1, 1, 1, 0, 1],
                            [1, 1, 1, 1, 1]])
    expected_A1 = np.array([[2.122092132, 0, 0, 0, 0.3986873024],
                            [5.182587458, 0, 0, 0, 0.1668233714],
                            [0, 0, 0, 0, 0],
                            [0, 0.3424473318, 1.39114263, 4.403522534, 1.0428972]])
    expected_D2 = np.array([[0, 0, 1, 1, 0],
                            [0, 1, 1, 1, 0],
                            [1, 1, 0, 1, 1]])
    check.true(isinstance(cache, tuple) and len(cache) == 14,
               "cache should be the tuple (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3), 14 items.")
    normal = np.random.RandomState(1)  # the numbers np.random.randn gives after np.random.seed(1)
    normal_D1 = (normal.randn(*expected_D1.shape) < keep_prob).astype(int)
    normal_D2 = (normal.randn(*expected_D2.shape) < keep_prob).astype(int)
    check.value("D1 (cache[1])", cache[1], expected_D1, [("mask_reversed", 1 - expected_D1), ("randn_mask", normal_D1)])
    check.value("D2 (cache[6])", cache[6], expected_D2, [("mask_reversed", 1 - expected_D2), ("randn_mask", normal_D2)])
    check.value("A1 (cache[2])", cache[2], expected_A1, [("no_keep_prob_scaling", expected_A1 * keep_prob)])
    check.value("A3", A3, np.array([[0.4933063533, 0.4967574526, 0.509264912, 0.545074158, 0.4933063533]]))
    A3_default, _ = check.returned(check.call(target, X, parameters), ["A3", "cache"])
    check.value("A3 with the default keep_prob (0.5)", A3_default, np.array([[0.4933063533, 0.5004253773, 0.4933063533, 0.5942268305, 0.4933063533]]))
    check.done()


def different_mask(expected):
    """Recognises a gradient that is the expected one where both are nonzero, with zeros in another pattern."""
    def test(got):
        same = np.isclose(got, expected)
        return got.shape == expected.shape and not np.all(same) and np.all(same | (got == 0) | (expected == 0))
    return test


def backward_propagation_with_dropout_test(target):
    check = checker("backward_propagation_with_dropout")
    X, Y, cache, keep_prob = backward_propagation_with_dropout_test_case()
    gradients = check.call(target, X, Y, cache, keep_prob)
    expected = {
        "dA2": np.array([[0.03785230728, -0.3340520815, 0.1833021693, 0.1814371555, -0.3699973405],
                         [-0.1501781608, 1.32534397, -0, -0, 1.467955961],
                         [0.0245813481, -0.216933949, 0.1190367181, 0.1178255752, -0.240276857]]),
        "dA1": np.array([[-0.1071404411, 0, 0.118517703, 0, 1.286501661],
                         [-0.4248144633, 3.458933833, -0.1701925352, 0, 3.808925379],
                         [-0.2676414307, 1.515598684, 0.07587397183, 0, 0],
                         [-0.04186448219, -0.4575805627, -0.2004965641, 0, 0.004510994475]]),
        "dW3": np.array([[-0.001062862541, 0.8390246157, -0.03735823215]]),
        "dW2": np.array([[0.01727195854, -0.08743047363, 0, 0.004443042366],
                         [-0.0685260993, 0.5396557931, 0, 0.1951418216],
                         [0.01121643714, 0, 0, 0.002885318726]]),
        "dW1": np.array([[-0.001083440721, 0.03395446077, -0.01325690867],
                         [0.02720386109, -1.322205544, -0.9421135557],
                         [0, 0, 0],
                         [-0.04617695041, 0.07254310648, 0.002872164401]]),
    }
    check.keys("gradients", gradients, GRADIENT_KEYS)
    for key in ("dW3", "dA2", "dA1", "dW2", "dW1"):
        mistakes = []
        if key == "dA2":  # the first gradient the masks touch; dA1 then follows from dA2's mistake
            mistakes = [("backward_no_scaling", expected[key] * keep_prob), ("fresh_mask", different_mask(expected[key])),
                        ("backward_times_keep_prob", expected[key] * keep_prob ** 2)]
        elif key == "dA1":
            mistakes = [("backward_no_scaling", expected[key] * keep_prob)]
        check.value(f"gradients['{key}']", gradients[key], expected[key], mistakes)
    check.done()


def gradient_check_n_test(target):
    check = checker("gradient_check_n")
    parameters, X, Y = gradient_check_n_test_case()
    _, cache = improving_utils.forward_propagation_n(X, Y, parameters)
    with_bug = improving_utils.backward_propagation_n(X, Y, cache)
    right = improving_utils.backward_propagation(X, Y, cache)

    difference = check.call(target, parameters, with_bug, X, Y)
    check.value("difference (backward_propagation_n, with its bug)", difference, 0.03342608479, [
        ("not_normalised", 0.01399016808), ("no_copy", 0.3377647714),
    ])
    check.true(float(difference) > 2e-7, "the check should find the bug of backward_propagation_n.")
    difference = check.call(target, parameters, right, X, Y, epsilon=1e-3)
    check.value("difference (right gradients, epsilon=1e-3)", difference, 2.261927579e-07, [
        ("one_sided", 0.0001542521256), ("no_copy", 0.3332541858),
    ])
    difference = check.call(target, parameters, right, X, Y)
    check.true(float(difference) < 2e-7,
               f"with right gradients and the default epsilon the difference should be below 2e-7, got {float(difference):.3g}.")
    check.done()
