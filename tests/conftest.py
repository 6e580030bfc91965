"""Shared fixtures: the repository, the course data, a scratch copy of the course, a Jupyter server."""

import contextlib
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
# dnn_app_utils is released with the application only: it lives in source/application, not at the top level.
APPLICATION_FOLDER = REPO / "source" / "application"
if str(APPLICATION_FOLDER) not in sys.path:
    sys.path.insert(sys.path.index(str(REPO)) + 1, str(APPLICATION_FOLDER))
os.environ.setdefault("MPLBACKEND", "Agg")
# Debian's Chromium, driven by Playwright; without the background-networking flags it keeps calling out.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


def course_data_dir() -> Path | None:
    """Where the course's cat pictures are, by the notebooks' own rule (dnn_utils.find_data_dir), from the repo."""
    import dnn_utils

    return dnn_utils.find_data_dir(REPO)


@pytest.fixture(scope="session")
def cat_data() -> Path:
    folder = course_data_dir()
    if folder is None:
        pytest.skip("the course's cat data is absent: put train_catvnoncat.h5 and test_catvnoncat.h5 in datasets/ "
                    "(in the course folder, or shared/datasets/ above it) or point DNN_DATASETS at them")
    return folder


@pytest.fixture(scope="session")
def scratch_course(tmp_path_factory) -> Path:
    """A copy of the course with its release generated, for nbgrader runs that must not touch the repo."""
    from dnn_grader.evidence import catalogue

    return catalogue.prepare(REPO, tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server of our own on 127.0.0.1 (Debian's package), with an empty database."""
    from dnn_grader.evidence import postgres_server

    if postgres_server.server_binaries() is None:
        pytest.skip("PostgreSQL server is not installed: apt-get install postgresql (.ci/run installs it)")
    with postgres_server.temporary_server() as url:
        yield url


@contextlib.contextmanager
def jupyter_server(app: str, root: Path, *options: str, env: dict | None = None, log: Path, seconds: float = 120):
    """`jupyter <app>` ("server" or "lab") on 127.0.0.1 in `root`, with a random token; yields (base URL, token).

    Its output goes to `log`, shown when it does not come up in `seconds`; it is stopped on the way out.
    """
    from dnn_grader.evidence.postgres_server import free_port

    token, port = secrets.token_hex(16), free_port()
    command = [str(Path(sys.executable).with_name("jupyter")), app, "--no-browser", "--allow-root", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", *options]
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as output:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + seconds
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"jupyter {app} did not start:\n{log.read_text()[-3000:]}") from None
                    time.sleep(0.5)
            yield url, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextlib.contextmanager
def formgrader_server(course: Path):
    """A Jupyter server with nbgrader's formgrader in `course`; yields (base URL, token), e.g. for a browser."""
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(course / ".jupyter")}
    with jupyter_server("server", course, env=env, log=course / "jupyter-server.log") as (url, token):
        yield url, token


@contextlib.contextmanager
def formgrader(course: Path):
    """A Jupyter server with nbgrader's formgrader in `course`; yields get(path) -> the page's text, authorised."""
    with formgrader_server(course) as (url, token):
        def get(path: str) -> str:
            request = urllib.request.Request(f"{url}{path}", headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.read().decode()

        yield get


@contextlib.contextmanager
def chromium():
    """A headless Chromium (Playwright's Browser), closed on the way out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def browser_page(browser, width: int, height: int):
    """A page of its own (a fresh context) of `width` x `height` pixels, with a 60 s timeout."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()


def released_course(tmp_path: Path, assignment: str) -> Path:
    """A scratch copy of the course (the catalogue's test limits) with `assignment` generated."""
    from dnn_grader.commands import nbgrader_cli
    from dnn_grader.evidence.scratch_course import copy_course

    course = copy_course(REPO, tmp_path / "course")
    assert nbgrader_cli.run(course, "generate_assignment", assignment).returncode == 0
    return course
