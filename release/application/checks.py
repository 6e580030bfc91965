"""The public checks of "Deep Neural Network for Image Classification: Application".

Each `<function>_test(target)` trains your model on a small problem
(`testCases.<function>_test_case()`) and compares the costs and the parameters with
the course's reference run (the expected numbers are written out below), then checks
what print_cost=True prints. When something differs it stops with a PublicTestFailure
that names the variable, shows what was expected and what you returned, and adds a
hint when the difference looks like a classic mistake (HINTS). The comparison is
public_tests.py's, shared by every assignment of the course.
"""

import contextlib
import io
import re

import numpy as np

from testCases import (  # the inputs of each check: <function>_test_case()
    two_layer_model_test_case, L_layer_model_test_case,
)
from public_tests import Checker

# ---------------------------------------------------------------- the hints: classic mistakes, in words

NEVER_UPDATES = ("the parameters never change (the cost stays the same): replace `parameters` by what "
                 "update_parameters() returns, every iteration.")
FIXED_RATE = "use the learning_rate argument, not a fixed number."
FIXED_ITERATIONS = "loop num_iterations times, not a fixed number of times."
ASCENT = "the cost does not go down: gradient descent subtracts learning_rate * gradient."
HINTS = {
    "two_layer_model": {
        "never_updates": NEVER_UPDATES, "fixed_learning_rate": FIXED_RATE, "fixed_iterations": FIXED_ITERATIONS,
        "gradient_ascent": ASCENT,
        "deep_initializer": "a two-layer network starts from initialize_parameters(n_x, n_h, n_y).",
    },
    "L_layer_model": {
        "never_updates": NEVER_UPDATES, "fixed_learning_rate": FIXED_RATE, "fixed_iterations": FIXED_ITERATIONS,
        "gradient_ascent": ASCENT,
        "two_layer_initializer": "an L-layer network starts from initialize_parameters_deep(layers_dims).",
    },
}


# ---------------------------------------------------------------- assignment 2: models

def check_model(check, target, test_case, expected_parameters, expected_costs, cost_mistakes):
    """Shared by two_layer_model_test and L_layer_model_test."""
    X, Y, layers_dims, learning_rate, num_iterations = test_case
    result = check.call(target, X, Y, layers_dims, learning_rate=learning_rate,
                        num_iterations=num_iterations, print_cost=False)
    parameters, costs = check.returned(result, ["parameters", "costs"])
    cost_mistakes = cost_mistakes + [
        ("never_updates", [expected_costs[0]] * len(expected_costs)),
        ("fixed_iterations", lambda got: len(got) != len(expected_costs)),
        ("gradient_ascent", lambda got: not float(got[-1]) < float(got[0])),
    ]
    check.value("costs", costs, expected_costs, cost_mistakes)
    check.keys("parameters", parameters, list(expected_parameters))
    for key, expected_value in expected_parameters.items():
        check.value(f"parameters['{key}']", parameters[key], expected_value)

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        check.call(target, X, Y, layers_dims, learning_rate=learning_rate,
                   num_iterations=num_iterations, print_cost=True)
    printed_costs = {int(i): float(cost) for i, cost in
                     re.findall(r"Cost after iteration (\d+): ([-+0-9.eE]+|nan|inf)", printed.getvalue())}
    expected_iterations = list(range(0, num_iterations, 100)) + [num_iterations - 1]
    printed_iterations = sorted(printed_costs)
    if not printed_iterations:
        printed = "none"
    elif len(printed_iterations) > len(expected_iterations) + 2:
        printed = ", ".join(map(str, printed_iterations[:len(expected_iterations)])) + ", ..."
    else:
        printed = ", ".join(map(str, printed_iterations))
    check.true(printed_iterations == expected_iterations,
               "with print_cost=True it should print 'Cost after iteration i: <cost>' for i in "
               f"{expected_iterations}; it printed such lines for i in: {printed}.")
    check.value("the cost printed after iteration 0", printed_costs[0], expected_costs[0])


def two_layer_model_test(target):
    check = Checker("two_layer_model", HINTS["two_layer_model"])
    expected_parameters = {
        "W1": np.array([[   1.329130962,   0.2069443131,   0.3884435875,  -0.1753157754],
                        [  0.3689778993,    0.032732931,   0.1193574886, -0.05086262523],
                        [   1.766604538,   0.2747160584,   0.5255216014,  -0.2358985287]]),
        "b1": np.array([[0.8315387689],
                        [0.2228559315],
                        [ 1.117593346]]),
        "W2": np.array([[ 1.635675594, 0.4497409538,  2.182767313]]),
        "b2": np.array([[-3.875530093]]),
    }
    expected_costs = [0.6931813402, 0.03799357692, 0.01507959682]
    costs_with_learning_rate_0_0075 = [0.6931813402, 0.6887595932, 0.6856840676]
    costs_with_initialize_parameters_deep = [0.8042932927, 0.02163502876, 0.01017812688]
    check_model(check, target, two_layer_model_test_case(), expected_parameters, expected_costs, [
        ("fixed_learning_rate", costs_with_learning_rate_0_0075),
        ("deep_initializer", costs_with_initialize_parameters_deep),
    ])
    check.done()


def L_layer_model_test(target):
    check = Checker("L_layer_model", HINTS["L_layer_model"])
    expected_parameters = {
        "W1": np.array([[   0.5601918156,   -0.3510114994,    -0.452924996,   -0.6671270289],
                        [   0.5887907143,    -1.034185785,     1.045112363,   -0.3709610952],
                        [   0.4047017785,    0.2894887473,    0.8602510795,    -1.041553015],
                        [  0.06685863878,   -0.1402495645,    0.6446853811,   -0.4666089877],
                        [6.395259348e-06,   0.05036711176,    0.1633272389,      1.01525834]]),
        "b1": np.array([[0.08087179041],
                        [ 0.1649428308],
                        [ 0.1893715745],
                        [-0.1054840248],
                        [ 0.5263175088]]),
        "W2": np.array([[ -0.4736797362,   0.7195009456,   0.7954969958,   0.1789751831,     1.12100655],
                        [ -0.3057723942, -0.05495817961,  -0.4184888133,  -0.1198031913,   0.1014096623],
                        [ -0.3093200916,  -0.1774335713,  -0.3073129739,  -0.3779874539,  -0.3001903956]]),
        "b2": np.array([[ 0.2406188998],
                        [-0.2039400003],
                        [            0]]),
        "W3": np.array([[  1.357637995, -0.6411902885,  0.1353399662]]),
        "b3": np.array([[0.2063130871]]),
    }
    expected_costs = [0.6968712969, 0.5568565664, 0.4849133968]
    costs_with_learning_rate_0_0075 = [0.6968712969, 0.6535130324, 0.6261760104]
    costs_with_initialize_parameters = [0.6931366713, 0.5603783692, 0.3392255224]
    check_model(check, target, L_layer_model_test_case(), expected_parameters, expected_costs, [
        ("fixed_learning_rate", costs_with_learning_rate_0_0075),
        ("two_layer_initializer", costs_with_initialize_parameters),
    ])
    check.done()
