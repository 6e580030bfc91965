"""The public checks of "Building your Deep Neural Network: Step by Step": run them in the notebook.

Each `<function>_test(target)` calls your function on the fixed inputs of
`testCases.<function>_test_case()` and compares what it returns with what the
course's reference solution returns on the same inputs (the expected numbers are
written out below). When something differs it stops with a PublicTestFailure that
names the variable, shows what was expected and what you returned, and adds a hint
when the difference looks like a classic mistake (HINTS). The comparison and the
advice are public_tests.py's, shared by every assignment of the course.
"""

import numpy as np

from testCases import (  # the inputs of each check: <function>_test_case()
    initialize_parameters_test_case, initialize_parameters_deep_test_case, linear_forward_test_case,
    linear_activation_forward_test_case, L_model_forward_test_case, compute_cost_test_case,
    linear_backward_test_case, linear_activation_backward_test_case, L_model_backward_test_case,
    update_parameters_test_case,
)
from dnn_utils import relu, sigmoid  # the course's activations: (A, cache)
from public_tests import Checker, flat, product_mismatch, transposed

# ---------------------------------------------------------------- advice for matrix products whose shapes do not fit

def linear_forward_advice(shapes, message):
    A, W = shapes.get("A"), shapes.get("W")
    if A is None or W is None or len(A) != 2 or len(W) != 2:
        advice = "Z = W A + b: W comes first, np.dot(W, A)."
    else:
        advice = (f"W has shape {W} and A has shape {A}. Z = W A + b, so W comes first: np.dot(W, A) multiplies "
                  f"{W} by {A} and gives Z of shape {(W[0], A[1])}, one row per unit and one column per example.")
    if "could not be broadcast" in message:  # np.dot(A, W) fitted, then "+ b" did not
        return f"the product has the wrong shape for adding b. {advice}"
    mismatch = product_mismatch(message)
    return f"{mismatch} {advice}" if mismatch else ""


def linear_backward_advice(shapes, message):
    mismatch = product_mismatch(message)
    if not mismatch:
        return ""
    dZ, A_prev, W = shapes.get("dZ"), shapes.get("A_prev"), shapes.get("W")
    if any(shape is None or len(shape) != 2 for shape in (dZ, A_prev, W)):
        return (f"{mismatch} dW = np.dot(dZ, A_prev.T) / m and dA_prev = np.dot(W.T, dZ): mind the order and the "
                "transposes.")
    return (f"{mismatch} dZ has shape {dZ}, A_prev {A_prev} and W {W}. dW = np.dot(dZ, A_prev.T) / m multiplies "
            f"{dZ} by {A_prev[::-1]} and gives {(dZ[0], A_prev[0])}, the shape of W; dA_prev = np.dot(W.T, dZ) "
            f"multiplies {W[::-1]} by {dZ} and gives {(W[1], dZ[1])}, the shape of A_prev.")


# the functions of yours in which a shape error gets advice: Z = W A + b and its gradients
PRODUCT_ADVICE = {"linear_forward": linear_forward_advice, "linear_backward": linear_backward_advice}


def checker(function_name):
    """A Checker for one of this assignment's functions, with its hints and the advice on products."""
    return Checker(function_name, HINTS[function_name], PRODUCT_ADVICE)


# ---------------------------------------------------------------- this assignment's mistakes

def initial_weight_mistakes(expected, parameters, all_expected):
    """The mistakes one weight matrix may show; the seed's is told from all the weights together."""
    return [("no_scale", expected * 100), ("sqrt_scale", expected * 100 / np.sqrt(expected.shape[1])),
            ("zero_weights", np.zeros_like(expected)), ("transposed_W", transposed(expected)),
            ("seed_removed", lambda got: random_but_unseeded(all_expected, parameters))]


def random_but_unseeded(expected, got):
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


def initial_bias_mistakes(expected):
    return [("flat_bias", flat(expected))]


def not_unpacked(got):
    """Recognises the (A, activation_cache) pair returned by sigmoid() or relu() where A was expected."""
    return isinstance(got, tuple) and len(got) == 2


# ---------------------------------------------------------------- the hints: classic mistakes, in words

# function -> catalogued mistake -> what to look at. The grader's feedback names the same mistakes with the
# same words ("Likely cause: ..."), and its catalogue (dnn_grader/specs) says how each one is made.
FLAT_BIAS = "biases are column vectors: give np.zeros() the shape as a tuple, np.zeros((n, 1)), not np.zeros(n)."
NO_SCALE = "the weights are about 100 times too large: multiply np.random.randn(...) by 0.01 so that they start small."
ZERO_WEIGHTS = ("the weights must be random: with zeros all units of a layer stay identical and learn the same "
                "thing; use small random values.")
TRANSPOSED_W = ("a weight matrix has one row per unit of its layer and one column per unit of the layer before: "
                "Wl has shape (layer_dims[l], layer_dims[l - 1]), W1 of initialize_parameters (n_h, n_x).")
SEED = ("the weights have the right shapes and scale but are not the course's random numbers: keep the line "
        "np.random.seed(...) at the top of the function, as it was given, so that everybody's numbers agree.")
SQRT_SCALE = "this assignment scales the weights by 0.01, not by 1/sqrt(n_prev)."
UNPACK = "sigmoid() and relu() return two values: write `A, activation_cache = sigmoid(Z)`."
HINTS = {
    "initialize_parameters": {
        "no_scale": NO_SCALE, "zero_weights": ZERO_WEIGHTS, "transposed_W": TRANSPOSED_W, "flat_bias": FLAT_BIAS,
        "seed_removed": SEED, "sqrt_scale": SQRT_SCALE,
    },
    "initialize_parameters_deep": {
        "no_scale": NO_SCALE, "zero_weights": ZERO_WEIGHTS, "transposed_W": TRANSPOSED_W, "flat_bias": FLAT_BIAS,
        "seed_removed": SEED, "sqrt_scale": SQRT_SCALE,
        "missing_layer": "a layer is missing: create W and b for every l from 1 to L-1 inclusive.",
    },
    "linear_forward": {
        "no_bias": "did you add the bias b? Z = np.dot(W, A) + b.",
        "minus_bias": "the bias is added, not subtracted: Z = np.dot(W, A) + b.",
        "transposed_product": "Z = W·A: W has shape (n, n_prev) and A (n_prev, m); W is not transposed.",
        "transposed_Z": "Z has one row per unit and one column per example: multiply W by A, in this order.",
        "cache_order": "cache should be (A, W, b), in this order.",
    },
    "linear_activation_forward": {
        "swapped": "the activations are swapped: 'sigmoid' must apply sigmoid(), 'relu' relu().",
        "relu_everywhere": "with activation='sigmoid' the layer must apply sigmoid(), not relu().",
        "no_activation": "A equals Z: apply the activation function to Z.",
        "not_unpacked": UNPACK,
        "cache_holds_A": "the activation cache is the second value returned by sigmoid() or relu() (it holds Z).",
    },
    "L_model_forward": {
        "sigmoid_hidden": "the hidden layers use relu; only the last layer uses sigmoid.",
        "relu_output": "the last layer uses sigmoid, so that AL is a probability.",
        "missing_last_cache": "append the cache of the last (sigmoid) layer too: one cache per layer.",
        "missing_relu_caches": "append the cache of every relu layer inside the loop: one cache per layer.",
        "not_unpacked": ("linear_activation_forward() returns two values: write "
                         "`A, cache = linear_activation_forward(...)`."),
    },
    "compute_cost": {
        "no_mean": "the cost is m times too large: divide the sum by m (the number of examples).",
        "wrong_sign": "the cost is positive: check the minus sign in front of the sum.",
        "missing_negative_class": "the cost has two terms: Y * log(AL) and (1 - Y) * log(1 - AL).",
        "not_squeezed": "the cost must be a number of shape (): use np.squeeze(cost) to turn [[cost]] into a number.",
    },
    "linear_backward": {
        "no_mean_dW": "dW is m times too large: did you divide by m?",
        "no_mean_db": "db is m times too large: did you divide by m?",
        "db_no_keepdims": "use keepdims=True in np.sum so that db keeps the shape (n, 1).",
        "db_wrong_axis": "db sums dZ over the examples, that is along axis=1 (with keepdims=True).",
        "dA_prev_divided": "dA_prev has no 1/m: only dW and db average over the examples.",
        "dW_transposed": "dW has the shape of W: multiply dZ by the transpose of A_prev, in this order.",
        "dA_prev_transposed": "dA_prev has the shape of A_prev: multiply the transpose of W by dZ.",
    },
    "linear_activation_backward": {
        "swapped": "the activations are swapped: 'relu' must use relu_backward(), 'sigmoid' sigmoid_backward().",
        "relu_everywhere": "with activation='sigmoid' use sigmoid_backward(), not relu_backward().",
        "skips_activation": ("start with dZ = sigmoid_backward(dA, activation_cache) (or relu_backward), then call "
                             "linear_backward(dZ, linear_cache)."),
    },
    "L_model_backward": {
        "dAL_sign": "the gradient has the wrong sign: dAL = -(Y / AL - (1 - Y) / (1 - AL)).",
        "wrong_cache_index": "layer l+1's gradients need caches[l] (the list counts from 0).",
        "dA_keys_shifted": ('the keys of grads are shifted by one layer: layer l\'s dA_prev goes in '
                            'grads["dA" + str(l - 1)], so the keys are dA0 ... dA(L-1), next to dW1 ... dWL.'),
        "sigmoid_hidden": "the hidden layers use relu: call linear_activation_backward(..., 'relu') for them.",
        "relu_output": "the last layer is the sigmoid layer; the layers before it use relu.",
    },
    "update_parameters": {
        "plus": "gradient descent goes against the gradient: subtract learning_rate * gradient.",
        "no_learning_rate": "multiply the gradient by learning_rate.",
        "only_W": "the biases did not change: update b too, b = b - learning_rate * db, for every layer.",
        "mutates_caller": ("update_parameters changed the arrays it was given: update the copies in `parameters`, "
                           "not `params`."),
    },
}


# ---------------------------------------------------------------- assignment 1: initialization

def initialize_parameters_test(target):
    check = checker("initialize_parameters")
    n_x, n_h, n_y = initialize_parameters_test_case()
    parameters = check.call(target, n_x, n_h, n_y)
    expected = {
        "W1": np.array([[  0.01624345364, -0.006117564137, -0.005281717523],
                        [ -0.01072968622,  0.008654076293,  -0.02301538697]]),
        "b1": np.zeros((n_h, 1)),
        "W2": np.array([[  0.01744811764, -0.007612069009]]),
        "b2": np.zeros((n_y, 1)),
    }
    check_initial_parameters(check, parameters, expected)
    check.done()


def check_initial_parameters(check, parameters, expected):
    """The dictionary's keys, then the weights and the biases, each with the classic mistakes it may show."""
    check.keys("parameters", parameters, list(expected))
    weights = [key for key in expected if key.startswith("W")]
    biases = [key for key in expected if key.startswith("b")]
    for key in weights:
        check.value(key, parameters[key], expected[key], initial_weight_mistakes(expected[key], parameters, expected))
    for key in biases:
        check.value(key, parameters[key], expected[key], initial_bias_mistakes(expected[key]))


def initialize_parameters_deep_test(target):
    check = checker("initialize_parameters_deep")
    (layer_dims,) = initialize_parameters_deep_test_case()
    parameters = check.call(target, layer_dims)
    expected = {
        "W1": np.array([[   0.01788628473,   0.004365098505,  0.0009649746807,   -0.01863492703,  -0.002773882025],
                        [ -0.003547589793, -0.0008274148148,  -0.006270006768, -0.0004381816898,  -0.004772180304],
                        [  -0.01313864753,   0.008846223805,   0.008813180422,    0.01709573064,  0.0005003364218],
                        [ -0.004046774146,  -0.005453599476,   -0.01546477316,   0.009823674343,    -0.0110106763]]),
        "b1": np.zeros((layer_dims[1], 1)),
        "W2": np.array([[ -0.01185046527, -0.002056498994,   0.01486148355,  0.002367162672],
                        [  -0.0102378514, -0.007129932001,  0.006252449662, -0.001605133632],
                        [-0.007688363503, -0.002300307223,  0.007450562664,   0.01976110783]]),
        "b2": np.zeros((layer_dims[2], 1)),
    }
    check_initial_parameters(check, parameters, expected)
    check.done()


# ---------------------------------------------------------------- assignment 1: forward propagation

def linear_forward_test(target):
    check = checker("linear_forward")
    A, W, b = linear_forward_test_case()
    Z, cache = check.returned(check.call(target, A, W, b), ["Z", "cache"])
    expected_Z = np.array([[-0.4521499344,  0.8406419866,   1.200096151,  -1.655222468],
                           [ -1.633079909,   1.871442826, -0.4206318138,   3.702729437]])
    check.value("Z", Z, expected_Z, [
        ("no_bias", expected_Z - b), ("minus_bias", expected_Z - 2 * b), ("transposed_Z", transposed(expected_Z)),
    ])
    check.value("cache", cache, (A, W, b), [("cache_order", (W, A, b))])
    check.done()


def linear_activation_forward_test(target):
    check = checker("linear_activation_forward")
    A_prev, W, b = linear_activation_forward_test_case()
    expected_Z = np.array([[ 0.6694465112,  -0.299205559,  -1.101525279,   1.948037945],
                           [-0.9513063499,  -1.009412745,   1.920878078,   1.748332088]])
    expected_A = {"sigmoid": sigmoid(expected_Z)[0], "relu": relu(expected_Z)[0]}
    # with 'sigmoid', relu(Z) is what both using relu everywhere and swapping the two give
    other_activation = {"sigmoid": ("relu_everywhere", expected_A["relu"]), "relu": ("swapped", expected_A["sigmoid"])}
    for activation in ["sigmoid", "relu"]:
        result = check.call(target, A_prev, W, b, activation)
        A, cache = check.returned(result, ["A", "cache"])
        check.value(f"A (activation='{activation}')", A, expected_A[activation], [
            other_activation[activation], ("no_activation", expected_Z), ("not_unpacked", not_unpacked),
        ])
        check.value(f"cache (activation='{activation}')", cache, ((A_prev, W, b), expected_Z), [
            ("cache_holds_A", ((A_prev, W, b), expected_A[activation])),
        ])
    check.done()


def L_model_forward_test(target):
    check = checker("L_model_forward")
    X, parameters = L_model_forward_test_case()
    AL, caches = check.returned(check.call(target, X, parameters), ["AL", "caches"])
    L = len(parameters) // 2
    expected_Z = [
        np.array([[ -5.238257136,   3.180401365,  0.4074500965,  -1.886127206],
                  [ -2.773582344, -0.5617731559,    3.18141623, -0.9920943195],
                  [  4.185009161,   -1.78006909, -0.1450261917,   2.721416384],
                  [  5.058508017,  -1.256740823,  -3.545666543,    3.82321852]]),
        np.array([[  2.264460297,   1.099712982,  -2.902980268,   1.540363346],
                  [  6.337225694,  -2.381162461,  -4.112288064,   4.485823829],
                  [  10.37508342, -0.6659146815,    1.63635185,   8.178701695]]),
        np.array([[-3.198646764, 0.8711705538, -1.402978636, -3.003194349]]),
    ]
    expected_AL, _ = sigmoid(expected_Z[-1])
    AL_if_every_layer_is_sigmoid = np.array([[0.5586529753, 0.5200680745, 0.5107185335, 0.5391208391]])
    check.value("AL", AL, expected_AL, [
        ("relu_output", relu(expected_Z[-1])[0]), ("sigmoid_hidden", AL_if_every_layer_is_sigmoid),
        ("not_unpacked", not_unpacked),
    ])
    inputs = [X] + [relu(Z)[0] for Z in expected_Z[:-1]]  # the input of each layer
    expected_caches = [((inputs[l], parameters["W" + str(l + 1)], parameters["b" + str(l + 1)]), expected_Z[l])
                       for l in range(L)]
    check.value("caches", caches, expected_caches, [
        ("missing_last_cache", expected_caches[:-1]), ("missing_relu_caches", expected_caches[-1:]),
    ])
    check.done()


def compute_cost_test(target):
    check = checker("compute_cost")
    AL, Y = compute_cost_test_case()
    m = Y.shape[1]
    cost = check.call(target, AL, Y)
    expected_cost = 0.4532892093
    cost_without_the_second_term = 0.3064953743
    check.value("cost", cost, expected_cost, [
        ("not_squeezed", np.array([[expected_cost]])), ("no_mean", expected_cost * m), ("wrong_sign", -expected_cost),
        ("missing_negative_class", cost_without_the_second_term),
    ])
    check.done()


# ---------------------------------------------------------------- assignment 1: backward propagation

def linear_backward_test(target):
    check = checker("linear_backward")
    dZ, linear_cache = linear_backward_test_case()
    m = dZ.shape[1]
    result = check.call(target, dZ, linear_cache)
    dA_prev, dW, db = check.returned(result, ["dA_prev", "dW", "db"])
    expected_dA_prev = np.array([[   -1.925652221, -0.009824138428,    0.4327538396,     2.645220453],
                                 [   -1.355824101,    0.1596799066,     2.136804321,    -1.079433171],
                                 [   -1.374903376,  -0.01932209239,    0.7172703203,     1.052712939],
                                 [   -3.850769683,   -0.1991906959,    0.6742110509,     5.005061154],
                                 [   -1.793408933,   -0.2156258518,     1.005512674,    0.5429579071]])
    expected_dW = np.array([[  0.770384389,  0.1240321381, -0.6267714127, -0.4457374425,  -1.271536311],
                            [-0.1503401169,  0.3272476855, 0.03257167452,   0.146458738, -0.2514495651],
                            [-0.3195452425, -0.3757058705, -0.3982817563,  -0.144591859,  0.2281681167]])
    expected_db = np.array([[0.1145357722],
                            [-0.335472335],
                            [-0.237569643]])
    check.value("dW", dW, expected_dW, [("no_mean_dW", expected_dW * m), ("dW_transposed", transposed(expected_dW))])
    check.value("db", db, expected_db, [
        ("db_no_keepdims", flat(expected_db)), ("no_mean_db", expected_db * m),
        ("db_wrong_axis", lambda got: isinstance(got, np.ndarray) and got.shape in [(m,), (1, m)]),
    ])
    check.value("dA_prev", dA_prev, expected_dA_prev, [
        ("dA_prev_divided", expected_dA_prev / m), ("dA_prev_transposed", transposed(expected_dA_prev)),
    ])
    check.done()


def linear_activation_backward_test(target):
    check = checker("linear_activation_backward")
    dA, cache = linear_activation_backward_test_case()
    m = dA.shape[1]
    expected = {
        "sigmoid": {
            "dA_prev": np.array([[-0.05068150685,   0.0398981145, 0.006136117519,  -0.2692077392],
                                 [-0.06232848285, -0.01764020956,  0.03309303467,  -0.3548349537],
                                 [-0.07659851276,   0.4393586832,    -0.13589349,  -0.2718508069]]),
            "dW": np.array([[ -0.1079963033,  0.03071639039,  -0.2108310294],
                            [  0.1077178369,   0.0439508143, -0.08669337537]]),
            "db": np.array([[-0.02675553029],
                            [-0.06384328323]]),
        },
        "relu": {
            "dA_prev": np.array([[0.01348925317, -0.1336057971, 0.04912635984,  -1.836174514],
                                 [0.05363114044, -0.5311955507,  0.1953186489,  -2.566099738],
                                 [-0.1901004666,   1.882871056, -0.6923247573,  -1.025188528]]),
            "dW": np.array([[-0.3126490654,  0.2681040668,  -1.272455576],
                            [ 0.5781562423,  0.4539621516,   -0.91855067]]),
            "db": np.array([[-0.2578644273],
                            [-0.4398955274]]),
        },
    }
    dW_without_activation = np.array([[-0.5302149768, 0.09727361991, -0.9267958753],
                                      [  0.664743006,   0.351888593, -0.7021821158]])
    # with 'sigmoid', relu_backward's result is what both using it everywhere and swapping the two give
    other_activation = {"sigmoid": ("relu_everywhere", "relu"), "relu": ("swapped", "sigmoid")}
    for activation in ["sigmoid", "relu"]:
        result = check.call(target, dA, cache, activation)
        dA_prev, dW, db = check.returned(result, ["dA_prev", "dW", "db"])
        mistake, other = other_activation[activation]
        for name, got in [("dW", dW), ("db", db), ("dA_prev", dA_prev)]:
            mistakes = [(mistake, expected[other][name]), ("skips_activation", dW_without_activation)]
            if name != "dA_prev":
                mistakes.append((f"{name} is m times too large: did you divide by m in linear_backward?",
                                 expected[activation][name] * m))
            check.value(f"{name} (activation='{activation}')", got, expected[activation][name], mistakes)
    check.done()


def L_model_backward_test(target):
    check = checker("L_model_backward")
    AL, Y, caches = L_model_backward_test_case()
    m = AL.shape[1]
    grads = check.call(target, AL, Y, caches)
    expected = {
        "dA2": np.array([[  0.5101540583,   -2.003027736,    1.811720098,    1.394875415,  -0.5054031992],
                         [ -0.3875262279,    1.521551716,   -1.376229482,   -1.059583471,   0.3839173524]]),
        "dW3": np.array([[  0.4581949892, -0.09950023019]]),
        "db3": np.array([[ -0.1102611903]]),
        "dA1": np.array([[ -0.9900382938,    4.589231267,    -4.15091732,   -2.706986357,  -0.1771346278],
                         [ -0.2898552512,    3.014809149,   -2.726867047,  -0.7925291533,  -0.4735395557],
                         [ -0.8217236181,    2.489241985,   -2.251496398,    -2.24677635,    0.185986643]]),
        "dW2": np.array([[  0.1155794959,     0.25671912,   0.6090893454],
                         [  -0.246746799,  -0.1072264299,   -0.375663329]]),
        "db2": np.array([[  0.3427443671],
                         [ -0.2126384694]]),
        "dA0": np.array([[ -0.2560927803,     5.42344621,   -4.905457036,   -2.010538677,  -0.3584729857],
                         [  0.1547086436,   -4.199881911,    3.798754421,   -3.079790976,   0.6076894139],
                         [    0.39142986,   -9.431295572,    8.530519788,   -5.535386498,    1.304583329],
                         [-0.06669395887,   -3.996515069,    3.614810989,   -2.534142114,    0.281847956]]),
        "dW1": np.array([[   2.106570834,   0.6216019383, -0.05956813683,  0.09834378806],
                         [   1.347643473,   0.4183512803, -0.01476507927, 0.007343186297],
                         [ -0.0556624242,   0.1271311429,   0.4580395208,  -0.9396376828]]),
        "db1": np.array([[ 0.05223586393],
                         [-0.09509054094],
                         [ -0.4121579414]]),
    }
    check.keys("grads", grads, list(expected))
    dA2_if_last_layer_is_relu = np.array([[   2.856661829,   -25.45541943,              0,              0,              0],
                                          [   -2.16999427,    19.33659551,              0,              0,              0]])
    check.value("grads['dA2']", grads["dA2"], expected["dA2"], [
        ("dAL_sign", -expected["dA2"]), ("relu_output", dA2_if_last_layer_is_relu),
    ])
    for key in ["dW3", "db3", "dA1", "dW2", "db2", "dA0", "dW1", "db1"]:
        mistakes = [("dAL_sign", -expected[key])]
        if not key.startswith("dA"):
            mistakes.append((f"{key} is m times too large: did you divide by m in linear_backward?",
                             expected[key] * m))
        check.value(f"grads['{key}']", grads[key], expected[key], mistakes)
    check.done()


def update_parameters_test(target):
    check = checker("update_parameters")
    params, grads, learning_rate = update_parameters_test_case()
    parameters = check.call(target, params, grads, learning_rate)
    expected = {
        "W1": np.array([[   1.765809423,  -0.2951034502,   0.2131300295,   0.3692040978],
                        [  -1.013682534, -0.02487559014,  0.05157007608,   -1.945926193],
                        [   0.993927821,   0.5903551174,  -0.6506867475,  -0.1583105414]]),
        "b1": np.array([[ 0.5362470083],
                        [-0.1178600686],
                        [ -0.292911491]]),
        "W2": np.array([[-1.486438834, 0.4810776535, 0.1431664513]]),
        "b2": np.array([[0.4522612091]]),
    }
    check.keys("parameters", parameters, list(expected))
    for key in ["W1", "b1", "W2", "b2"]:
        step = grads["d" + key]
        unchanged = "only_W" if key.startswith("b") else f"{key} did not change: update the parameters of every layer."
        check.value(key, parameters[key], expected[key], [
            ("plus", params[key] + learning_rate * step), ("no_learning_rate", params[key] - step),
            (unchanged, params[key]),
        ])
    arrays_given = check.arguments_given[0]  # the very arrays update_parameters received
    for key in ["W1", "b1", "W2", "b2"]:
        check.value(f"the array params['{key}'] it was given, after the call,", arrays_given[key], params[key], [
            ("mutates_caller", expected[key]),
        ])
    check.done()
