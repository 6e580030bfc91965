"""The specs of assignment 2, "Deep Neural Network for Image Classification".

The models are checked on small problems drawn from the course's secret (a few
features, tens of examples), never on the 2,500-iteration cat runs: the whole cost trajectory and
the final parameters must match the reference, the learning rate and number of
iterations must be honoured (two settings plus the defaults), and print_cost must
print the costs the course asks for.
"""

from __future__ import annotations

import re

import numpy as np

from dnn_grader.specs import Case, FunctionSpec, correct, mistake

POSITION = 2  # its place in the series
TITLE = "Deep Neural Network for Image Classification: Application"
DATA = ("train_catvnoncat.h5", "test_catvnoncat.h5")  # the course data files its notebook reads
DUE_DATE = "2026-12-18 23:59:00 UTC"  # this term's; c.RecordDueDates.due_dates in nbgrader_config.py overrides it
DEMO_MISTAKE = "two_layer_model:fixed_learning_rate"  # what the demo class's demo-mistake gets wrong (make demo)
COST_LINE = re.compile(r"Cost after iteration (\d+):\s*(\S+)")


def small_problem(rng: np.random.Generator, n_x: int, m: int):
    """Features X (n_x, m) and labels Y (1, m) from a planted linear rule with noise."""
    X = rng.standard_normal((n_x, m))
    w = rng.standard_normal((1, n_x))
    Y = ((w @ X + 0.3 * rng.standard_normal((1, m))) > 0).astype(float)
    return X, Y


def printed_costs(stdout: str, value) -> str | None:
    """The printed 'Cost after iteration i: c' lines must match the returned run."""
    expected_costs = value[1] if isinstance(value, tuple) and len(value) == 2 else None
    found = {int(i): text for i, text in COST_LINE.findall(stdout)}
    if not found:
        return ("with print_cost=True nothing like 'Cost after iteration 0: 0.69...' was printed; "
                "print the cost every 100 iterations and at the last one.")
    if expected_costs is not None and 0 in found:
        try:
            printed = float(found[0].strip("[]"))
        except ValueError:
            return f"the printed cost '{found[0][:30]}' is not a number."
        if not np.isclose(printed, float(np.squeeze(expected_costs[0])), rtol=1e-6):
            return f"the cost printed at iteration 0 ({printed:.8g}) is not the cost of iteration 0."
    return None


def _model_cases(rng, layers_dims_a, layers_dims_b):
    X_a, Y_a = small_problem(rng, layers_dims_a[0], 40)
    X_b, Y_b = small_problem(rng, layers_dims_b[0], 25)
    return [
        Case(f"layers {layers_dims_a}, learning_rate=0.05, 301 iterations, print_cost=True",
             (X_a, Y_a, layers_dims_a), {"learning_rate": 0.05, "num_iterations": 301, "print_cost": True},
             printed=_printed_iterations(301)),
        Case(f"layers {layers_dims_b}, learning_rate=0.3, 150 iterations",
             (X_b, Y_b, layers_dims_b), {"learning_rate": 0.3, "num_iterations": 150}),
        # the default num_iterations; no case uses the default learning_rate, which a fixed 0.0075 would pass
        Case(f"layers {layers_dims_b}, learning_rate=0.02, default num_iterations",
             (X_b, Y_b, layers_dims_b), {"learning_rate": 0.02}),
    ]


def _printed_iterations(num_iterations):
    wanted = sorted(set(range(0, num_iterations, 100)) | {num_iterations - 1})

    def check(stdout, value):
        problem = printed_costs(stdout, value)
        if problem:
            return problem
        found = sorted({int(i) for i, _ in COST_LINE.findall(stdout)})
        if found != wanted:
            return (f"with print_cost=True and {num_iterations} iterations the costs of iterations "
                    f"{wanted} should be printed; found {found}.")
        return None

    return check


def two_layer_model_cases(rng):
    return _model_cases(rng, (6, 4, 1), (5, 3, 1))


def L_layer_model_cases(rng):
    return _model_cases(rng, (6, 5, 3, 1), (5, 4, 2, 3, 1))


# ---------------------------------------------------------------- the specs, in grading order

UPDATE_CALL = "parameters = update_parameters(parameters, grads, learning_rate)"
A = "application"


def model_mistakes(initializer: tuple[str, str, str]) -> tuple:
    """The mistakes both models can make; initializer: (mistake name, the right call, the wrong one)."""
    name, right, wrong = initializer
    return (
        mistake("never_updates", (UPDATE_CALL, "pass")),
        mistake("fixed_learning_rate", (UPDATE_CALL, "parameters = update_parameters(parameters, grads, 0.0075)")),
        mistake("fixed_iterations", ("for i in range(0, num_iterations):", "for i in range(0, 2500):")),
        mistake(name, (right, wrong)),
        mistake("gradient_ascent", (UPDATE_CALL, "parameters = update_parameters(parameters, grads, -learning_rate)")),
    )


SPECS = [
    FunctionSpec(A, "two_layer_model", ("parameters", "costs"), two_layer_model_cases, mistakes=model_mistakes(
        ("deep_initializer", "parameters = initialize_parameters(n_x, n_h, n_y)",
         "parameters = initialize_parameters_deep(layers_dims)")), correct=(
        correct("prints_progress", ("cost = compute_cost(A2, Y)",
                                    'cost = compute_cost(A2, Y)\n        if i == 0:\n            print("training...")')),
    )),
    FunctionSpec(A, "L_layer_model", ("parameters", "costs"), L_layer_model_cases, mistakes=model_mistakes(
        ("two_layer_initializer", "parameters = initialize_parameters_deep(layers_dims)",
         "parameters = initialize_parameters(layers_dims[0], layers_dims[1], layers_dims[-1])")), correct=(
        correct("float_costs", ("grads = L_model_backward(AL, Y, caches)",
                                "grads = L_model_backward(AL, Y, caches)\n        cost = float(cost)")),
    )),
]
