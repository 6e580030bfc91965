"""Centered finite differences: an independent check of every backward function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

TOLERANCE = 1e-7


def numeric_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d x by centered differences; f reads x, which is perturbed in place and restored."""
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        plus = f()
        x[index] = saved - h
        minus = f()
        x[index] = saved
        grad[index] = (plus - minus) / (2 * h)
    return grad


def relative_error(analytic, numeric) -> float:
    """||a - n|| / max(1e-8, ||a|| + ||n||): the course's gradient-check number (good: below 1e-7)."""
    analytic = np.asarray(analytic, dtype=float).ravel()
    numeric = np.asarray(numeric, dtype=float).ravel()
    scale = max(1e-8, float(np.linalg.norm(analytic) + np.linalg.norm(numeric)))
    return float(np.linalg.norm(analytic - numeric)) / scale


def gradient_problem(name: str, analytic, numeric: np.ndarray) -> str | None:
    """A sentence if `analytic` disagrees with the numerical gradient, else None."""
    if not isinstance(analytic, np.ndarray) or analytic.shape != numeric.shape:
        return None  # the value comparison already reports type and shape
    error = relative_error(analytic, numeric)
    if error < TOLERANCE:
        return None
    return (f"gradient check: {name} differs from the numerical gradient (centered differences) "
            f"by a relative error of {error:.2g}; a correct gradient gives less than {TOLERANCE:g}.")
