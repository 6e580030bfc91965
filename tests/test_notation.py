"""The step-by-step notebook's gradient notation says the right factor of m, checked by finite differences.

The notebook writes dA^[L] = m dJ/dA^[L] (sections 6.3 and the notation table), dZ^[l] = m dJ/dZ^[l] (6.1) and
dW^[l] = dJ/dW^[l] = (1/m) dZ^[l] A^[l-1]T (6.1): the test reads the factor each claim states and checks it
numerically on the course's own code (the NumPy line for dAL that 6.3 gives, the solution's functions), against
finite differences of the cost J and of each example's loss L^(i).
"""

import re

import nbformat
import numpy as np
import pytest
from conftest import REPO

from dnn_grader.engine.gradients import numeric_gradient, relative_error
from dnn_grader.engine.references import reference_namespace

NOTEBOOK = REPO / "source" / "step_by_step" / "Building_your_Deep_Neural_Network_Step_by_Step.ipynb"
RNG = np.random.default_rng(23)
PARTIAL_J = r"\\frac\{\\partial \\mathcal\{J\}\}\{\\partial "


def markdown() -> str:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def stated_factor(symbol: str, of: str) -> float:
    """The factor k of every claim '$symbol = k dJ/d of' in the notebook (k is 'm' or nothing); all must agree."""
    text = markdown()
    claims = re.findall(re.escape(symbol) + r" = (m )?" + PARTIAL_J + re.escape(of) + r"\}", text)
    assert claims, f"the notebook states no '{symbol} = ... dJ/d{of}'"
    assert len(set(claims)) == 1, f"the notebook states {symbol} with different factors: {claims}"
    return claims[0].strip() or "1"


def documented_dAL(AL, Y):
    """dAL by the NumPy line that section 6.3 gives."""
    line = re.search(r"`(dAL = [^`]+)`", markdown()).group(1)
    namespace = {"np": np, "AL": AL, "Y": Y}
    exec(line, namespace)
    return namespace["dAL"]


def losses(AL, Y):
    """Each example's loss L^(i), shape (1, m)."""
    return -(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))


@pytest.fixture
def problem():
    m = 6
    AL = RNG.uniform(0.1, 0.9, (1, m))
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])
    return AL, Y, m


def test_dAL_is_m_times_dJ_dAL_and_the_loss_gradient_column_by_column(problem):
    AL, Y, m = problem
    cost = reference_namespace(str(REPO), "step_by_step")["compute_cost"]
    dAL = documented_dAL(AL, Y)
    dJ = numeric_gradient(lambda: float(cost(AL, Y)), AL)
    assert stated_factor("dA^{[L]}", "A^{[L]}") == "m"
    assert relative_error(dAL, m * dJ) < 1e-7
    for i in range(m):  # column i is the derivative of example i's loss alone
        dL_i = numeric_gradient(lambda i=i: float(losses(AL, Y)[0, i]), AL)
        assert relative_error(dAL[:, i], dL_i[:, i]) < 1e-7
        assert np.count_nonzero(np.delete(dL_i, i)) == 0


def test_dZ_is_m_times_dJ_dZ_and_dW_is_dJ_dW():
    solution = reference_namespace(str(REPO), "step_by_step")
    m = 5
    A_prev, W, b = RNG.standard_normal((3, m)), RNG.standard_normal((1, 3)), RNG.standard_normal((1, 1))
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    Z = W @ A_prev + b
    AL = solution["sigmoid"](Z)[0]
    dZ = solution["sigmoid_backward"](documented_dAL(AL, Y), Z)
    _, dW, db = solution["linear_backward"](dZ, (A_prev, W, b))

    def cost():
        return float(solution["compute_cost"](solution["sigmoid"](W @ A_prev + b)[0], Y))

    assert stated_factor("dZ^{[l]}", "Z^{[l]}") == "m"
    assert relative_error(dZ, m * numeric_gradient(lambda: float(solution["compute_cost"](
        solution["sigmoid"](Z)[0], Y)), Z)) < 1e-7
    assert stated_factor("dW^{[l]}", "W^{[l]}") == "1"
    assert relative_error(dW, numeric_gradient(cost, W)) < 1e-7
    assert relative_error(db, numeric_gradient(cost, b)) < 1e-7
