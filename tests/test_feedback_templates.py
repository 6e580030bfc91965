"""Every sentence of feedback states only what was observed.

For each template of the grader's feedback (dnn_grader/engine/grading.py, and public_tests.difference whose words
the grader uses), a test makes it fire on code that really does the named thing, and checks that correct code
that looks like it never gets it. Grading here is in-process through grading.judge_function, with CaseOutcomes
made as the sandbox makes them (grading.call_on_copies: one call on copies of the arguments; for
update_parameters, its argument arrays as the call left them). The update_parameters contract is also graded for
real in the sandbox (grading.grade_functions).
"""

import numpy as np
import pytest
from conftest import REPO

from dnn_grader import specs
from dnn_grader.engine import grading, references, secret
from dnn_grader.engine.grading import GradingContext, call_on_copies, hidden_arguments, hidden_cases, judge_function
from dnn_grader.engine.sandbox import CaseOutcome, SandboxBroken, TaskOutcome, _record_case, bwrap_available
from dnn_grader.inside import harness, wire

S = "step_by_step"
SECRET = b"a secret for the feedback template tests only"
CHANGED = "changed the arrays it was given"
MISSING = "no function named linear_forward was defined: keep the function's name and its cell."

# update_parameters written as students write it (each a whole solution cell)
SEED_REBINDING = '''
def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters
'''
IN_PLACE_ON_CALLER = '''
def update_parameters(params, grads, learning_rate):
    parameters = params
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]
    return parameters
'''
DEEPCOPY_IN_PLACE = '''
import copy


def update_parameters(params, grads, learning_rate):
    parameters = copy.deepcopy(params)
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]
    return parameters
'''
COPIES_BY_COMPREHENSION = '''
def update_parameters(params, grads, learning_rate):
    parameters = {key: value.copy() for key, value in params.items()}
    for key in parameters:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters
'''
NEW_DICT = '''
def update_parameters(params, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}
'''
REBINDS_GRADS_TOO = '''
def update_parameters(params, grads, learning_rate):
    for key in list(grads):
        grads[key] = learning_rate * grads[key]  # a new array in the caller's dict: no array changes
    return {key: value - grads["d" + key] for key, value in params.items()}
'''
SCALES_GRADS_IN_PLACE = '''
def update_parameters(params, grads, learning_rate):
    for key in grads:
        grads[key] *= learning_rate
    return {key: value - grads["d" + key] for key, value in params.items()}
'''
RESHAPES_A_BIAS = '''
def update_parameters(params, grads, learning_rate):
    new = {key: value - learning_rate * grads["d" + key] for key, value in params.items()}
    params["b1"].shape = (-1,)
    return new
'''
PLUS_BY_REBINDING = SEED_REBINDING.replace("] - learning_rate", "] + learning_rate")
CORRECT_UPDATES = {"the course's solution": None, "seed rebinding, no copy": SEED_REBINDING, "deepcopy then in place": DEEPCOPY_IN_PLACE,
                   "copies by comprehension then in place": COPIES_BY_COMPREHENSION, "a new dict": NEW_DICT,
                   "rebinds the entries of grads": REBINDS_GRADS_TOO}


def reference(patched=None):
    return references.reference_namespace(str(REPO), S, patched)


def define(source, name):
    """The function `name` of a student's cell, run as the sandbox runs it (harness.run_cell) beside the course's
    helpers; the cell's error report too."""
    namespace = {key: value for key, value in reference().items() if not key.startswith("__")}
    namespace["__name__"] = "__main__"
    report = harness.run_cell({"id": name, "source": source}, namespace, 20)
    return namespace.get(name), report["error"]


def variant(function, *patches):
    """The course's function with its solution cell patched (old, new), as the specs write variants."""
    return reference((function, patches))[function]


def judge(function, student=None, outcomes=None, context_reference=None, cell_problem=None):
    """The FunctionReport of `student` (or of ready-made outcomes) on the function's hidden cases."""
    spec = specs.spec_of(S, function)
    course = reference()
    cases = hidden_cases(spec, SECRET)
    arguments = hidden_arguments(cases, course)
    if outcomes is None:
        outcomes = [call_on_copies(student, args, kwargs, spec.must_not_mutate) for args, kwargs in arguments]
    context = GradingContext(str(REPO), S, context_reference or course, {})
    return judge_function(spec, context, cases, arguments, outcomes, None, cell_problem)


def feedback(report):
    return "\n".join(report.problems)


def full_marks(report):
    return report.total > 0 and report.passed == report.total and report.problems == []


# ---------------------------------------------------------------- correct code never gets a sentence

@pytest.mark.parametrize("case_id", [v.case_id for v in specs.CORRECT if v.assignment == S])
def test_every_correct_variant_gets_full_marks_and_no_sentence(case_id):
    correct = next(v for v in specs.CORRECT if v.case_id == case_id)
    report = judge(correct.function, variant(correct.function, *correct.patches))
    assert full_marks(report), report.text()


def test_the_course_contract_for_update_parameters_is_what_the_specs_accept():
    names = {v.name for v in specs.spec_of(S, "update_parameters").correct}
    assert {"seed_rebinding_no_copy", "deepcopy_rebinding", "deepcopy_in_place", "returns_new_dict"} <= names


# ---------------------------------------------------------------- "changed the arrays it was given"

@pytest.mark.parametrize("name", CORRECT_UPDATES)
def test_update_parameters_that_leaves_the_arrays_alone_gets_full_marks(name):
    if CORRECT_UPDATES[name] is None:
        function = reference()["update_parameters"]
    else:
        function, error = define(CORRECT_UPDATES[name], "update_parameters")
        assert error is None
    report = judge("update_parameters", function)
    assert full_marks(report), report.text()


def test_update_parameters_that_writes_into_the_callers_arrays_is_told_so_with_the_array_and_the_values():
    function, _ = define(IN_PLACE_ON_CALLER, "update_parameters")
    report = judge("update_parameters", function)
    assert (report.passed, report.total) == (0, 2)
    sentence = report.problems[0]
    assert f"update_parameters {CHANGED}: after the call, params[\"W1\"] no longer holds the values it was given " \
           "(at index (0, 0) it held " in sentence
    assert sentence.endswith("It must leave the caller's arrays unchanged: work on copies.")
    assert report.mistake == "update_parameters:mutates_caller"
    assert report.problems[-1].startswith(f"Likely cause: update_parameters {CHANGED}")


def test_the_changed_array_is_named_wherever_it_is_and_a_changed_shape_is_said():
    grads_scaled, _ = define(SCALES_GRADS_IN_PLACE, "update_parameters")
    report = judge("update_parameters", grads_scaled)
    assert report.passed == 0 and 'after the call, grads["dW1"] no longer holds' in report.problems[0]
    reshaped, _ = define(RESHAPES_A_BIAS, "update_parameters")
    report = judge("update_parameters", reshaped)
    assert report.passed == 0 and 'params["b1"] no longer holds the values it was given (its shape was' in \
        report.problems[0]
    assert report.mistake is None  # no catalogued mistake explains it: no "Likely cause"


def test_a_catalogued_mistake_made_without_touching_the_arrays_is_recognised_and_not_called_a_change():
    function, _ = define(PLUS_BY_REBINDING, "update_parameters")
    report = judge("update_parameters", function)
    assert report.passed == 0 and report.mistake == "update_parameters:plus"
    assert CHANGED not in feedback(report)
    assert "has wrong values" in report.problems[0]


def test_the_in_kernel_call_describes_the_arguments_after_the_call_like_the_sandbox():
    spec = specs.spec_of(S, "update_parameters")
    (args, kwargs), _ = hidden_arguments(hidden_cases(spec, SECRET), reference())
    seed, _ = define(SEED_REBINDING, "update_parameters")
    mutating, _ = define(IN_PLACE_ON_CALLER, "update_parameters")
    given = [array for _, array in wire.argument_arrays(args, kwargs)]
    untouched = call_on_copies(seed, args, kwargs, True)
    assert len(untouched.after) == len(given) and all(np.array_equal(a, b) for a, b in zip(untouched.after, given))
    changed = call_on_copies(mutating, args, kwargs, True)
    assert not np.array_equal(changed.after[0], given[0])
    assert np.array_equal(args[0]["W1"], given[0])  # the grader's own arguments are untouched
    assert call_on_copies(seed, args, kwargs, False).after is None


def test_a_missing_or_malformed_record_of_the_arguments_is_a_broken_result_not_a_change():
    outcome = TaskOutcome(cases=[CaseOutcome(), CaseOutcome(), CaseOutcome()])
    value = wire.encode({"W1": np.ones((2, 2))})
    with pytest.raises(SandboxBroken) as missing:
        _record_case(outcome, {"op": "case", "index": 0, "value": value}, [2, 2, 2])
    with pytest.raises(SandboxBroken) as short:
        _record_case(outcome, {"op": "case", "index": 1, "value": value, "after": wire.encode([np.ones(2)])},
                     [2, 2, 2])
    with pytest.raises(SandboxBroken) as not_arrays:
        _record_case(outcome, {"op": "case", "index": 2, "value": value, "after": wire.encode([1.0, 2.0])},
                     [2, 2, 2])
    for broken in (missing, short, not_arrays):
        assert "after the call" in str(broken.value) and "changed" not in str(broken.value)
    _record_case(outcome, {"op": "case", "index": 0, "value": value,
                           "after": wire.encode([np.ones(2), np.zeros(1)])}, [2, 2, 2])
    assert outcome.cases[0].returned and len(outcome.cases[0].after) == 2


# ---------------------------------------------------------------- public_tests.difference's words, in the grader

def test_wrong_shape():
    report = judge("linear_forward", variant("linear_forward", ("Z = np.dot(W, A) + b", "Z = (np.dot(W, A) + b).T")))
    assert report.passed == 0 and "Z has shape (" in report.problems[0] and "), expected (" in report.problems[0]
    product_the_other_way, _ = define("def linear_forward(A, W, b):\n    return (A.T @ W.T).T + b, (A, W, b)",
                                      "linear_forward")
    assert full_marks(judge("linear_forward", product_the_other_way))


def test_wrong_values_and_the_likely_cause():
    report = judge("linear_forward", variant("linear_forward", ("Z = np.dot(W, A) + b", "Z = np.dot(W, A) - b")))
    assert report.passed == 0 and "Z has wrong values: expected " in report.problems[0]
    assert " at index (" in report.problems[0]
    assert report.problems[-1] == "Likely cause: the bias is added, not subtracted: Z = np.dot(W, A) + b."
    einsum, _ = define('def linear_forward(A, W, b):\n    return np.einsum("ij,jk->ik", W, A) + b, (A, W, b)',
                       "linear_forward")
    assert full_marks(judge("linear_forward", einsum))  # other rounding, within the tolerance


def test_wrong_type():
    report = judge("linear_forward", variant("linear_forward", ("return Z, cache", "return Z.tolist(), cache")))
    assert report.passed == 0 and "Z should be a numpy array, got list." in report.problems[0]
    report = judge("compute_cost", variant("compute_cost", ("cost = np.squeeze(cost)  # turns [[17]] into 17",
                                                            "cost = np.reshape(cost, (1, 1))")))
    assert "cost should be a number (shape ()), got an array of shape (1, 1): use np.squeeze()." in report.problems[0]
    for written in ("float(np.squeeze(cost))", "np.squeeze(cost).item()", "np.float64(cost)"):
        same = variant("compute_cost", ("cost = np.squeeze(cost)  # turns [[17]] into 17", f"cost = {written}"))
        assert full_marks(judge("compute_cost", same)), written


def test_a_list_where_the_course_returns_a_tuple_is_accepted_a_single_value_is_not():
    as_list = variant("linear_forward", ("return Z, cache", "return [Z, list(cache)]"))
    assert full_marks(judge("linear_forward", as_list))
    report = judge("linear_forward", variant("linear_forward", ("return Z, cache", "return Z")))
    assert report.passed == 0 and report.problems[0].endswith("linear_forward should return 2 values (Z, cache).")
    report = judge("linear_forward", variant("linear_forward", ("return Z, cache", "return Z, cache, A")))
    assert report.problems[0].endswith("linear_forward should return 2 values (Z, cache).")


def test_missing_extra_and_shifted_keys():
    missing = judge("initialize_parameters_deep", variant("initialize_parameters_deep",
                                                          ("for l in range(1, L):", "for l in range(1, L - 1):")))
    assert "parameters should have the keys [" in missing.problems[0] and "missing: ['W" in missing.problems[0]
    counts_layers = ("    return parameters", '    parameters["L"] = L - 1\n    return parameters')
    extra = judge("initialize_parameters_deep", variant("initialize_parameters_deep", counts_layers))
    assert "missing: [], not expected: ['L']." in extra.problems[0]
    mistake = next(v for v in specs.MISTAKES if v.case_id == "L_model_backward:dA_keys_shifted")
    shifted = judge("L_model_backward", variant("L_model_backward", *mistake.patches))
    assert "grads's keys are shifted by one layer: it has ['dA" in shifted.problems[0]
    weight = '        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01\n'
    bias = '        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))\n'
    biases_first = variant("initialize_parameters_deep", (weight + bias, bias + weight))
    assert full_marks(judge("initialize_parameters_deep", biases_first))  # keys in another order


# ---------------------------------------------------------------- what the function did instead of returning

def test_raised():
    report = judge("linear_forward", variant("linear_forward", ("Z = np.dot(W, A) + b", "Z = np.dot(A, W) + b")))
    assert report.passed == 0 and "linear_forward raised ValueError: " in report.problems[0]
    careful, _ = define("def linear_forward(A, W, b):\n    try:\n        Z = np.dot(A, W) + b\n"
                        "    except ValueError:\n        Z = np.dot(W, A) + b\n    return Z, (A, W, b)", "linear_forward")
    assert full_marks(judge("linear_forward", careful))  # an error it caught itself is no error


def test_not_written_yet_and_missing():
    stub, _ = define("def linear_forward(A, W, b):\n    raise NotImplementedError()", "linear_forward")
    report = judge("linear_forward", stub)
    assert report.unwritten and report.problems[0] == ("linear_forward is not written yet: replace "
                                                       "`raise NotImplementedError()` with your code.")
    missing = {"type": "Missing", "message": "no function named linear_forward was defined"}  # as the harness says
    report = judge("linear_forward", outcomes=[CaseOutcome(error=missing)] * 4)
    assert report.unwritten and report.problems == [MISSING]
    written = judge("linear_forward", variant("linear_forward", ("Z = np.dot(W, A) + b", "Z = np.dot(W, A)")))
    assert not written.unwritten and "not written yet" not in feedback(written)
    assert "no function named" not in feedback(written)


def test_the_cell_that_defines_it_raised():
    source = "def linear_forward(A, W, b):\n    return np.dot(W, A), (A, W, b)\n\n\nprint(Z)\n"
    function, error = define(source, "linear_forward")
    report = judge("linear_forward", function, cell_problem=grading._cell_problem(error))
    assert report.problems[0] == ("the cell that defines it raised NameError on line 5 "
                                  "(name 'Z' is not defined).")
    function, error = define(source.replace("print(Z)", "print(1)"), "linear_forward")
    assert error is None and grading._cell_problem(error) is None
    assert "the cell that defines it raised" not in feedback(judge("linear_forward", function))


def test_gave_no_result():
    report = judge("linear_forward", outcomes=[CaseOutcome()] * 4)  # the child ended before reporting any case
    assert report.passed == 0 and report.problems[0].endswith(": linear_forward gave no result.")
    assert report.mistake is None  # no result says nothing about a mistake
    returns_none, _ = define("def linear_forward(A, W, b):\n    Z = np.dot(W, A) + b", "linear_forward")
    report = judge("linear_forward", returns_none)
    assert "gave no result" not in feedback(report) and "should return 2 values" in report.problems[0]


# ---------------------------------------------------------------- the gradient check

def test_the_gradient_check_fires_only_on_gradients_that_differ_from_the_numerical_ones():
    """A dW without its 1/m, judged against a course whose reference made the same slip: the values agree, the
    centered differences do not."""
    no_mean = ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)")
    slipped_course = reference(("linear_backward", (no_mean,)))
    report = judge("linear_backward", variant("linear_backward", no_mean), context_reference=slipped_course)
    assert report.passed == 0
    assert report.problems[0].split(": ", 1)[1].startswith("gradient check: dW differs from the numerical gradient "
                                                           "(centered differences) by a relative error of ")
    transposes = variant("linear_backward", ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(A_prev, dZ.T).T / m"))
    assert full_marks(judge("linear_backward", transposes))


# ---------------------------------------------------------------- the contract, graded for real in the sandbox

SANDBOXED = [("seed rebinding", SEED_REBINDING, 2, None), ("in place on the caller's arrays", IN_PLACE_ON_CALLER, 0,
             f"update_parameters {CHANGED}: after the call, params[\"W1\"] no longer holds the values it was given"),
             ("deepcopy then in place", DEEPCOPY_IN_PLACE, 2, None)]


@pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed")
@pytest.mark.parametrize("name, source, points, sentence", SANDBOXED, ids=[row[0] for row in SANDBOXED])
def test_update_parameters_graded_in_the_sandbox(name, source, points, sentence, monkeypatch):
    monkeypatch.setattr(secret, "course_secret", lambda root: SECRET)  # no secret file written in the repository
    reports = grading.grade_functions(REPO, S, [{"id": "update_parameters", "source": source}], student="tester").reports
    report = reports["update_parameters"]
    assert (report.passed, report.total) == (points, 2), report.text()
    if sentence is None:
        assert report.problems == []
    else:
        assert sentence in report.problems[0] and report.mistake == "update_parameters:mutates_caller"
    # the functions the submission does not define are said to be missing, nothing else
    assert reports["linear_forward"].unwritten
    assert reports["linear_forward"].problems == [MISSING]


# ---------------------------------------------------------------- the public check says the same

def test_the_public_check_accepts_rebinding_and_names_the_array_an_in_place_update_changed():
    from public_tests import PublicTestFailure

    public_check = specs.spec_of("step_by_step", "update_parameters").public_check
    seed, _ = define(SEED_REBINDING, "update_parameters")
    public_check(seed)
    mutating, _ = define(IN_PLACE_ON_CALLER, "update_parameters")
    with pytest.raises(PublicTestFailure) as failure:
        public_check(mutating)
    assert str(failure.value).startswith("update_parameters: the array params['W1'] it was given, after the call, "
                                         "has wrong values")
    assert f"Hint: update_parameters {CHANGED}" in str(failure.value)
