"""The public tests pass for the reference and for every correct variant of the specs, and catch every catalogued
mistake with the same words the grader uses.

The reference is the solution code of the instructor notebooks in source/ (references.reference_namespace); the
correct variants and mistakes are the specs' (dnn_grader/specs), each a small textual change to it.
"""

import importlib.util
import re
import sys

import numpy as np
import pytest
from conftest import REPO

import public_tests
import testCases
from dnn_grader import course, specs
from dnn_grader.engine import references
from public_tests import PublicTestFailure

SPECS = {spec.name: spec for spec in specs.all_specs()}
ALL_FUNCTIONS = list(SPECS)
MISTAKES = {variant.case_id: variant for variant in specs.MISTAKES}
CORRECT = {variant.case_id: variant for variant in specs.CORRECT}


def checks_of(function):
    """The checks.py module of `function`'s assignment (its public checks and HINTS)."""
    return course.assignment(SPECS[function].assignment).checks


def namespace(function, cell=None, patches=()):
    """The reference namespace of `function`'s assignment, with one cell (default: the function's) patched."""
    patched = (cell or function, tuple(patches)) if patches else None
    return references.reference_namespace(str(REPO), SPECS[function].assignment, patched)


def run_public_test(function, cell=None, patches=()):
    """Run the public test of `function` on the (patched) reference."""
    SPECS[function].public_check(namespace(function, cell, patches)[function])


def failure_message(function, patches, cell=None):
    """The public check's message; patches: [(old, new), ...] of `cell` (default: the function's), or {cell: [...]}."""
    if isinstance(patches, dict):
        ((cell, patches),) = patches.items()
    with pytest.raises(PublicTestFailure) as failure:
        run_public_test(function, cell, patches)
    return str(failure.value)


# ---------------------------------------------------------------- the reference passes

@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_the_reference_passes(function, capsys):
    run_public_test(function)
    assert re.fullmatch(rf"{function}: (all \d+ public checks|the public check) passed\.\n", capsys.readouterr().out)


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_the_stored_expected_values_are_the_reference_outputs(function, monkeypatch, capsys):
    # The literals in public_tests.py have 10 significant digits; with a tolerance far tighter than the
    # one students get, the reference still passes only if the literals are its outputs.
    monkeypatch.setattr(public_tests, "RELATIVE_TOLERANCE", 1e-9)
    monkeypatch.setattr(public_tests, "ABSOLUTE_TOLERANCE", 1e-12)
    run_public_test(function)
    assert "passed" in capsys.readouterr().out


# ---------------------------------------------------------------- correct code written another way passes

@pytest.mark.parametrize("variant", CORRECT)
def test_correct_code_written_another_way_passes(variant, capsys):
    variant = CORRECT[variant]
    run_public_test(variant.function, patches=variant.patches)
    assert "passed" in capsys.readouterr().out


# ---------------------------------------------------------------- classic mistakes are recognised

# A mistake whose public result is another mistake's: the hint given is that one's (which fits what was returned).
LOOK_ALIKES = {
    "initialize_parameters:transposed_W": "seed_removed",  # randn(n_x, n_h).T is as random as unseeded numbers
    "linear_activation_forward:swapped": "relu_everywhere",  # with activation='sigmoid' both give relu(Z)
    "linear_activation_backward:swapped": "relu_everywhere",  # with activation='sigmoid' both use relu_backward
}
# A mistake the public check catches without naming it, and why.
UNNAMED = {
    "initialize_parameters_deep:missing_layer": "the message names the missing keys W2 and b2",
    "linear_forward:transposed_product": "np.dot raises: the hint is the matrix-product advice",
    "L_model_backward:wrong_cache_index": "the public case raises IndexError at the failing line",
    "L_model_backward:dA_keys_shifted": "the message says the keys are shifted by one layer",
    "L_model_backward:sigmoid_hidden": "its dA1 depends on every cache: no fixed value to recognise",
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # gradient ascent overflows, as it should
@pytest.mark.parametrize("mistake", MISTAKES)
def test_every_catalogued_mistake_fails_its_public_check_with_the_graders_words(mistake):
    variant = MISTAKES[mistake]
    message = failure_message(variant.function, variant.patches)
    assert message.startswith(variant.function)
    hints = re.findall(r"\n  Hint: (.*)", message)
    own_words = checks_of(variant.function).HINTS[variant.function]
    if mistake in UNNAMED:
        assert not set(hints) & set(own_words.values()), message
    else:
        assert hints == [own_words[LOOK_ALIKES.get(mistake, variant.name)]], message


def test_every_hint_belongs_to_a_catalogued_mistake_and_back():
    for spec in SPECS.values():
        assert set(checks_of(spec.name).HINTS[spec.name]) == {variant.name for variant in spec.mistakes}, spec.name
    for assignment in specs.known_assignments():
        found = course.assignment(assignment)
        assert set(found.checks.HINTS) == {spec.name for spec in specs.load(assignment)}, assignment
    assert set(LOOK_ALIKES) | set(UNNAMED) <= set(MISTAKES)


def test_each_handout_holds_only_its_own_checks():
    """checks.py of an assignment defines a public check for each of its graded functions and none of another's;
    the shared public_tests.py defines none."""
    for assignment in specs.known_assignments():
        checks = course.assignment(assignment).checks
        defined = {name[:-len("_test")] for name in vars(checks) if name.endswith("_test")}
        assert defined == {spec.name for spec in specs.load(assignment)}, assignment
    assert not [name for name in vars(public_tests) if name.endswith("_test") or name == "HINTS"]


# What differs, in the words of the one comparison (public_tests.difference, which the grader uses too).
FIRST_LINES = {
    "initialize_parameters:flat_bias": "b1 has shape (2,), expected (2, 1).",
    "initialize_parameters_deep:transposed_W": "W1 has shape (5, 4), expected (4, 5).",
    "initialize_parameters_deep:missing_layer": ("parameters should have the keys ['W1', 'b1', 'W2', 'b2']; "
                                                 "missing: ['W2', 'b2'], not expected: []."),
    "linear_forward:no_bias": "Z has wrong values: expected -1.6330799, got -2.2158951 at index (1, 0).",
    "linear_forward:cache_order": "cache[0] has shape (2, 3), expected (3, 4).",
    "linear_activation_forward:not_unpacked": "A (activation='sigmoid') should be a numpy array, got tuple.",
    "L_model_forward:missing_last_cache": "caches has 2 items, expected 3.",
    "L_model_forward:missing_relu_caches": "caches has 1 item, expected 3.",
    "compute_cost:not_squeezed": "cost should be a number (shape ()), got an array of shape (1, 1): use np.squeeze().",
    "compute_cost:no_mean": "cost has wrong values: expected 0.45328921, got 2.266446.",
    "linear_backward:db_wrong_axis": "db has shape (1, 4), expected (3, 1).",
    "L_model_backward:dA_keys_shifted": ("grads's keys are shifted by one layer: it has ['dA1', 'dA2', 'dA3'] where "
                                         "['dA0', 'dA1', 'dA2'] are expected."),
    "two_layer_model:fixed_iterations": "costs has 25 items, expected 3.",
}


@pytest.mark.parametrize("mistake", FIRST_LINES)
def test_the_first_line_says_what_differs(mistake):
    variant = MISTAKES[mistake]
    message = failure_message(variant.function, variant.patches)
    assert message.splitlines()[0] == f"{variant.function}: {FIRST_LINES[mistake]}"


def test_wrong_values_show_both_arrays_under_the_sentence():
    message = failure_message("linear_forward", MISTAKES["linear_forward:no_bias"].patches).splitlines()
    assert message[1].startswith("  expected: [[") and message[3].startswith("  got     : [[")
    assert message[-1] == "  Hint: " + MISTAKES["linear_forward:no_bias"].hint


# A mistake in a helper shows in the functions that call it: the public check of the caller points at the helper.
HELPER_MISTAKES = {
    ("linear_activation_backward", "linear_backward:no_mean_dW"): "divide by m in linear_backward",
    ("L_model_backward", "linear_backward:no_mean_db"): "divide by m in linear_backward",
    ("L_model_forward", "linear_forward:transposed_Z"): "(in linear_forward",
}


@pytest.mark.parametrize("caller, helper_mistake", HELPER_MISTAKES)
def test_a_mistake_in_a_helper_is_pointed_at_from_its_caller(caller, helper_mistake):
    helper = MISTAKES[helper_mistake]
    message = failure_message(caller, helper.patches, cell=helper.function)
    assert HELPER_MISTAKES[caller, helper_mistake] in message, message


# ---------------------------------------------------------------- other failures

@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_an_unwritten_function_says_so(function):
    """The release replaces each solution region by `raise NotImplementedError()`."""
    source = references.solution_sources(str(REPO), SPECS[function].assignment)[function]
    stub, count = re.subn(r"^( *)### BEGIN SOLUTION\n.*?### END SOLUTION",
                          r"\1# YOUR CODE HERE\n\1raise NotImplementedError()", source, flags=re.DOTALL | re.MULTILINE)
    assert count >= 1
    names = dict(namespace(function))
    exec(compile(stub, f"<stub {function}>", "exec"), names)
    with pytest.raises(PublicTestFailure) as failure:
        SPECS[function].public_check(names[function])
    assert str(failure.value) == (f"{function} is not written yet: "
                                  "replace `raise NotImplementedError()` with your code.")


def test_an_error_in_the_function_gives_one_line_with_the_failing_line():
    message = failure_message("compute_cost", {"compute_cost": [("np.log(AL)", "np.logg(AL)")]})
    assert message.startswith("compute_cost raised AttributeError: module 'numpy' has no attribute 'logg'")
    assert message.endswith("(in compute_cost, at `cost = -1 / m * np.sum(Y * np.logg(AL) + (1 - Y) * np.log(1 - AL))`)")
    assert "\n" not in message


SHAPE_ERRORS = {
    "np.dot(A, W) in linear_forward": ("linear_forward", {"linear_forward": [("np.dot(W, A)", "np.dot(A, W)")]}, [
        "linear_forward raised ValueError: shapes (3,4) and (2,3) not aligned",
        "(in linear_forward, at `Z = np.dot(A, W) + b`)\n  Hint: np.dot met the shapes (3, 4) and (2, 3)",
        "W has shape (2, 3) and A has shape (3, 4). Z = W A + b, so W comes first: np.dot(W, A)",
        "gives Z of shape (2, 4)"]),
    "A @ W in linear_forward": ("linear_forward", {"linear_forward": [("np.dot(W, A)", "A @ W")]}, [
        "Hint: the matrix product met two shapes that do not fit together", "so W comes first: np.dot(W, A)"]),
    "np.dot(A, W) in linear_forward, seen from L_model_forward": (
        "L_model_forward", {"linear_forward": [("np.dot(W, A)", "np.dot(A, W)")]}, [
            "(in linear_forward, at `Z = np.dot(A, W) + b`)\n  Hint: the product has the wrong shape for adding b.",
            "so W comes first: np.dot(W, A)"]),
    "dZ times A_prev untransposed in linear_backward": (
        "linear_backward", {"linear_backward": [("np.dot(dZ, A_prev.T)", "np.dot(dZ, A_prev)")]}, [
            "Hint: np.dot met the shapes (3, 4) and (5, 4), which do not fit together",
            ("dZ has shape (3, 4), A_prev (5, 4) and W (3, 5). dW = np.dot(dZ, A_prev.T) / m multiplies (3, 4) by "
             "(4, 5) and gives (3, 5), the shape of W")]),
    "W untransposed in linear_backward, seen from L_model_backward": (
        "L_model_backward", {"linear_backward": [("np.dot(W.T, dZ)", "np.dot(W, dZ)")]}, [
            "(in linear_backward, at `dA_prev = np.dot(W, dZ)`)\n  Hint: np.dot met the shapes (1, 2) and (1, 5)",
            "dA_prev = np.dot(W.T, dZ) multiplies (2, 1) by (1, 5) and gives (2, 5), the shape of A_prev."]),
}


@pytest.mark.parametrize("case", SHAPE_ERRORS)
def test_a_shape_error_in_a_matrix_product_becomes_advice(case):
    function, changes, expected_parts = SHAPE_ERRORS[case]
    message = failure_message(function, changes)
    for part in expected_parts:
        assert part in message, f"{part!r} not in:\n{message}"
    assert message.count("\n") == 1  # the error and where, then one hint line


def test_a_shape_error_elsewhere_gets_no_product_advice():
    message = failure_message("compute_cost", {"compute_cost": [("Y * np.log(AL)", "np.dot(Y, np.log(AL))")]})
    assert "Hint" not in message and "(in compute_cost" in message


def test_an_error_in_a_helper_points_at_the_helper():
    message = failure_message("L_model_forward", {"linear_forward": [("np.dot(W, A)", "np.dot(A, W)")]})
    assert message.startswith("L_model_forward raised ValueError")
    assert "(in linear_forward, at `Z = np.dot(A, W) + b`)" in message


def test_a_wrong_number_of_returned_values_is_named():
    message = failure_message("linear_forward", {"linear_forward": [("return Z, cache", "return Z")]})
    assert message == "linear_forward: should return 2 values (Z, cache), got one ndarray."


def test_a_missing_return_is_named():
    message = failure_message("compute_cost", {"compute_cost": [("return cost", "pass")]})
    assert message.startswith("compute_cost: cost should be a number, got None.")


def test_a_list_instead_of_an_array_is_named():
    message = failure_message("linear_backward", {"linear_backward": [
        ("return dA_prev, dW, db", "return dA_prev, dW.tolist(), db")]})
    assert message == "linear_backward: dW should be a numpy array, got list."


def test_public_test_failure_shows_only_its_message_in_jupyter():
    assert issubclass(PublicTestFailure, Exception)
    assert not issubclass(PublicTestFailure, AssertionError)
    failure = PublicTestFailure("dW has wrong values.\n  Hint: did you divide by m?")
    assert failure._render_traceback_() == ["dW has wrong values.", "  Hint: did you divide by m?"]


def test_the_test_cases_leave_the_global_random_state_alone():
    np.random.seed(0)
    first = np.random.rand()
    np.random.seed(0)
    for function in ALL_FUNCTIONS:
        getattr(checks_of(function), function + "_test_case")()
    assert np.random.rand() == first


def test_the_test_cases_have_telling_shapes():
    A, W, _ = testCases.linear_forward_test_case()
    assert W.shape[0] != W.shape[1] and A.shape[1] > 1
    dZ, (A_prev, W, _) = testCases.linear_backward_test_case()
    assert len({dZ.shape[0], A_prev.shape[0], dZ.shape[1]}) == 3
    _, parameters = testCases.L_model_forward_test_case()
    assert len(parameters) // 2 >= 3
    AL, _, caches = testCases.L_model_backward_test_case()
    assert len(caches) >= 3
    last_Z = caches[-1][1]
    # AL is what L_model_forward gives for these caches, so that dZ = AL - Y (exact here) passes too
    assert np.allclose(AL, 1 / (1 + np.exp(-last_Z))), "AL must be the sigmoid of the last layer's Z"


def test_a_mistakes_words_are_written_once():
    """Each catalogued mistake's words are in its assignment's checks.HINTS or in its spec (hint=...), not both."""
    for assignment in course.assignments():
        path = assignment.folder / course.INSTRUCTOR_FOLDER / course.SPEC_FILE
        loader = importlib.util.spec_from_file_location(f"fresh_spec_of_{assignment.name}", path)
        fresh = importlib.util.module_from_spec(loader)  # as written, before specs.load adds the checks' words
        sys.modules[loader.name] = fresh
        try:
            loader.loader.exec_module(fresh)
        finally:
            del sys.modules[loader.name]
        hints = getattr(assignment.checks, "HINTS", {})
        for spec in fresh.SPECS:
            for variant in spec.mistakes:
                assert bool(variant.words) != (variant.name in hints.get(spec.name, {})), variant.case_id
