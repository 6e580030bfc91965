"""Shared fixtures: the repository, the course data, a scratch copy of the course."""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATASETS = REPO.parent / "shared" / "datasets"
COURSE_DATA_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("MPLBACKEND", "Agg")


def course_data_dir() -> Path | None:
    """Where the course's cat pictures are: $DNN_DATASETS, else ../shared/datasets; None if absent."""
    candidates = [Path(os.environ["DNN_DATASETS"])] if os.environ.get("DNN_DATASETS") else []
    candidates.append(SHARED_DATASETS)
    for folder in candidates:
        if all((folder / name).exists() for name in COURSE_DATA_FILES):
            return folder
    return None


@pytest.fixture(scope="session")
def cat_data() -> Path:
    folder = course_data_dir()
    if folder is None:
        pytest.skip("the course's cat data is absent: put train_catvnoncat.h5 and test_catvnoncat.h5 in "
                    "../shared/datasets or point DNN_DATASETS at them")
    return folder


@pytest.fixture(scope="session")
def scratch_course(tmp_path_factory) -> Path:
    """A copy of the course with its release generated, for nbgrader runs that must not touch the repo."""
    from dnn_grader import report

    return report.prepare(REPO, tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server of our own on 127.0.0.1 (Debian's package), with an empty database."""
    from dnn_grader import postgres_server

    if postgres_server.server_binaries() is None:
        pytest.skip("PostgreSQL server is not installed: apt-get install postgresql (.ci/run installs it)")
    with postgres_server.temporary_server() as url:
        yield url
