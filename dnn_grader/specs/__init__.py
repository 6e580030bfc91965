"""One description per graded function: what it returns, how it is checked, how it goes wrong.

Each assignment's spec module (source/<assignment>/instructor/spec.py, found by
dnn_grader.course) lists a FunctionSpec per graded function, in an order where every
function comes after the helpers it may call. A spec holds:
- the function's name and the names of what it returns;
- its public check: `checks.<name>_test` on `checks.<name>_test_case()`, in the assignment's
  source/<assignment>/checks.py (shipped to students; the expected numbers there are the
  reference's outputs);
- how its hidden cases are drawn (from the generator of the course's secret);
- its catalogued mistakes (how to reproduce each: a textual change to the reference
  solution) and its known correct variants. A mistake's words are written once: in the
  assignment's `checks.HINTS`, so the notebook and the grader's feedback say the same, or, for a
  mistake no public check recognises, in the spec (`mistake(..., hint=...)`).

The grader, the public checks, the mistake recognition, the catalogue report and the
tests all read these specs. Expected answers are never stored here: they come from
the reference solutions in source/.

Partial credit (README, "How a function is scored"): each hidden case counts
equally, and a catalogued mistake fails every hidden case that can show it: all of
them, or for a mistake confined to one branch (one activation), every case of that
branch (`Case.branch`, `Variant.branch`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from dnn_grader import course


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
    branch: str = ""  # the branch of the function this case takes ("sigmoid" or "relu"), if it has branches


@dataclass(frozen=True)
class Variant:
    """A change to a function's solution cell: a correct way of writing it, or a classic mistake."""

    name: str
    patches: tuple[tuple[str, str], ...]
    is_mistake: bool = True
    # for a mistake whose results no code can reproduce (random numbers without the given seed):
    # (the course's result, the student's) -> does the student's look like this mistake's?
    resembles: Callable[[object, object], bool] | None = None
    branch: str = ""  # a mistake confined to one branch fails only that branch's cases
    function: str = ""  # filled in by the FunctionSpec that holds it
    assignment: str = ""
    words: str = ""  # the mistake's hint, when the assignment's public checks do not hold it (checks.HINTS)

    @property
    def correct(self) -> bool:
        return not self.is_mistake

    @property
    def hint(self) -> str:
        """The mistake's words, shared with the public checks; '' for a correct variant."""
        if not self.is_mistake:
            return ""
        if not self.words:
            raise KeyError(f"{self.case_id}: no words in the assignment's checks.HINTS nor in its spec (hint=...)")
        return self.words

    @property
    def case_id(self) -> str:
        return f"{self.function}:{self.name}"


def mistake(name: str, *patches: tuple[str, str], resembles=None, branch: str = "", hint: str = "") -> Variant:
    """A classic mistake; `hint` its words, if the assignment's checks.HINTS does not hold them."""
    return Variant(name, patches, True, resembles, branch, words=hint)


def correct(name: str, *patches: tuple[str, str]) -> Variant:
    return Variant(name, patches, False)


@dataclass
class FunctionSpec:
    """How one graded function is checked, publicly and hidden, and how it goes wrong."""

    assignment: str
    name: str
    output_names: tuple[str, ...]
    cases: Callable[[np.random.Generator], list[Case]]  # drawn from the generator of the course's secret
    mistakes: tuple[Variant, ...] = ()
    correct: tuple[Variant, ...] = ()
    deps: tuple[str, ...] = ()
    must_not_mutate: bool = False

    def __post_init__(self):
        own = {"function": self.name, "assignment": self.assignment}
        self.mistakes = tuple(replace(variant, **own) for variant in self.mistakes)
        self.correct = tuple(replace(variant, **own) for variant in self.correct)

    @property
    def public_case(self) -> Callable[[], tuple]:
        """The public check's inputs: checks.<name>_test_case of the assignment's handout."""
        return getattr(course.assignment(self.assignment).checks, f"{self.name}_test_case")

    @property
    def public_check(self) -> Callable[[Callable], None]:
        """The check students run in the notebook: checks.<name>_test of the assignment's handout."""
        return getattr(course.assignment(self.assignment).checks, f"{self.name}_test")


def case_arguments(case: Case, reference: dict) -> tuple:
    return case.args(reference) if callable(case.args) else case.args


def load(assignment: str, course_root=None) -> list[FunctionSpec]:
    """The specs of an assignment, in grading order (KeyError naming the known assignments if there is none)."""
    found = course.assignment(assignment, course_root)
    function_specs = found.spec.SPECS
    strays = sorted({spec.assignment for spec in function_specs} - {assignment})
    if strays:
        raise ValueError(f"{found.folder}/instructor/spec.py describes functions of {strays}, not of {assignment!r}")
    hints = getattr(found.checks, "HINTS", {})
    for spec in function_specs:  # each mistake's words, from the same course's checks.py unless its spec gives them
        own_hints = hints.get(spec.name, {})
        spec.mistakes = tuple(replace(variant, words=own_hints[variant.name])
                              if not variant.words and variant.name in own_hints else variant
                              for variant in spec.mistakes)
    return function_specs


def known_assignments(course_root=None) -> tuple[str, ...]:
    """The course's assignments, in series order."""
    return tuple(course.names(course_root))


def all_specs(course_root=None) -> list[FunctionSpec]:
    return [spec for assignment in known_assignments(course_root) for spec in load(assignment, course_root)]


def spec_of(assignment: str, function: str, course_root=None) -> FunctionSpec:
    """The spec of one graded function (StopIteration if the assignment grades no such function)."""
    return next(spec for spec in load(assignment, course_root) if spec.name == function)


def credit_by_the_rule(variant: Variant, course_root=None) -> float:
    """The share of its function's points a catalogued mistake keeps: its function's cases it cannot show in."""
    spec = spec_of(variant.assignment, variant.function, course_root)
    cases = spec.cases(np.random.default_rng(0))  # how many cases, and their branches, do not depend on the draw
    kept = [case for case in cases if variant.branch and case.branch != variant.branch]
    return len(kept) / len(cases)


def __getattr__(name):
    """MISTAKES and CORRECT: every catalogued mistake and correct variant of the course's assignments, in spec order."""
    if name == "MISTAKES":
        return [variant for spec in all_specs() for variant in spec.mistakes]
    if name == "CORRECT":
        return [variant for spec in all_specs() for variant in spec.correct]
    raise AttributeError(name)
