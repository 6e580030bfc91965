"""The public checks' shared part: how every assignment's checks compare and advise.

Each assignment's handout has its own `checks.py`: `<function>_test(target)` calls your function
on fixed inputs and compares what it returns with what the course's reference solution returns
on the same inputs (the expected numbers are written out there). When something differs it
stops with a PublicTestFailure that names the variable, shows what was expected and what you
returned, and adds a hint when the difference looks like a classic mistake (the words are that
file's HINTS).

This file holds what every assignment's checks share: the comparison (`difference`, with its
tolerance), the Checker that runs one test, and the advice on an error your code raised. The
grader compares your results on its hidden inputs with the same `difference()`, and its feedback
gives the same hints. Passing the public checks is a good sign, not a guarantee: the grader
runs more checks, on other inputs.
"""

import copy
import linecache
import re

import numpy as np

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

    def __init__(self, function_name, hints=None, advice=None):
        self.function_name = function_name
        self.hints = hints or {}  # catalogued mistake's name -> its words (the assignment's HINTS[function_name])
        self.advice = advice or {}  # function name -> advice on a shape error raised in it (see shape_advice)
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
                                    f"{where(error, target)}{shape_advice(error, target, self.advice)}") from None

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
                problem += f"\n  Hint: {hint_text(self.hints, hint)}"
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


def hint_text(hints, hint):
    """The words of a catalogued mistake (a name such as "no_mean_dW", looked up in `hints`), or the hint itself
    when it is a sentence."""
    if " " in hint:
        return hint
    return hints[hint]


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


# ---------------------------------------------------------------- advice on a shape error raised in your code

# np.dot says "shapes (3,4) and (2,3) not aligned: ..."; np.matmul and @ say "... mismatch in its core dimension ...".
PRODUCT_MISMATCH = re.compile(r"not aligned|mismatch in its core dimension")
DOT_SHAPES = re.compile(r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned")


def shape_advice(error, target, advice):
    """A hint line for a ValueError raised in one of your functions that `advice` names, else ''.

    advice: function name -> a function of (the shapes of that function's local arrays, by name; the error's
    message) returning the advice, or '' when it has none for this error.
    """
    frame = last_frame_of_yours(error, target)
    if not isinstance(error, ValueError) or frame is None or frame.tb_frame.f_code.co_name not in advice:
        return ""
    shapes = {key: value.shape for key, value in frame.tb_frame.f_locals.items() if isinstance(value, np.ndarray)}
    text = advice[frame.tb_frame.f_code.co_name](shapes, str(error))
    return f"\n  Hint: {text}" if text else ""


def product_mismatch(message):
    """What a matrix product's shape error means, in words; None if the message is not one."""
    if not PRODUCT_MISMATCH.search(message):
        return None
    met = DOT_SHAPES.search(message)
    if met:
        first, second = (tuple(int(n) for n in text.split(",") if n.strip()) for text in met.groups())
        met_text = f"np.dot met the shapes {first} and {second}, which do not fit together"
    else:
        met_text = "the matrix product met two shapes that do not fit together"
    return f"{met_text}: the number of columns of the first must equal the number of rows of the second."


# ---------------------------------------------------------------- mistakes seen in several functions

def transposed(expected):
    """Recognises an array with the two dimensions of `expected` swapped."""
    return lambda got: isinstance(got, np.ndarray) and got.shape == expected.shape[::-1] != expected.shape


def flat(expected):
    """Recognises an array of shape (n,) where expected has shape (n, 1)."""
    return lambda got: isinstance(got, np.ndarray) and got.shape == expected.shape[:1]
