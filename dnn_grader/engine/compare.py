"""Compare what a student's function returned with the course's answer, in words.

Both sides are plain data (see wire.py): NumPy arrays, Python numbers, tuples,
lists, dicts and strings. compare() returns None when they agree, or one sentence
that names the returned variable and says what is wrong.
"""

from __future__ import annotations

import numpy as np

from dnn_grader.inside.wire import Opaque

RTOL = 1e-6
ATOL = 1e-9


def compare(expected, got, name: str) -> str | None:
    """First difference between expected and got, as a sentence; None if they agree."""
    if isinstance(got, Opaque):
        return f"{name} is a {got.type_name} object; expected {describe(expected)}."
    if _is_scalar(expected):
        return _compare_scalar(expected, got, name)
    if isinstance(expected, np.ndarray):
        return _compare_array(expected, got, name)
    if isinstance(expected, dict):
        return _compare_dict(expected, got, name)
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(expected, got, name)
    if expected != got:
        return f"{name} is {got!r}; expected {expected!r}."
    return None


def describe(value) -> str:
    if _is_scalar(value):
        return "a number"
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} values"
    if isinstance(value, list):
        return f"a list of {len(value)} values"
    return type(value).__name__


def _is_scalar(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim == 0
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _compare_scalar(expected, got, name):
    if isinstance(got, np.ndarray) and got.ndim > 0:
        return (f"{name} has shape {got.shape}; expected a single number of shape (). "
                "Use np.squeeze() to turn [[x]] into x.")
    if not _is_scalar(got):
        return f"{name} is {describe(got)}; expected a single number."
    return _values_problem(np.asarray(expected, dtype=float), np.asarray(got, dtype=float), name)


def _compare_array(expected, got, name):
    if not isinstance(got, np.ndarray):
        return f"{name} should be a numpy array; got {describe(got)}."
    if got.shape != expected.shape:
        return f"{name} has shape {got.shape}; expected {expected.shape}."
    if got.dtype.kind not in "biuf":
        return f"{name} holds {got.dtype} values; expected numbers."
    return _values_problem(expected.astype(float), got.astype(float), name)


def _values_problem(expected, got, name):
    if np.allclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=True):  # nan where the course gives nan agrees
        return None
    if not np.all(np.isfinite(got)):
        return f"{name} contains nan or inf values."
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), expected.shape) if expected.ndim else ()
    where = f" at index {tuple(int(i) for i in worst)}" if expected.ndim else ""
    return (f"{name} has wrong values: expected {float(expected[worst]):.8g}, "
            f"got {float(got[worst]):.8g}{where}.")


def _compare_dict(expected, got, name):
    if not isinstance(got, dict):
        return f"{name} should be a dict with keys {sorted(expected)}; got {describe(got)}."
    missing = sorted(set(expected) - set(got))
    shifted = _shifted_keys(list(expected), list(got), missing)
    if shifted:
        return f"{name}'s keys are shifted by one layer: it has {shifted[1]} where {shifted[0]} are expected."
    if missing:
        return f"{name} is missing the keys {missing}."
    extra = sorted(set(got) - set(expected))
    if extra:
        return f"{name} has unexpected keys {extra}; expected exactly {sorted(expected)}."
    for key in expected:
        problem = compare(expected[key], got[key], f'{name}["{key}"]')
        if problem:
            return problem
    return None


def _shifted_keys(expected: list[str], got: list[str], missing: list[str]) -> tuple[list[str], list[str]] | None:
    """(expected keys, got keys) of a family such as dA0, dA1, ... whose numbers are all moved by one."""

    def split(key):
        stem = key.rstrip("0123456789")
        return (stem, int(key[len(stem):])) if stem != key else (key, None)

    for stem in {split(key)[0] for key in missing}:
        want = sorted(n for s, n in map(split, expected) if s == stem and n is not None)
        have = sorted(n for s, n in map(split, got) if s == stem and n is not None)
        if want and any([n + step for n in want] == have for step in (1, -1)):
            return [f"{stem}{n}" for n in want], [f"{stem}{n}" for n in have]
    return None


def _compare_sequence(expected, got, name):
    if not isinstance(got, (tuple, list)):
        return f"{name} should be {describe(expected)}; got {describe(got)}."
    if len(got) != len(expected):
        return f"{name} should hold {len(expected)} values; got {len(got)}."
    for index, (want, have) in enumerate(zip(expected, got)):
        problem = compare(want, have, f"{name}[{index}]")
        if problem:
            return problem
    return None


def relative_error(analytic, numeric) -> float:
    """||a - n|| / max(1e-8, ||a|| + ||n||): the course's gradient-check number (good: below 1e-7)."""
    analytic = np.asarray(analytic, dtype=float).ravel()
    numeric = np.asarray(numeric, dtype=float).ravel()
    scale = max(1e-8, float(np.linalg.norm(analytic) + np.linalg.norm(numeric)))
    return float(np.linalg.norm(analytic - numeric)) / scale
