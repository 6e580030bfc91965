"""The sentences feedback is made of: a failed assert quoted, shifted keys named, partial credit in words."""

import numpy as np

from dnn_grader import course
from dnn_grader.engine.grading import FunctionReport, GradingContext, _error_sentence
from dnn_grader.hooks.preprocessor import test_cell_outputs as outputs_of
from dnn_grader.specs import Case
from public_tests import difference

random_but_unseeded = course.assignment("step_by_step").checks.random_but_unseeded


def test_grads_keys_shifted_by_one_layer_are_named_as_such():
    expected = {"dA0": np.ones(2), "dA1": np.ones(2), "dW1": np.ones(2), "dW2": np.ones(2)}
    got = {"dA1": np.ones(2), "dA2": np.ones(2), "dW1": np.ones(2), "dW2": np.ones(2)}
    problem = difference("grads", got, expected)
    assert "shifted by one layer" in problem and "['dA1', 'dA2']" in problem and "['dA0', 'dA1']" in problem
    assert "missing: ['dA0']" in difference("grads", {k: v for k, v in expected.items() if k != "dA0"}, expected)


def test_an_assert_without_a_message_shows_the_students_line():
    context = GradingContext("", "", {}, {"linear_forward": "def linear_forward(A, W, b):\n    assert A.shape[0] == 3\n"})
    error = {"type": "AssertionError", "message": "", "cell": "linear_forward", "line": "2"}
    sentence = _error_sentence("linear_forward", Case("m=4", ()), error, context.line_of(error))
    assert "the check `assert A.shape[0] == 3` failed" in sentence
    other = {"type": "ValueError", "message": "shapes (3,5) and (4,3) not aligned", "cell": "linear_forward",
             "line": "2"}
    assert "`assert A.shape[0] == 3`" in _error_sentence("linear_forward", Case("m=4", ()), other,
                                                         context.line_of(other))


def test_a_removed_seed_is_told_from_other_mistakes():
    rng = np.random.default_rng(0)
    course = {"W1": rng.standard_normal((4, 3)) * 0.01, "b1": np.zeros((4, 1))}
    unseeded = {"W1": rng.standard_normal((4, 3)) * 0.01, "b1": np.zeros((4, 1))}
    assert random_but_unseeded(course, unseeded)
    assert not random_but_unseeded(course, {"W1": unseeded["W1"] * 100, "b1": np.zeros((4, 1))})  # no scale
    assert not random_but_unseeded(course, course)  # right answer
    assert not random_but_unseeded(course, {"W1": unseeded["W1"], "b1": np.zeros(4)})  # flat bias


def test_partial_credit_is_said_in_words_beside_the_number_nbgrader_reads():
    report = FunctionReport("linear_backward", passed=1, total=3, problems=["db has shape (3,)"])
    stream, result = outputs_of(report, "linear_backward", 3.0)
    assert "Score: 1 of 3 points (1 of 3 hidden checks)." in stream["text"]
    assert result["data"]["text/plain"] == "1.0"
    full = outputs_of(FunctionReport("linear_backward", 3, 3), "linear_backward", 3.0)
    assert len(full) == 1 and "Score: 3 of 3 points." in full[0]["text"]


def test_nan_agrees_with_nan_where_the_course_gives_nan_too():
    assert difference("cost", np.array([np.nan, 1.0]), np.array([np.nan, 1.0])) is None
    assert "contains nan or inf" in difference("cost", np.array([np.nan, 1.0]), np.array([0.5, 1.0]))
