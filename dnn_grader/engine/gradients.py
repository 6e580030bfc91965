"""Centered finite differences: an independent check of every backward function, with a bound that is sound.

A fixed relative bound on `||analytic - numeric|| / (||analytic|| + ||numeric||)` fails correct code on some
draws: for a tiny gradient (an output bias `db3` of 1e-3, say) the finite differences' own error, rounding of
the function's values divided by h, is no longer small next to it. So every numerical gradient carries an
estimate of its own error (`NumericGradient.uncertainty`):
- truncation: the same difference with step 2h; centered differences err by O(h^2), so the two estimates
  differ by about three times the error of the finer one, and their distance bounds it;
- rounding: each value of the function is known to about ROUNDING * |f|, divided by 2h.
An analytic gradient passes when it is within TOLERANCE (the course's gradient-check number) relative, plus
SLACK times that uncertainty. A wrong gradient (a missing 1/m, a wrong sign, a transposed product) is off by a
relative 1e-1 or more, far above either term. h = 1e-5 is near the best step for float64 (about eps^(1/3)).

The hidden cases are checked when they are drawn (grading.hidden_cases): the course's reference must pass
every check of a case with a bound STRICTER times tighter (`strict()`), or the case is drawn again; so no case
on which correct code is near the bound is ever used.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

TOLERANCE = 1e-7
STEP = 1e-5
ROUNDING = 64 * np.finfo(float).eps  # the relative error of a cost computed in a few dozen operations
SLACK = 4.0
STRICTER = 0.1
_strictness = contextvars.ContextVar("gradient_check_strictness", default=1.0)


@dataclass(frozen=True)
class NumericGradient:
    """d f / d x by centered differences (value, the shape of x), and an estimate of its error (a norm)."""

    value: np.ndarray
    uncertainty: float


def centered_differences(f: Callable[[], float], x: np.ndarray, h: float = STEP) -> NumericGradient:
    """d f / d x with its error estimate; f reads x, which is perturbed in place and restored."""
    fine = np.zeros_like(x, dtype=float)
    coarse = np.zeros_like(x, dtype=float)
    rounding = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        saved = x[index]
        values = []
        for step in (h, -h, 2 * h, -2 * h):
            x[index] = saved + step
            values.append(f())
        x[index] = saved
        fine[index] = (values[0] - values[1]) / (2 * h)
        coarse[index] = (values[2] - values[3]) / (4 * h)
        rounding[index] = ROUNDING * max(abs(value) for value in values) / h
    uncertainty = float(np.linalg.norm(fine - coarse) + np.linalg.norm(rounding))
    return NumericGradient(fine, uncertainty)


def numeric_gradient(f: Callable[[], float], x: np.ndarray, h: float = STEP) -> np.ndarray:
    """d f / d x by centered differences (the shape of x)."""
    return centered_differences(f, x, h).value


def relative_error(analytic, numeric) -> float:
    """||a - n|| / max(1e-8, ||a|| + ||n||): the course's gradient-check number (good: below 1e-7)."""
    analytic = np.asarray(analytic, dtype=float).ravel()
    numeric = np.asarray(numeric, dtype=float).ravel()
    scale = max(1e-8, float(np.linalg.norm(analytic) + np.linalg.norm(numeric)))
    return float(np.linalg.norm(analytic - numeric)) / scale


@contextlib.contextmanager
def strict() -> Iterator[None]:
    """Within it, every gradient check allows STRICTER times less (how the reference is checked on a new case)."""
    token = _strictness.set(STRICTER)
    try:
        yield
    finally:
        _strictness.reset(token)


def gradient_problem(name: str, analytic, numeric: NumericGradient) -> str | None:
    """A sentence if `analytic` disagrees with the numerical gradient beyond its bound, else None."""
    if not isinstance(analytic, np.ndarray) or analytic.shape != numeric.value.shape:
        return None  # the value comparison already reports type and shape
    try:
        difference = float(np.linalg.norm(np.asarray(analytic, dtype=float) - numeric.value))
    except (TypeError, ValueError):
        return None
    scale = max(1e-8, float(np.linalg.norm(analytic) + np.linalg.norm(numeric.value)))
    bound = _strictness.get() * (TOLERANCE + SLACK * numeric.uncertainty / scale)
    if difference / scale <= bound:
        return None
    return (f"gradient check: {name} differs from the numerical gradient (centered differences) "
            f"by a relative error of {difference / scale:.2g}; a correct gradient gives less than {bound:.2g} here.")


def parameter_gradients_check(name: str, cost_of: Callable, parameters: dict) -> Callable:
    """A hidden case's check of a returned gradients dict `name` (d<key> for each key of `parameters`) against
    centered differences of the cost `cost_of(reference, theta)`, a float, at theta = the case's parameters.

    The numerical gradients need the reference (its forward pass and cost), so they are computed on the case's
    first check and kept. Returns check(value, reference) -> the first gradient's problem (a sentence) or None.
    """
    found = {}

    def check(value, reference):
        if not isinstance(value, dict):
            return None
        if "numeric" not in found:
            theta = {key: array.copy() for key, array in parameters.items()}

            def cost():
                return float(cost_of(reference, theta))

            found["numeric"] = {key: centered_differences(cost, theta[key]) for key in sorted(theta)}
        for key, numeric in found["numeric"].items():
            problem = gradient_problem(f'{name}["d{key}"]', value.get(f"d{key}"), numeric)
            if problem:
                return problem
        return None

    return check
