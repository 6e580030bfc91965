"""Hidden check suites: for each graded function, the cases it is called on.

A suite lists, per assignment, the graded functions in an order where every
function comes after the ones it may call (so a helper's reference is never
offered before the helper itself has been graded), and for each the cases:
inputs, plus optional extra checks (finite-difference gradients, printed output).
Expected answers are not stored here: they come from the reference solutions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Case:
    """One call of a student's function."""

    label: str
    # the arguments, or a function of the reference namespace that builds them
    args: tuple | Callable[[dict], tuple]
    kwargs: dict = field(default_factory=dict)
    # extra check on the returned value: (value, reference namespace) -> problem sentence or None
    extra: Callable[[Any, dict], str | None] | None = None
    # extra check on what the call printed: (stdout, expected value) -> problem sentence or None
    printed: Callable[[str, Any], str | None] | None = None


@dataclass
class FunctionSpec:
    """How to grade one function."""

    name: str
    output_names: tuple[str, ...]
    cases: Callable[[np.random.Generator], list[Case]]  # drawn from the generator of the course's secret
    deps: tuple[str, ...] = ()
    must_not_mutate: bool = False


def case_arguments(case: Case, reference: dict) -> tuple:
    return case.args(reference) if callable(case.args) else case.args


def load(assignment: str) -> list[FunctionSpec]:
    """The suite of an assignment, in grading order."""
    if assignment == "step_by_step":
        from dnn_grader.suites import step_by_step

        return step_by_step.SUITE
    if assignment == "application":
        from dnn_grader.suites import application

        return application.SUITE
    raise KeyError(f"no hidden checks are defined for the assignment {assignment!r}")


def known_assignments() -> tuple[str, ...]:
    return ("step_by_step", "application")
