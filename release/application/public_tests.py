"""Public tests: checks you can run in the notebooks while you write your functions.

Each `<function>_test(target)` calls your function on the fixed inputs of
`testCases.<function>_test_case()` and compares what it returns with what the
course's reference solution returns on the same inputs (the expected numbers are
written out below). When something differs it stops with a PublicTestFailure that
names the variable, shows what was expected and what you returned, and adds a hint
when the difference looks like a classic mistake.

The grader compares your results on its hidden inputs with `difference()` below,
the same function with the same tolerance, and its feedback gives the same hints
(HINTS). Passing these tests is a good sign, not a guarantee: the grader runs more
checks, on other inputs.
"""

import contextlib
import copy
import io
import linecache
import re

import numpy as np

import testCases
from dnn_utils import relu, sigmoid  # the course's activations: (A, cache)

# Two numbers count as equal when they agree to about 6 significant digits:
# correct code written another way (np.mean instead of np.sum / m, `@` instead
# of np.dot) differs from the reference only in the last digits.
RELATIVE_TOLERANCE = 1e-6
ABSOLUTE_TOLERANCE = 1e-8


class PublicTestFailure(Exception):
    """A public test found a mistake; the message says where and what to look at."""

    def _render_traceback_(self):
        # Jupyter calls this instead of printing a traceback: show just the message.
        return str(self).splitlines()


# ---------------------------------------------------------------- comparing values (the grader uses this too)

def type_name(value):
    """The type's name; a value that could not be read back (the grader's stand-in) carries its own."""
    if value is None:
        return "None"
    return getattr(value, "type_name", None) or type(value).__name__


def is_number(value):
    """True for Python and NumPy numbers and for arrays of shape ()."""
    if isinstance(value, np.ndarray):
        return value.shape == () and np.issubdtype(value.dtype, np.number)
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def as_text(value):
    """Numbers with 10 significant digits (0.5, not np.float64(0.5)); lists and tuples item by item."""
    if is_number(value):
        return f"{float(value):.10g}"
    if isinstance(value, list):
        return "[" + ", ".join(as_text(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(as_text(item) for item in value) + ")"
    return repr(value)


def show(label, value):
    """'label: value', with the continuation lines of an array lined up under the first."""
    prefix = f"  {label}: "
    if isinstance(value, np.ndarray) and value.shape != ():
        return prefix + np.array2string(value, precision=8, suppress_small=True, max_line_width=110, prefix=prefix)
    return prefix + as_text(value)


def difference(name, got, expected):
    """None if `got` matches `expected`, else one sentence saying how they differ.

    Goes into dicts, tuples and lists, so `name` grows into e.g. "cache[0]" or "grads['dW1']".
    """
    if isinstance(expected, dict):
        return dict_difference(name, got, expected)
    if isinstance(expected, (tuple, list)):
        return sequence_difference(name, got, expected)
    if isinstance(expected, np.ndarray) and expected.shape != ():
        if not isinstance(got, np.ndarray):
            return f"{name} should be a numpy array, got {type_name(got)}."
        if got.shape != expected.shape:
            return f"{name} has shape {got.shape}, expected {expected.shape}."
        if got.dtype.kind not in "biuf":
            return f"{name} holds {got.dtype} values, expected numbers."
    elif is_number(expected):
        if isinstance(got, np.ndarray) and got.shape != ():
            return f"{name} should be a number (shape ()), got an array of shape {got.shape}: use np.squeeze()."
        if not is_number(got):
            return f"{name} should be a number, got {type_name(got)}."
    elif type(got) is not type(expected) or got != expected:
        return f"{name} is {as_text(got)}, expected {as_text(expected)}."
    else:
        return None
    return values_difference(name, np.asarray(got, dtype=float), np.asarray(expected, dtype=float))


def values_difference(name, got, expected):
    """None if the numbers agree within the tolerance (nan where the course gives nan agrees), else a sentence."""
    if np.allclose(got, expected, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE, equal_nan=True):
        return None
    if not np.all(np.isfinite(got)):
        return f"{name} contains nan or inf values."
    if expected.shape == ():
        return f"{name} has wrong values: expected {float(expected):.8g}, got {float(got):.8g}."
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), expected.shape)
    return (f"{name} has wrong values: expected {float(expected[worst]):.8g}, got {float(got[worst]):.8g} "
            f"at index {tuple(int(i) for i in worst)}.")


def dict_difference(name, got, expected):
    problem = key_difference(name, got, list(expected))
    if problem:
        return problem
    for key in expected:
        problem = difference(f"{name}['{key}']", got[key], expected[key])
        if problem:
            return problem
    return None


def key_difference(name, got, expected_keys):
    """None if got is a dict with exactly the expected keys, else a sentence naming what is missing or extra."""
    if not isinstance(got, dict):
        return f"{name} should be a dict, got {type_name(got)}."
    missing = [key for key in expected_keys if key not in got]
    unexpected = [str(key) for key in got if key not in expected_keys]
    shifted = shifted_keys(expected_keys, list(got))
    if missing and shifted:
        return f"{name}'s keys are shifted by one layer: it has {shifted[1]} where {shifted[0]} are expected."
    if missing or unexpected:
        return f"{name} should have the keys {expected_keys}; missing: {missing}, not expected: {unexpected}."
    return None


def shifted_keys(expected, got):
    """(expected keys, got keys) of a family such as dA0, dA1, ... whose numbers are all moved by one, or None."""

    def numbered(keys, stem):
        return sorted(int(key[len(stem):]) for key in keys if isinstance(key, str) and key[len(stem):].isdigit()
                      and key.startswith(stem))

    stems = {key.rstrip("0123456789") for key in expected if key not in got}
    for stem in sorted(stems):
        want, have = numbered(expected, stem), numbered(got, stem)
        if want and want != have and any([n + step for n in want] == have for step in (1, -1)):
            return [f"{stem}{n}" for n in want], [f"{stem}{n}" for n in have]
    return None


def sequence_difference(name, got, expected):
    if not isinstance(got, (tuple, list)):
        return f"{name} should be a {type_name(expected)}, got {type_name(got)}."
    if len(got) != len(expected):
        items = "item" if len(got) == 1 else "items"
        return f"{name} has {len(got)} {items}, expected {len(expected)}."
    for index, (got_item, expected_item) in enumerate(zip(got, expected)):
        problem = difference(f"{name}[{index}]", got_item, expected_item)
        if problem:
            return problem
    return None


def shows_mistake(got, mistake):
    """True if `got` is what the mistake gives: mistake is that value, or a function telling so."""
    if callable(mistake):
        try:
            return bool(mistake(got))
        except Exception:  # noqa: BLE001 -- `got` may be anything; then it does not show this mistake
            return False
    return difference("", got, mistake) is None


# ---------------------------------------------------------------- running one test

class Checker:
    """Calls one of your functions, runs the checks on what it returns, and counts them."""

    def __init__(self, function_name):
        self.function_name = function_name
        self.count = 0
        self.arguments_given = ()

    def fail(self, message):
        raise PublicTestFailure(f"{self.function_name}: {message}")

    def call(self, target, *args, **kwargs):
        """Call target on copies of the arguments; its errors become a short message.

        Keeps in `arguments_given` the arguments target was given, each dict copied (not its values) before the
        call: its values are the very arrays target received, whatever target does to the dict.
        """
        given = copy.deepcopy(args)
        self.arguments_given = tuple(dict(arg) if isinstance(arg, dict) else arg for arg in given)
        try:
            return target(*given, **kwargs)
        except NotImplementedError:
            raise PublicTestFailure(f"{self.function_name} is not written yet: "
                                    "replace `raise NotImplementedError()` with your code.") from None
        except Exception as error:  # noqa: BLE001 -- any error in your code becomes a one-line message
            raise PublicTestFailure(f"{self.function_name} raised {type(error).__name__}: {error}"
                                    f"{where(error, target)}{shape_advice(error, target)}") from None

    def returned(self, result, names):
        """Check that the function returned one value per name, and return them."""
        if not isinstance(result, tuple) or len(result) != len(names):
            got = f"{len(result)} values" if isinstance(result, tuple) else f"one {type_name(result)}"
            self.fail(f"should return {len(names)} values ({', '.join(names)}), got {got}.")
        return result

    def value(self, name, got, expected, mistakes=()):
        """Compare got with expected; mistakes: (catalogued mistake's name, or a hint, and what it gives) pairs."""
        self.count += 1
        problem = difference(name, got, expected)
        if problem is None:
            return
        if " has wrong values" in problem and isinstance(got, np.ndarray) and got.shape == np.shape(expected):
            problem += "\n" + show("expected", expected) + "\n" + show("got     ", got)
        for hint, mistake in mistakes:
            if shows_mistake(got, mistake):
                problem += f"\n  Hint: {hint_text(self.function_name, hint)}"
                break
        self.fail(problem)

    def keys(self, name, got, expected_keys):
        """Check that got is a dict with exactly the expected keys."""
        self.count += 1
        problem = key_difference(name, got, expected_keys)
        if problem:
            self.fail(problem)

    def true(self, condition, message):
        """A check that is not a comparison: fail with message unless condition holds."""
        self.count += 1
        if not condition:
            self.fail(message)

    def done(self):
        if self.count == 1:
            print(f"{self.function_name}: the public check passed.")
        else:
            print(f"{self.function_name}: all {self.count} public checks passed.")


def hint_text(function_name, hint):
    """The words of a catalogued mistake (a name such as "no_mean_dW"), or the hint itself when it is a sentence."""
    if " " in hint:
        return hint
    return HINTS[function_name][hint]


def where(error, target):
    """' (in function, at `line`)' for the last line of your own code that the error went through, or ''."""
    frame = last_frame_of_yours(error, target)
    if frame is None:
        return ""
    code = frame.tb_frame.f_code
    text = linecache.getline(code.co_filename, frame.tb_lineno).strip()
    return f" (in {code.co_name}, at `{text}`)" if text else f" (in {code.co_name})"


def last_frame_of_yours(error, target):
    """The last traceback entry of the error that ran in your notebook (the globals of target), or None."""
    your_globals = getattr(target, "__globals__", None)
    found = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_globals is your_globals:
            found = trace
        trace = trace.tb_next
    return found


# ---------------------------------------------------------------- advice for matrix products whose shapes do not fit

# np.dot says "shapes (3,4) and (2,3) not aligned: ..."; np.matmul and @ say "... mismatch in its core dimension ...".
PRODUCT_MISMATCH = re.compile(r"not aligned|mismatch in its core dimension")
DOT_SHAPES = re.compile(r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned")


def linear_forward_advice(shapes):
    A, W = shapes.get("A"), shapes.get("W")
    if A is None or W is None or len(A) != 2 or len(W) != 2:
        return "Z = W A + b: W comes first, np.dot(W, A)."
    return (f"W has shape {W} and A has shape {A}. Z = W A + b, so W comes first: np.dot(W, A) multiplies "
            f"{W} by {A} and gives Z of shape {(W[0], A[1])}, one row per unit and one column per example.")


def linear_backward_advice(shapes):
    dZ, A_prev, W = shapes.get("dZ"), shapes.get("A_prev"), shapes.get("W")
    if any(shape is None or len(shape) != 2 for shape in (dZ, A_prev, W)):
        return "dW = np.dot(dZ, A_prev.T) / m and dA_prev = np.dot(W.T, dZ): mind the order and the transposes."
    return (f"dZ has shape {dZ}, A_prev {A_prev} and W {W}. dW = np.dot(dZ, A_prev.T) / m multiplies {dZ} by "
            f"{A_prev[::-1]} and gives {(dZ[0], A_prev[0])}, the shape of W; dA_prev = np.dot(W.T, dZ) multiplies "
            f"{W[::-1]} by {dZ} and gives {(W[1], dZ[1])}, the shape of A_prev.")


PRODUCT_ADVICE = {"linear_forward": linear_forward_advice, "linear_backward": linear_backward_advice}


def shape_advice(error, target):
    """A hint line for a matrix product whose shapes do not fit, in linear_forward or linear_backward; else ''."""
    frame = last_frame_of_yours(error, target)
    if not isinstance(error, ValueError) or frame is None or frame.tb_frame.f_code.co_name not in PRODUCT_ADVICE:
        return ""
    name = frame.tb_frame.f_code.co_name
    shapes = {key: value.shape for key, value in frame.tb_frame.f_locals.items() if isinstance(value, np.ndarray)}
    advice = PRODUCT_ADVICE[name](shapes)
    if name == "linear_forward" and "could not be broadcast" in str(error):  # np.dot(A, W) fitted, then "+ b" did not
        return f"\n  Hint: the product has the wrong shape for adding b. {advice}"
    if not PRODUCT_MISMATCH.search(str(error)):
        return ""
    met = DOT_SHAPES.search(str(error))
    if met:
        first, second = (tuple(int(n) for n in text.split(",") if n.strip()) for text in met.groups())
        met_text = f"np.dot met the shapes {first} and {second}, which do not fit together"
    else:
        met_text = "the matrix product met two shapes that do not fit together"
    return (f"\n  Hint: {met_text}: the number of columns of the first must equal the number of rows of the "
            f"second. {advice}")


# ---------------------------------------------------------------- mistakes seen in several functions

def transposed(expected):
    """Recognises an array with the two dimensions of `expected` swapped."""
    return lambda got: isinstance(got, np.ndarray) and got.shape == expected.shape[::-1] != expected.shape


def flat(expected):
    """Recognises an array of shape (n,) where expected has shape (n, 1)."""
    return lambda got: isinstance(got, np.ndarray) and got.shape == expected.shape[:1]


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
NEVER_UPDATES = ("the parameters never change (the cost stays the same): replace `parameters` by what "
                 "update_parameters() returns, every iteration.")
FIXED_RATE = "use the learning_rate argument, not a fixed number."
FIXED_ITERATIONS = "loop num_iterations times, not a fixed number of times."
ASCENT = "the cost does not go down: gradient descent subtracts learning_rate * gradient."
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
    "two_layer_model": {
        "never_updates": NEVER_UPDATES, "fixed_learning_rate": FIXED_RATE, "fixed_iterations": FIXED_ITERATIONS,
        "gradient_ascent": ASCENT,
        "deep_initializer": "a two-layer network starts from initialize_parameters(n_x, n_h, n_y).",
    },
    "L_layer_model": {
        "never_updates": NEVER_UPDATES, "fixed_learning_rate": FIXED_RATE, "fixed_iterations": FIXED_ITERATIONS,
        "gradient_ascent": ASCENT,
        "two_layer_initializer": "an L-layer network starts from initialize_parameters_deep(layers_dims).",
    },
}


# ---------------------------------------------------------------- assignment 1: initialization

def initialize_parameters_test(target):
    check = Checker("initialize_parameters")
    n_x, n_h, n_y = testCases.initialize_parameters_test_case()
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
    check = Checker("initialize_parameters_deep")
    (layer_dims,) = testCases.initialize_parameters_deep_test_case()
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
    check = Checker("linear_forward")
    A, W, b = testCases.linear_forward_test_case()
    Z, cache = check.returned(check.call(target, A, W, b), ["Z", "cache"])
    expected_Z = np.array([[-0.4521499344,  0.8406419866,   1.200096151,  -1.655222468],
                           [ -1.633079909,   1.871442826, -0.4206318138,   3.702729437]])
    check.value("Z", Z, expected_Z, [
        ("no_bias", expected_Z - b), ("minus_bias", expected_Z - 2 * b), ("transposed_Z", transposed(expected_Z)),
    ])
    check.value("cache", cache, (A, W, b), [("cache_order", (W, A, b))])
    check.done()


def linear_activation_forward_test(target):
    check = Checker("linear_activation_forward")
    A_prev, W, b = testCases.linear_activation_forward_test_case()
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
    check = Checker("L_model_forward")
    X, parameters = testCases.L_model_forward_test_case()
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
    check = Checker("compute_cost")
    AL, Y = testCases.compute_cost_test_case()
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
    check = Checker("linear_backward")
    dZ, linear_cache = testCases.linear_backward_test_case()
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
    check = Checker("linear_activation_backward")
    dA, cache = testCases.linear_activation_backward_test_case()
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
    check = Checker("L_model_backward")
    AL, Y, caches = testCases.L_model_backward_test_case()
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
    check = Checker("update_parameters")
    params, grads, learning_rate = testCases.update_parameters_test_case()
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


# ---------------------------------------------------------------- assignment 2: models

def check_model(check, target, test_case, expected_parameters, expected_costs, cost_mistakes):
    """Shared by two_layer_model_test and L_layer_model_test."""
    X, Y, layers_dims, learning_rate, num_iterations = test_case
    result = check.call(target, X, Y, layers_dims, learning_rate=learning_rate,
                        num_iterations=num_iterations, print_cost=False)
    parameters, costs = check.returned(result, ["parameters", "costs"])
    cost_mistakes = cost_mistakes + [
        ("never_updates", [expected_costs[0]] * len(expected_costs)),
        ("fixed_iterations", lambda got: len(got) != len(expected_costs)),
        ("gradient_ascent", lambda got: not float(got[-1]) < float(got[0])),
    ]
    check.value("costs", costs, expected_costs, cost_mistakes)
    check.keys("parameters", parameters, list(expected_parameters))
    for key, expected_value in expected_parameters.items():
        check.value(f"parameters['{key}']", parameters[key], expected_value)

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        check.call(target, X, Y, layers_dims, learning_rate=learning_rate,
                   num_iterations=num_iterations, print_cost=True)
    printed_costs = {int(i): float(cost) for i, cost in
                     re.findall(r"Cost after iteration (\d+): ([-+0-9.eE]+|nan|inf)", printed.getvalue())}
    expected_iterations = list(range(0, num_iterations, 100)) + [num_iterations - 1]
    printed_iterations = sorted(printed_costs)
    if not printed_iterations:
        printed = "none"
    elif len(printed_iterations) > len(expected_iterations) + 2:
        printed = ", ".join(map(str, printed_iterations[:len(expected_iterations)])) + ", ..."
    else:
        printed = ", ".join(map(str, printed_iterations))
    check.true(printed_iterations == expected_iterations,
               "with print_cost=True it should print 'Cost after iteration i: <cost>' for i in "
               f"{expected_iterations}; it printed such lines for i in: {printed}.")
    check.value("the cost printed after iteration 0", printed_costs[0], expected_costs[0])


def two_layer_model_test(target):
    check = Checker("two_layer_model")
    expected_parameters = {
        "W1": np.array([[   1.329130962,   0.2069443131,   0.3884435875,  -0.1753157754],
                        [  0.3689778993,    0.032732931,   0.1193574886, -0.05086262523],
                        [   1.766604538,   0.2747160584,   0.5255216014,  -0.2358985287]]),
        "b1": np.array([[0.8315387689],
                        [0.2228559315],
                        [ 1.117593346]]),
        "W2": np.array([[ 1.635675594, 0.4497409538,  2.182767313]]),
        "b2": np.array([[-3.875530093]]),
    }
    expected_costs = [0.6931813402, 0.03799357692, 0.01507959682]
    costs_with_learning_rate_0_0075 = [0.6931813402, 0.6887595932, 0.6856840676]
    costs_with_initialize_parameters_deep = [0.8042932927, 0.02163502876, 0.01017812688]
    check_model(check, target, testCases.two_layer_model_test_case(), expected_parameters, expected_costs, [
        ("fixed_learning_rate", costs_with_learning_rate_0_0075),
        ("deep_initializer", costs_with_initialize_parameters_deep),
    ])
    check.done()


def L_layer_model_test(target):
    check = Checker("L_layer_model")
    expected_parameters = {
        "W1": np.array([[   0.5601918156,   -0.3510114994,    -0.452924996,   -0.6671270289],
                        [   0.5887907143,    -1.034185785,     1.045112363,   -0.3709610952],
                        [   0.4047017785,    0.2894887473,    0.8602510795,    -1.041553015],
                        [  0.06685863878,   -0.1402495645,    0.6446853811,   -0.4666089877],
                        [6.395259348e-06,   0.05036711176,    0.1633272389,      1.01525834]]),
        "b1": np.array([[0.08087179041],
                        [ 0.1649428308],
                        [ 0.1893715745],
                        [-0.1054840248],
                        [ 0.5263175088]]),
        "W2": np.array([[ -0.4736797362,   0.7195009456,   0.7954969958,   0.1789751831,     1.12100655],
                        [ -0.3057723942, -0.05495817961,  -0.4184888133,  -0.1198031913,   0.1014096623],
                        [ -0.3093200916,  -0.1774335713,  -0.3073129739,  -0.3779874539,  -0.3001903956]]),
        "b2": np.array([[ 0.2406188998],
                        [-0.2039400003],
                        [            0]]),
        "W3": np.array([[  1.357637995, -0.6411902885,  0.1353399662]]),
        "b3": np.array([[0.2063130871]]),
    }
    expected_costs = [0.6968712969, 0.5568565664, 0.4849133968]
    costs_with_learning_rate_0_0075 = [0.6968712969, 0.6535130324, 0.6261760104]
    costs_with_initialize_parameters = [0.6931366713, 0.5603783692, 0.3392255224]
    check_model(check, target, testCases.L_layer_model_test_case(), expected_parameters, expected_costs, [
        ("fixed_learning_rate", costs_with_learning_rate_0_0075),
        ("two_layer_initializer", costs_with_initialize_parameters),
    ])
    check.done()
