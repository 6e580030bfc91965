"""Hidden checks inside a notebook's own kernel, for instructors.

The hidden-test cells of the source notebooks call run_hidden_checks(), so that
running an instructor notebook top to bottom exercises the same hidden cases as the
autograder, judged by the same code (grading.judge_function). Student submissions
are never graded this way: autograding runs their code in the sandbox (see
dnn_grader/hooks/preprocessor.py); here the instructor's own code is called directly.
"""

from __future__ import annotations

from pathlib import Path

from dnn_grader import specs
from dnn_grader.course import CONFIG_FILE, course_root_above
from dnn_grader.engine import references, secret
from dnn_grader.engine.grading import (
    GradingContext,
    call_on_copies,
    hidden_arguments,
    hidden_cases,
    judge_function,
)


class HiddenCheckFailed(Exception):
    """A hidden check failed; the message says which and why."""

    def _render_traceback_(self):
        return str(self).splitlines()


def run_hidden_checks(assignment: str, function: str, namespace: dict) -> None:
    """Check namespace[function] with its spec's hidden cases; raise HiddenCheckFailed on failure."""
    here = Path.cwd().resolve()
    found = course_root_above(here)
    if found is None:
        raise FileNotFoundError(f"no {CONFIG_FILE} at or above {here}")
    root = str(found)
    reference = references.reference_namespace(root, assignment)
    spec = specs.spec_of(assignment, function, root)
    cases = hidden_cases(spec, secret.course_secret(root), reference=reference)
    arguments = hidden_arguments(cases, reference)
    results = [call_on_copies(namespace[function], args, kwargs, spec.must_not_mutate) for args, kwargs in arguments]
    report = judge_function(spec, GradingContext(root, assignment, reference), cases, arguments, results)
    if report.passed < report.total:
        raise HiddenCheckFailed(report.text())
    print(report.text())
