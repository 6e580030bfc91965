"""What a feedback shows of the hidden cases earns nothing in any later grading, the student's own or another's.

A student's function raises an exception carrying its hidden inputs; the feedback quotes only a short message.
Even given ALL of that submission's hidden cases (more than any feedback shows), a lookup table of their answers
scores nothing for another student, nor for the same student's next submission: cases are drawn per student and
per submission. Graded through nbgrader for real, between honest students.
"""

import base64
import pickle

import nbformat
import pytest
from conftest import REPO

from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine import references, secret
from dnn_grader.engine.grading import hidden_arguments, hidden_cases
from dnn_grader.engine.sandbox import MAX_ERROR_MESSAGE, bwrap_available
from dnn_grader.evidence.scratch_course import autograded_text, copy_course, scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit
from dnn_grader.hooks.preprocessor import student_cells

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT, FUNCTION = "step_by_step", "linear_backward"
LEAKS = '''
def linear_backward(dZ, cache):
    import base64
    raise ValueError("LEAK" + base64.b64encode(dZ.tobytes()).decode())
'''


def with_function(notebook, source):
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == FUNCTION)
    cell.source = source
    return notebook


def table_of_answers(course, student, notebook) -> str:
    """A linear_backward that answers, from a table, every hidden case of this student's submission."""
    root = str(course.resolve())
    reference = references.reference_namespace(root, ASSIGNMENT)
    key = secret.submission_key(student, student_cells(notebook))
    cases = hidden_cases(specs.spec_of(ASSIGNMENT, FUNCTION), secret.course_secret(root), key, reference)
    table = {args[0].tobytes(): reference[FUNCTION](*args) for args, _ in hidden_arguments(cases, reference)}
    blob = base64.b64encode(pickle.dumps(table)).decode()
    return ("import base64, pickle\nTABLE = pickle.loads(base64.b64decode('" + blob + "'))\n\n\n"
            "def linear_backward(dZ, cache):\n"
            "    return TABLE[dZ.tobytes()]\n")


def test_no_leaked_case_earns_a_point_later(tmp_path):
    course = copy_course(REPO, tmp_path / "course")
    nbgrader_cli.run_checked(course, "generate_assignment", ASSIGNMENT)
    leaker = with_function(solved_notebook(course, ASSIGNMENT), LEAKS)
    for student, notebook in {"a-honest": solved_notebook(course, ASSIGNMENT), "b-leaker": leaker,
                              "c-honest": solved_notebook(course, ASSIGNMENT)}.items():
        submit(course, student, ASSIGNMENT, notebook)
    nbgrader_cli.run_checked(course, "autograde", ASSIGNMENT)
    feedback = autograded_text(course, ASSIGNMENT, "b-leaker")
    quoted = feedback[feedback.index("LEAK"):].split("\n")[0]
    assert len(quoted) <= MAX_ERROR_MESSAGE  # the exception's message is quoted short

    # The whole table of the leaker's hidden cases (far more than its feedback showed) ...
    submitted = nbformat.read(next((course / "submitted" / "b-leaker" / ASSIGNMENT).glob("*.ipynb")), as_version=4)
    table = table_of_answers(course, "b-leaker", submitted)
    # ... is right on those very cases: the leaker's own submission, regraded, draws them again.
    assert table_of_answers(course, "b-leaker", submitted) == table
    for student in ("d-friend", "b-leaker"):  # another student, and the leaker's next submission
        submit(course, student, ASSIGNMENT, with_function(solved_notebook(course, ASSIGNMENT), table))
    submit(course, "e-honest", ASSIGNMENT, solved_notebook(course, ASSIGNMENT))
    nbgrader_cli.run_checked(course, "autograde", ASSIGNMENT, "--force")
    for student in ("d-friend", "b-leaker"):
        score, top = scores_of(course, ASSIGNMENT, student)[FUNCTION]
        assert score == 0 < top, (student, score)
    for student in ("a-honest", "c-honest", "e-honest"):
        assert all(score == top for score, top in scores_of(course, ASSIGNMENT, student).values()), student
