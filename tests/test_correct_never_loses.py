"""Correct code never loses a point, whatever the draw of the hidden cases (that no draw hides a catalogued mistake:
tests/test_every_draw_shows_every_mistake.py).

The reference and every known correct variant of every graded function are judged in-process, as the grader
judges them (grading.judge_function on results described as the sandbox describes them), on the hidden cases
of DRAWS different submissions. The application's models train for up to 3,000 iterations per case: their
cases with 301 and 150 iterations are judged under DRAWS draws too, the case with the default number of
iterations (3,000) under FULL_MODEL_DRAWS, to keep `make test` within minutes.
"""

import itertools
import warnings

import numpy as np
import pytest
from conftest import REPO

from dnn_grader import course, specs
from dnn_grader.engine import gradients, references
from dnn_grader.engine.grading import GradingContext, call_on_copies, hidden_arguments, hidden_cases, judge_function

DRAWS = 500
FULL_MODEL_DRAWS = 50
SECRET = b"a course secret for the test of many draws".ljust(64, b".")
MODELS = ("two_layer_model", "L_layer_model")
STEP_BY_STEP = course.assignment("step_by_step", REPO).spec  # its helpers draw layer sizes, networks, labels


def judged(spec, function, cases, reference):
    """The report of `function` on `cases`, judged as the grader judges a student's results."""
    arguments = hidden_arguments(cases, reference)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [call_on_copies(function, args, kwargs, spec.must_not_mutate) for args, kwargs in arguments]
        context = GradingContext(str(REPO), spec.assignment, reference)
        return judge_function(spec, context, cases, arguments, results)


def functions_of(spec):
    """The reference and each correct variant of the spec: name -> function."""
    reference = references.reference_namespace(str(REPO), spec.assignment)
    found = {"reference": reference[spec.name]}
    for variant in spec.correct:
        found[variant.name] = references.reference_namespace(str(REPO), spec.assignment,
                                                             (spec.name, variant.patches))[spec.name]
    return reference, found


@pytest.mark.parametrize("spec", specs.all_specs(), ids=lambda spec: f"{spec.assignment}:{spec.name}")
def test_the_reference_and_every_correct_variant_get_full_marks_under_many_draws(spec):
    reference, functions = functions_of(spec)
    lost = []
    for draw in range(DRAWS):
        cases = hidden_cases(spec, SECRET, f"student{draw}/submission", reference)
        if spec.name in MODELS and draw >= FULL_MODEL_DRAWS:
            cases = [case for case in cases if "num_iterations" in case.kwargs]
        for name, function in functions.items():
            report = judged(spec, function, cases, reference)
            if report.passed < report.total:
                lost.append((draw, name, report.text()))
    assert not lost, lost[:3]


def test_the_old_fixed_bound_failed_correct_code_where_the_new_one_does_not():
    """What this file guards against: the old check (1e-7 relative per key, h = 1e-6, no error estimate) fails
    the reference's own gradients of a 3-layer network on some draws; today's check passes every one of them."""
    reference = references.reference_namespace(str(REPO), "step_by_step")
    old_failures, new_failures = 0, []
    for draw in range(DRAWS):
        rng = np.random.default_rng(draw)
        dims, m = (5, 4, 3, 1), 4
        X, params, Y = rng.standard_normal((dims[0], m)), STEP_BY_STEP._network(rng, dims), STEP_BY_STEP._labels(rng, m)
        AL, caches = reference["L_model_forward"](X, params)
        grads = reference["L_model_backward"](AL, Y, caches)
        theta = {key: array.copy() for key, array in params.items()}
        cost = _cost_of(reference, X, theta, Y)
        for key in sorted(theta):
            old = gradients.centered_differences(cost, theta[key], h=1e-6).value
            old_failures += gradients.relative_error(grads[f"d{key}"], old) >= 1e-7
            problem = gradients.gradient_problem(key, grads[f"d{key}"], gradients.centered_differences(cost, theta[key]))
            if problem:
                new_failures.append((draw, problem))
    assert old_failures > 0
    assert new_failures == []


def _cost_of(reference, X, theta, Y):
    """J(theta) with the reference's forward pass and cost; theta is read at each call (perturbed in place)."""
    return lambda: float(reference["compute_cost"](reference["L_model_forward"](X, theta)[0], Y))


def test_sizes_are_drawn_with_no_square_neighbours():
    rng = np.random.default_rng(0)
    for _ in range(200):
        sizes = STEP_BY_STEP._sizes(rng, 3)
        assert all(a != b for a, b in itertools.pairwise(sizes))
        assert min(sizes[:-1]) >= 2 and 1 <= sizes[-1] <= 3
