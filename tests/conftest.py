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


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server of our own on 127.0.0.1 (Debian's package), with an empty database."""
    import shutil
    import subprocess
    import tempfile

    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not binaries:
        pytest.skip("PostgreSQL server is not installed: apt-get install postgresql (.ci/run installs it)")
    bindir = binaries[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="dnn-postgres-"))
    as_owner = []
    if os.geteuid() == 0:  # initdb refuses to run as root: use the postgres account the package created
        shutil.chown(folder, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"

    def run(*command):
        subprocess.run([*as_owner, *command], check=True, capture_output=True, text=True)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "grader", "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "gradebook")
        yield f"postgresql://grader@127.0.0.1:{port}/gradebook"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
