"""A name the course does not know stops a command with a non-zero status and lists the names it knows."""

import tempfile

import pytest
from conftest import REPO

from dnn_grader import course as course_folder
from dnn_grader.commands import cli, parallel, report
from dnn_grader.evidence import catalogue
from dnn_grader.evidence.scratch_course import copy_course

ASSIGNMENTS = course_folder.names(REPO)


@pytest.fixture
def course(tmp_path):
    """A fresh clone's course folder: source/ and the configuration, no gradebook yet."""
    return copy_course(REPO, tmp_path / "course", extra_config="")


def test_dnn_grader_alone_lists_its_commands(capsys):
    assert cli.main([]) == 2
    listed = capsys.readouterr().err
    for command in ("autograde", "report", "catalogue", "benchmark"):
        assert f"dnn-grader {command}" in listed
    assert cli.main(["benchmark"]) == 2
    listed = capsys.readouterr().err
    assert all(what in listed for what in ("training", "autograde", "class"))


def test_an_unknown_benchmark_lists_the_benchmarks(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["benchmark", "nosuch"])
    assert stopped.value.code == 2
    assert "'training', 'autograde', 'class'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [parallel.main, report.main])
def test_an_unknown_assignment_lists_the_courses_assignments(command, course, capsys):
    assert command(["nosuchassignment", "--course-root", str(course)]) == 2
    said = capsys.readouterr()
    assert "No assignment 'nosuchassignment'" in said.err and all(name in said.err for name in ASSIGNMENTS)
    assert "Graded 0 of 0" not in said.out
    assert not (course / "gradebook.db").exists(), "asking must not create a gradebook"


def test_an_assignment_with_nothing_submitted_is_not_graded_0_of_0(course, capsys):
    assert parallel.main(["step_by_step", "--course-root", str(course)]) == 1
    said = capsys.readouterr()
    assert "No submission of step_by_step" in said.err and "Graded" not in said.out


def test_an_unknown_catalogue_case_lists_the_cases_and_leaves_no_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert catalogue.main(["--only", "nosuchcase"]) == 2
    said = capsys.readouterr().err
    assert "No catalogued case id contains 'nosuchcase'" in said and "step_by_step:reference" in said
    assert list(tmp_path.iterdir()) == []
