"""One rule for where the course data lives, the same for the notebooks (dnn_utils) and the tests (conftest)."""

import conftest
import pytest

import dnn_utils


def data_folder(path):
    path.mkdir(parents=True)
    for name in (dnn_utils.TRAIN_FILE, dnn_utils.TEST_FILE):
        (path / name).write_bytes(b"")  # only their presence counts here
    return path


@pytest.fixture
def course(tmp_path, monkeypatch):
    monkeypatch.delenv(dnn_utils.DATASETS_ENV_VAR, raising=False)
    course = tmp_path / "clone"
    (course / "release" / "step_by_step").mkdir(parents=True)
    return course


def test_a_notebook_in_the_release_finds_the_course_folders_datasets(course, monkeypatch):
    data = data_folder(course / "datasets")
    monkeypatch.chdir(course / "release" / "step_by_step")
    assert dnn_utils.find_data_dir() == data


def test_a_data_folder_shared_beside_the_clone_is_found(course):
    shared = data_folder(course.parent / "shared" / "datasets")
    assert dnn_utils.find_data_dir(course) == shared


def test_the_nearest_folder_wins_and_dnn_datasets_comes_first(course, tmp_path, monkeypatch):
    data_folder(course.parent / "shared" / "datasets")
    own = data_folder(course / "datasets")
    assert dnn_utils.find_data_dir(course / "release" / "step_by_step") == own
    elsewhere = data_folder(tmp_path / "elsewhere")
    monkeypatch.setenv(dnn_utils.DATASETS_ENV_VAR, str(elsewhere))
    assert dnn_utils.find_data_dir(course) == elsewhere


def test_the_tests_look_where_the_notebooks_look(course, monkeypatch):
    monkeypatch.setattr(conftest, "REPO", course)
    data = data_folder(course / "datasets")
    assert conftest.course_data_dir() == data
