"""Hidden inputs come from the course's secret: unknown in advance, the same at every regrade."""

import stat

import numpy as np
import pytest
from conftest import REPO

from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine import secret
from dnn_grader.engine.sandbox import arrays_in, bwrap_available
from dnn_grader.evidence.scratch_course import copy_course, scores_of
from dnn_grader.evidence.simulate import solved_notebook, submit
from dnn_grader.specs import MISTAKES


def arrays_of(cases):
    """The arrays of the cases whose arguments are given as values (not built from the reference)."""
    return [array for case in cases if not callable(case.args) for array in arrays_in(case.args)]


def test_the_secret_is_created_once_private_and_kept(tmp_path):
    first = secret.course_secret(tmp_path)
    path = tmp_path / secret.FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret.course_secret(tmp_path) == first
    other = tmp_path / "other"
    other.mkdir()
    assert secret.course_secret(other) != first


def test_the_secret_is_never_committed_nor_released():
    assert "/.grading_secret" in (REPO / ".gitignore").read_text().splitlines()
    for folder in (REPO / "release").iterdir():
        assert not (folder / secret.FILE_NAME).exists()


@pytest.mark.parametrize("assignment", specs.known_assignments())
def test_hidden_inputs_depend_on_the_secret_and_on_nothing_else(assignment):
    for spec in specs.load(assignment):
        one = arrays_of(spec.cases(secret.generator(b"a" * 64, assignment, spec.name)))
        again = arrays_of(spec.cases(secret.generator(b"a" * 64, assignment, spec.name)))
        other = arrays_of(spec.cases(secret.generator(b"b" * 64, assignment, spec.name)))
        # the same secret draws the same cases (shapes included); a spec may draw its shapes from the secret too
        assert len(one) == len(again) and all(np.array_equal(a, b) for a, b in zip(one, again)), spec.name
        if one and any(a.size > 1 for a in one):
            assert not all(np.array_equal(a, b) for a, b in zip(one, other)), spec.name


@pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
def test_a_regrade_with_the_same_secret_gives_the_same_grades(tmp_path):
    course = copy_course(REPO, tmp_path / "course")
    assert nbgrader_cli.run(course, "generate_assignment", "step_by_step").returncode == 0
    mistake = next(v for v in MISTAKES if v.case_id == "linear_backward:db_no_keepdims")
    submit(course, "honest", "step_by_step", solved_notebook(course, "step_by_step"))
    submit(course, "mistaken", "step_by_step", solved_notebook(course, "step_by_step", mistake))
    grades = []
    for _ in range(2):
        result = nbgrader_cli.run(course, "autograde", "step_by_step", "--force")
        assert result.returncode == 0, result.stdout + result.stderr
        grades.append({student: scores_of(course, "step_by_step", student) for student in ("honest", "mistaken")})
    assert grades[0] == grades[1]
    assert (course / secret.FILE_NAME).exists()
    assert not list((course / "autograded").rglob(secret.FILE_NAME))
    score, top = grades[0]["mistaken"]["linear_backward"]
    assert score < top
