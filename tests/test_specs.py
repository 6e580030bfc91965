"""The specs are the single description of every graded function, and the partial-credit rule holds for each mistake.

Completeness: every function a notebook grades has a spec, with a public check and its test case, hidden cases
and at least one catalogued mistake. The rule (README, "How a function is scored"): each hidden case counts
equally, and a catalogued mistake fails every hidden case that can show it: all of them, or, for a mistake
confined to one branch, every case of that branch. The mistakes are graded here in this process on the
hidden cases (the reference's own code, patched), so the test is quick; the catalogue report checks the same
shares through nbgrader and the sandbox (tests/test_grading_catalogue.py).
"""

import nbformat
import numpy as np
import pytest
from conftest import REPO

from dnn_grader import specs
from dnn_grader.engine import references
from dnn_grader.engine.grading import GradingContext, call_on_copies, hidden_arguments, hidden_cases, judge_function
from dnn_grader.hooks.preprocessor import tested_function as function_of_test_cell

# Each course draws its own hidden cases: the rule must hold whatever the secret (a degenerate draw, such as labels
# of one class only, would hide a mistake for some courses and not for others).
TEST_SECRETS = [b"a secret for the tests only, not the course's", b"another one", b"a third", b"and a fourth"]


def graded_functions(assignment):
    notebook = nbformat.read(references.notebook_path(REPO, assignment), as_version=4)
    return [function for function in map(function_of_test_cell, notebook.cells) if function is not None]


@pytest.mark.parametrize("assignment", specs.known_assignments())
def test_every_graded_function_has_a_spec_in_grading_order(assignment):
    graded = graded_functions(assignment)
    assert graded, f"no graded test cells found in source/{assignment}"
    assert [spec.name for spec in specs.load(assignment)] == graded


@pytest.mark.parametrize("spec", specs.all_specs(), ids=lambda spec: spec.name)
def test_every_spec_has_a_public_check_hidden_cases_and_mistakes(spec):
    assert callable(spec.public_check) and isinstance(spec.public_case(), tuple)
    assert len(spec.cases(np.random.default_rng(0))) >= 2
    assert spec.mistakes, f"{spec.name} has no catalogued mistake"
    assert len({variant.name for variant in spec.mistakes + spec.correct}) == len(spec.mistakes + spec.correct)
    for helper in spec.deps:
        assert helper in [other.name for other in specs.load(spec.assignment)], helper


def test_a_function_without_a_spec_fails_the_completeness_test(monkeypatch):
    """The completeness test can fail: a spec dropped from the list is noticed."""
    trimmed = specs.load("step_by_step")[:-1]
    monkeypatch.setattr(specs, "load", lambda assignment: trimmed)
    with pytest.raises(AssertionError):
        test_every_graded_function_has_a_spec_in_grading_order("step_by_step")


def cases_passed(variant, course_secret=TEST_SECRETS[0]):
    """How many of its function's hidden cases the mistaken reference passes, and how many there are."""
    root = str(REPO)
    spec = specs.spec_of(variant.assignment, variant.function)
    reference = references.reference_namespace(root, variant.assignment)
    mistaken = references.reference_namespace(root, variant.assignment, (variant.function, variant.patches))
    cases = hidden_cases(spec, course_secret)
    arguments = hidden_arguments(cases, reference)
    results = [call_on_copies(mistaken[spec.name], args, kwargs, spec.must_not_mutate) for args, kwargs in arguments]
    report = judge_function(spec, GradingContext(root, variant.assignment, reference), cases, arguments, results)
    return report.passed, report.total


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # gradient ascent overflows, as it should
@pytest.mark.parametrize("mistake", [variant.case_id for variant in specs.MISTAKES])
def test_every_mistake_costs_what_the_partial_credit_rule_says(mistake):
    variant = next(variant for variant in specs.MISTAKES if variant.case_id == mistake)
    for course_secret in TEST_SECRETS:
        passed, total = cases_passed(variant, course_secret)
        assert passed / total == specs.credit_by_the_rule(variant), f"{mistake}: passed {passed} of {total} cases"


def test_the_rule_keeps_the_right_branch_of_a_one_branch_mistake():
    """A mistake confined to 'sigmoid' keeps the points of the 'relu' cases: the rule is not all-or-nothing."""
    variant = next(v for v in specs.MISTAKES if v.case_id == "linear_activation_forward:relu_everywhere")
    assert specs.credit_by_the_rule(variant) == 0.5
    assert cases_passed(variant) == (2, 4)


def test_the_grader_judges_with_the_public_checks_comparison(monkeypatch):
    """One comparison: the grader's verdict and words are public_tests.difference's, tolerance included."""
    import public_tests
    from dnn_grader.engine.grading import compare_outputs

    spec = specs.spec_of("step_by_step", "linear_backward")
    expected = (np.ones((2, 3)), np.full((3, 4), 0.5), np.zeros((3, 1)))
    nearly = (expected[0], expected[1] * (1 + 1e-7), expected[2])
    assert compare_outputs(spec, expected, nearly) is None  # within the students' tolerance
    monkeypatch.setattr(public_tests, "RELATIVE_TOLERANCE", 1e-9)
    assert compare_outputs(spec, expected, nearly) == public_tests.difference("dW", nearly[1], expected[1])
    assert compare_outputs(spec, expected, nearly).startswith("dW has wrong values")


@pytest.mark.parametrize("function", ["compute_cost", "L_model_backward"])
def test_hidden_labels_always_hold_both_classes(function):
    """Labels of one class only would hide a missing (1 - Y) term: no secret may draw them (checked for 200)."""
    spec = specs.spec_of("step_by_step", function)
    reference = references.reference_namespace(str(REPO), "step_by_step")
    for number in range(200):
        for args, _ in hidden_arguments(hidden_cases(spec, f"secret {number}".encode()), reference):
            Y = args[1]
            assert set(np.unique(Y)) == {0.0, 1.0}, (number, Y)
