"""The public tests pass for the reference and for correct code written other ways, and catch classic mistakes.

The reference is the solution code of the instructor notebooks in source/ (their setup and
solution cells, run in a fresh namespace). Correct variants and mistakes are made from it by
small textual replacements, each of which must apply.
"""

import linecache
import re

import nbformat
import numpy as np
import pytest
from conftest import REPO

import public_tests
import testCases
from public_tests import PublicTestFailure

NOTEBOOKS = {
    "step_by_step": REPO / "source" / "step_by_step" / "Building_your_Deep_Neural_Network_Step_by_Step.ipynb",
    "application": REPO / "source" / "application" / "Deep_Neural_Network_Application.ipynb",
}
FUNCTIONS = {
    "step_by_step": [
        "initialize_parameters", "initialize_parameters_deep", "linear_forward", "linear_activation_forward",
        "L_model_forward", "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
        "update_parameters",
    ],
    "application": ["two_layer_model", "L_layer_model"],
}
ASSIGNMENT_OF = {function: assignment for assignment, functions in FUNCTIONS.items() for function in functions}
ALL_FUNCTIONS = [function for functions in FUNCTIONS.values() for function in functions]


def code_cells(assignment):
    """grade_id -> source of the setup and solution cells, in notebook order."""
    path = NOTEBOOKS[assignment]
    if not path.exists():
        pytest.skip(f"{path.relative_to(REPO)} is not written yet")
    cells = {}
    for cell in nbformat.read(path, as_version=4).cells:
        nbgrader = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (nbgrader.get("solution") or nbgrader.get("grade_id") == "setup"):
            cells[nbgrader["grade_id"]] = cell.source
    return cells


def replace(source, replacements, label):
    for old, new in replacements:
        assert old in source, f"{label}: {old!r} is not in the reference solution"
        source = source.replace(old, new)
    return source


def namespace(assignment, changes=None):
    """Run the setup and solution cells, with changes {grade_id: [(old, new), ...]}, in a fresh namespace.

    The cell sources go into linecache, as IPython does, so that error messages can quote the failing line.
    """
    changes = changes or {}
    names = {"__name__": f"reference_{assignment}"}
    cells = code_cells(assignment)
    assert set(changes) <= set(cells), f"no such cells: {set(changes) - set(cells)}"
    for grade_id, source in cells.items():
        source = replace(source, changes.get(grade_id, []), grade_id)
        filename = f"<cell {grade_id}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        exec(compile(source, filename, "exec"), names)
    return names


def run_public_test(function, changes=None):
    """Run the public test of `function` on the (changed) reference; return what it printed."""
    names = namespace(ASSIGNMENT_OF[function], changes)
    getattr(public_tests, function + "_test")(names[function])


def failure_message(function, changes):
    with pytest.raises(PublicTestFailure) as failure:
        run_public_test(function, changes)
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

CORRECT_VARIANTS = {
    "matmul operator in linear_forward": ("linear_forward", [("np.dot(W, A)", "W @ A")]),
    "np.matmul in linear_forward": ("linear_forward", [("np.dot(W, A)", "np.matmul(W, A)")]),
    "np.einsum in linear_forward": ("linear_forward", [("np.dot(W, A)", "np.einsum('ij,jk->ik', W, A)")]),
    "matmul operator in linear_backward": ("linear_backward", [
        ("1 / m * np.dot(dZ, A_prev.T)", "(dZ @ A_prev.T) / m"), ("np.dot(W.T, dZ)", "W.T @ dZ")]),
    "np.matmul and np.mean in linear_backward": ("linear_backward", [
        ("np.dot(dZ, A_prev.T)", "np.matmul(dZ, A_prev.T)"),
        ("1 / m * np.sum(dZ, axis=1, keepdims=True)", "np.mean(dZ, axis=1, keepdims=True)"),
        ("np.dot(W.T, dZ)", "np.matmul(W.T, dZ)")]),
    "np.mean in compute_cost": ("compute_cost", [("-1 / m * np.sum(", "-np.mean(")]),
    "np.dot in compute_cost, squeezed": ("compute_cost", [
        ("np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))",
         "(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))")]),
    "a Python float cost": ("compute_cost", [("cost = np.squeeze(cost)", "cost = float(np.squeeze(cost))")]),
    "deepcopy and in-place updates in update_parameters": ("update_parameters", [
        ("parameters = {key: value.copy() for key, value in params.items()}",
         "import copy\n    parameters = copy.deepcopy(params)"),
        ('parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate',
         'parameters["W" + str(l + 1)] -= learning_rate'),
        ('parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate',
         'parameters["b" + str(l + 1)] -= learning_rate')]),
    "f-string keys in L_model_forward": ("L_model_forward", [
        ('parameters["W" + str(l)], parameters["b" + str(l)]', 'parameters[f"W{l}"], parameters[f"b{l}"]')]),
    "dAL as (AL - Y) / (AL (1 - AL))": ("L_model_backward", [
        ("-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))", "(AL - Y) / (AL * (1 - AL))")]),
    "division by 100 in initialize_parameters": ("initialize_parameters", [("* 0.01", "/ 100")]),
    # AL is L_model_forward's output, sigmoid(Z) of the last layer, so its dZ is exactly AL - Y
    "dZ = AL - Y shortcut in L_model_backward": ("L_model_backward", [
        ('linear_activation_backward(dAL, current_cache, "sigmoid")', "linear_backward(AL - Y, current_cache[0])")]),
}


@pytest.mark.parametrize("variant", CORRECT_VARIANTS)
def test_correct_code_written_another_way_passes(variant, capsys):
    function, replacements = CORRECT_VARIANTS[variant]
    run_public_test(function, {function: replacements})
    assert "passed" in capsys.readouterr().out


# ---------------------------------------------------------------- classic mistakes are recognised

# name -> (function tested, {cell: replacements}, substrings of the message)
MISTAKES = {
    # initialize_parameters
    "weights not scaled by 0.01": ("initialize_parameters", {"initialize_parameters": [
        ("W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.random.randn(n_h, n_x)")]},
        ["W1 has wrong values", "multiply the random numbers by 0.01"]),
    "weight shape transposed": ("initialize_parameters", {"initialize_parameters": [
        ("np.random.randn(n_h, n_x)", "np.random.randn(n_x, n_h)")]},
        ["W1 has shape (3, 2), expected (2, 3)", "one row per unit"]),
    "zero weights": ("initialize_parameters", {"initialize_parameters": [
        ("W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.zeros((n_h, n_x))")]},
        ["W1 has wrong values", "must be random"]),
    "flat bias": ("initialize_parameters", {"initialize_parameters": [
        ("np.zeros((n_h, 1))", "np.zeros(n_h)")]},
        ["b1 has shape (2,), expected (2, 1)", "column vector"]),
    # initialize_parameters_deep
    "deep: weights not scaled by 0.01": ("initialize_parameters_deep", {"initialize_parameters_deep": [
        (" * 0.01", "")]},
        ["W1 has wrong values", "multiply the random numbers by 0.01"]),
    "deep: weight shape transposed": ("initialize_parameters_deep", {"initialize_parameters_deep": [
        ("np.random.randn(layer_dims[l], layer_dims[l - 1])", "np.random.randn(layer_dims[l - 1], layer_dims[l])")]},
        ["W1 has shape (5, 4), expected (4, 5)", "one row per unit"]),
    "deep: last layer missing": ("initialize_parameters_deep", {"initialize_parameters_deep": [
        ("range(1, L)", "range(1, L - 1)")]},
        ["parameters should have the keys", "missing: ['W2', 'b2']"]),
    "deep: flat bias": ("initialize_parameters_deep", {"initialize_parameters_deep": [
        ("np.zeros((layer_dims[l], 1))", "np.zeros(layer_dims[l])")]},
        ["b1 has shape (4,), expected (4, 1)", "column vector"]),
    # linear_forward
    "bias not added": ("linear_forward", {"linear_forward": [("np.dot(W, A) + b", "np.dot(W, A)")]},
        ["Z has wrong values", "add the bias b"]),
    "Z transposed": ("linear_forward", {"linear_forward": [("np.dot(W, A) + b", "np.dot(A.T, W.T) + b.T")]},
        ["Z has shape (4, 2), expected (2, 4)", "one row per unit and one column per example"]),
    "cache in the wrong order": ("linear_forward", {"linear_forward": [("cache = (A, W, b)", "cache = (W, A, b)")]},
        ["cache[0] has shape (2, 3), expected (3, 4)", "(A, W, b), in this order"]),
    # linear_activation_forward
    "activations swapped": ("linear_activation_forward", {"linear_activation_forward": [
        ("sigmoid(Z)", "SWAP(Z)"), ("relu(Z)", "sigmoid(Z)"), ("SWAP(Z)", "relu(Z)")]},
        ["A (activation='sigmoid') has wrong values", "this is relu(Z)", "use sigmoid()"]),
    "no activation": ("linear_activation_forward", {"linear_activation_forward": [
        ("A, activation_cache = sigmoid(Z)", "A, activation_cache = Z, Z")]},
        ["A (activation='sigmoid') has wrong values", "this is Z: apply the activation"]),
    "activation pair not unpacked": ("linear_activation_forward", {"linear_activation_forward": [
        ("A, activation_cache = sigmoid(Z)", "A = sigmoid(Z)\n        activation_cache = Z")]},
        ["A (activation='sigmoid') should be a numpy array, got tuple", "A, activation_cache = sigmoid(Z)"]),
    "activation cache holds A": ("linear_activation_forward", {"linear_activation_forward": [
        ("A, activation_cache = relu(Z)", "A, activation_cache = relu(Z)\n        activation_cache = A")]},
        ["cache (activation='relu')[1] has wrong values", "it holds Z"]),
    # L_model_forward
    "relu in the last layer": ("L_model_forward", {"L_model_forward": [
        ('parameters["b" + str(L)], "sigmoid")', 'parameters["b" + str(L)], "relu")')]},
        ["AL has wrong values", "the last layer uses sigmoid"]),
    "sigmoid in every layer": ("L_model_forward", {"L_model_forward": [
        ('parameters["b" + str(l)], "relu")', 'parameters["b" + str(l)], "sigmoid")')]},
        ["AL has wrong values", "only the last layer uses sigmoid"]),
    "last cache not kept": ("L_model_forward", {"L_model_forward": [
        ('"sigmoid")\n    caches.append(cache)', '"sigmoid")')]},
        ["caches has 2 items, expected 3", "append the cache of the last (sigmoid) layer"]),
    "relu caches not kept": ("L_model_forward", {"L_model_forward": [
        ('"relu")\n        caches.append(cache)', '"relu")')]},
        ["caches has 1 item, expected 3", "append the cache of every relu layer"]),
    "last layer's pair not unpacked": ("L_model_forward", {"L_model_forward": [
        ("AL, cache = linear_activation_forward(A,", "AL = linear_activation_forward(A,")]},
        ["AL should be a numpy array, got tuple", "returns two values"]),
    # compute_cost
    "cost not divided by m": ("compute_cost", {"compute_cost": [("-1 / m * np.sum(", "-np.sum(")]},
        ["cost has wrong values", "did you divide by m"]),
    "cost without the minus sign": ("compute_cost", {"compute_cost": [("-1 / m * np.sum(", "1 / m * np.sum(")]},
        ["cost has wrong values", "check the minus sign"]),
    "cost of shape (1, 1)": ("compute_cost", {"compute_cost": [
        ("np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))",
         "(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))"),
        ("cost = np.squeeze(cost)", "cost = cost")]},
        ["cost should be a number (shape ()), got an array of shape (1, 1)", "np.squeeze"]),
    "cost without the second term": ("compute_cost", {"compute_cost": [(" + (1 - Y) * np.log(1 - AL)", "")]},
        ["cost has wrong values", "two terms"]),
    # linear_backward
    "dW not divided by m": ("linear_backward", {"linear_backward": [
        ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)")]},
        ["dW has wrong values", "did you divide by m?"]),
    "db without keepdims": ("linear_backward", {"linear_backward": [
        ("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=1)")]},
        ["db has shape (3,), expected (3, 1)", "keepdims=True"]),
    "db summed over the wrong axis": ("linear_backward", {"linear_backward": [("axis=1", "axis=0")]},
        ["db has shape (1, 4), expected (3, 1)", "along axis=1"]),
    "dA_prev divided by m": ("linear_backward", {"linear_backward": [
        ("dA_prev = np.dot(W.T, dZ)", "dA_prev = 1 / m * np.dot(W.T, dZ)")]},
        ["dA_prev has wrong values", "dA_prev has no 1/m"]),
    "dW transposed": ("linear_backward", {"linear_backward": [("np.dot(dZ, A_prev.T)", "np.dot(A_prev, dZ.T)")]},
        ["dW has shape (5, 3), expected (3, 5)", "multiply dZ by the transpose of A_prev"]),
    # linear_activation_backward
    "backward activations swapped": ("linear_activation_backward", {"linear_activation_backward": [
        ("relu_backward(dA", "SWAP(dA"), ("sigmoid_backward(dA", "relu_backward(dA"),
        ("SWAP(dA", "sigmoid_backward(dA")]},
        ["dW (activation='sigmoid') has wrong values", "this is what relu_backward() gives"]),
    "activation derivative skipped": ("linear_activation_backward", {"linear_activation_backward": [
        ("dZ = sigmoid_backward(dA, activation_cache)", "dZ = dA")]},
        ["dW (activation='sigmoid') has wrong values", "start with dZ = sigmoid_backward(dA, activation_cache)"]),
    "m missing in the linear_backward it calls": ("linear_activation_backward", {"linear_backward": [
        ("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)")]},
        ["dW (activation='sigmoid') has wrong values", "divide by m in linear_backward"]),
    # L_model_backward
    "dAL with the wrong sign": ("L_model_backward", {"L_model_backward": [
        ("dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))", "dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)")]},
        ["grads['dA2'] has wrong values", "wrong sign"]),
    "relu for the last layer": ("L_model_backward", {"L_model_backward": [
        ('(dAL, current_cache, "sigmoid")', '(dAL, current_cache, "relu")')]},
        ["grads['dA2'] has wrong values", "the last layer is the sigmoid layer"]),
    "layer numbers off by one in the keys": ("L_model_backward", {"L_model_backward": [
        ('grads["dW" + str(l + 1)] = dW', 'grads["dW" + str(l)] = dW')]},
        ["grads should have the keys", "missing: ['dW2'], not expected: ['dW0']"]),
    "m missing in the linear_backward used": ("L_model_backward", {"linear_backward": [
        ("db = 1 / m * np.sum(", "db = np.sum(")]},
        ["grads['db3'] has wrong values", "divide by m in linear_backward"]),
    # update_parameters
    "plus instead of minus": ("update_parameters", {"update_parameters": [
        ("] - learning_rate * grads", "] + learning_rate * grads")]},
        ["W1 has wrong values", "subtract learning_rate * gradient"]),
    "learning rate forgotten": ("update_parameters", {"update_parameters": [
        ("learning_rate * grads", "grads")]},
        ["W1 has wrong values", "multiply the gradient by learning_rate"]),
    "biases not updated": ("update_parameters", {"update_parameters": [
        ('        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]\n',
         "")]},
        ["b1 has wrong values", "b1 did not change"]),
    "caller's arrays changed": ("update_parameters", {"update_parameters": [
        ("parameters = {key: value.copy() for key, value in params.items()}", "parameters = params"),
        ('parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate',
         'parameters["W" + str(l + 1)] -= learning_rate')]},
        ["the caller's params['W1'] after the call has wrong values", "changed the arrays it was given"]),
    # two_layer_model
    "two-layer: fixed learning rate": ("two_layer_model", {"two_layer_model": [
        ("update_parameters(parameters, grads, learning_rate)", "update_parameters(parameters, grads, 0.0075)")]},
        ["costs[1] has wrong values", "use the learning_rate argument"]),
    "two-layer: parameters not replaced": ("two_layer_model", {"two_layer_model": [
        ("parameters = update_parameters(", "update_parameters(")]},
        ["costs[1] has wrong values", "the cost never changes"]),
    "two-layer: deep initialization": ("two_layer_model", {"two_layer_model": [
        ("initialize_parameters(n_x, n_h, n_y)", "initialize_parameters_deep([n_x, n_h, n_y])")]},
        ["costs[0] has wrong values", "starts from initialize_parameters(n_x, n_h, n_y)"]),
    "two-layer: gradient ascent": ("two_layer_model", {"two_layer_model": [
        ("update_parameters(parameters, grads, learning_rate)", "update_parameters(parameters, grads, -learning_rate)")]},
        ["costs[1] has wrong values", "the cost does not go down"]),
    "two-layer: cost not printed": ("two_layer_model", {"two_layer_model": [
        ('print("Cost after iteration {}: {}".format(i, np.squeeze(cost)))', "pass")]},
        ["with print_cost=True it should print", "[0, 100, 200, 299]"]),
    # L_layer_model
    "L-layer: fixed learning rate": ("L_layer_model", {"L_layer_model": [
        ("update_parameters(parameters, grads, learning_rate)", "update_parameters(parameters, grads, 0.0075)")]},
        ["costs[1] has wrong values", "use the learning_rate argument"]),
    "L-layer: parameters not replaced": ("L_layer_model", {"L_layer_model": [
        ("parameters = update_parameters(", "update_parameters(")]},
        ["costs[1] has wrong values", "the cost never changes"]),
    "L-layer: gradient ascent": ("L_layer_model", {"L_layer_model": [
        ("update_parameters(parameters, grads, learning_rate)", "update_parameters(parameters, grads, -learning_rate)")]},
        ["costs[1] has wrong values", "the cost does not go down"]),
    "L-layer: cost printed every iteration": ("L_layer_model", {"L_layer_model": [
        ("if print_cost and (i % 100 == 0 or i == num_iterations - 1):", "if print_cost:")]},
        ["with print_cost=True it should print", "[0, 100, 200, 299]"]),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # gradient ascent overflows, as it should
@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_classic_mistake_is_recognised(mistake):
    function, changes, expected_parts = MISTAKES[mistake]
    message = failure_message(function, changes)
    assert message.startswith(function + ": ")
    for part in expected_parts:
        assert part in message, f"{part!r} not in:\n{message}"


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_every_public_test_recognises_at_least_two_mistakes(function):
    assert sum(1 for tested, _, _ in MISTAKES.values() if tested == function) >= 2


# ---------------------------------------------------------------- other failures

@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_an_unwritten_function_says_so(function):
    """The release replaces each solution region by `raise NotImplementedError()`."""
    source = code_cells(ASSIGNMENT_OF[function])[function]
    stub, count = re.subn(r"^( *)### BEGIN SOLUTION\n.*?### END SOLUTION",
                          r"\1# YOUR CODE HERE\n\1raise NotImplementedError()", source, flags=re.DOTALL | re.MULTILINE)
    assert count >= 1
    names = namespace(ASSIGNMENT_OF[function])
    exec(compile(stub, f"<stub {function}>", "exec"), names)
    with pytest.raises(PublicTestFailure) as failure:
        getattr(public_tests, function + "_test")(names[function])
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
        getattr(testCases, function + "_test_case")()
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
