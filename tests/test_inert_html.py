"""A student's markdown never runs in the instructor's browser.

A hostile submission (the release notebook with markdown cells that would each run script or make the page fetch
from a local server, outputs and attachments of the same kind, and a student id that is markup) is autograded
through nbgrader for real, between two honest students. Chromium then opens its feedback HTML, its submission
view in formgrader and the class report: no script runs (no marker on the window, the title unchanged), no
request reaches the local server, and the honest content still renders (code cells, an image, the math's TeX).
"""

import base64
import io
import json
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pytest
from conftest import CHROMIUM, REPO, browser_page, chromium, formgrader_server
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.scratch_course import copy_course, scores_of
from dnn_grader.evidence.simulate import release_notebook_path, solved_notebook, submit

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e .[test]")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: apt-get install chromium"),
              pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed")]
ASSIGNMENT = "step_by_step"
HOSTILE = "<img src=x onerror=window.__pwned_student_id=1>"  # a folder name: no slash
HONEST = ("a-honest", "z-honest")  # graded before and after the hostile student
MATH = r"J = -\frac{1}{m} \sum_i y_i \log a_i"


class Beacon:
    """A local HTTP server that records every request; `url` is where the payloads point."""

    def __init__(self):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def payloads(beacon: str) -> list[str]:
    """Markdown cells each of which, rendered as written, runs script or makes the page request from `beacon`."""
    def js(name):
        return f"window.__pwned_{name}=1;document.title='pwned';fetch('{beacon}/{name}')"

    return [
        f"<script>{js('script')}</script>",
        f'<img src="x" onerror="{js("onerror")}">',
        f'<svg onload="{js("svg_onload")}"><script>{js("svg_script")}</script></svg>',
        f'<iframe src="{beacon}/iframe"></iframe>\n\n<iframe srcdoc="<script>parent.__pwned_srcdoc=1</script>"></iframe>',
        f'<meta http-equiv="refresh" content="0;url={beacon}/meta">',
        f'<object data="{beacon}/object"></object><embed src="{beacon}/embed">',
        f'<details open ontoggle="{js("ontoggle")}"><summary>s</summary></details>',
        (f"<style>body {{ background: url({beacon}/style) }}</style>\n\n"
         f'<p style="background: url({beacon}/inline_style)">styled</p>'),
        f'<link rel="stylesheet" href="{beacon}/link"><base href="{beacon}/base/">',
        f'<img src="{beacon}/remote_image"> ![remote]({beacon}/markdown_image)',
        f"[markdown link](javascript:{js('markdown_link')}) <a href=\"javascript:{js('raw_link')}\">raw link</a>",
        f'<form action="{beacon}/form"><input autofocus onfocus="{js("onfocus")}"></form>',
        f'<math><mtext><table><mglyph><style><img src=x onerror="{js("mutation")}">',
    ]


def png_base64() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def script_svg(beacon: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned_svg_output=1">'
            f"<script>window.__pwned_svg_script_output=1;fetch('{beacon}/svg_output')</script></svg>")


def hostile_notebook(course: Path, beacon: str) -> nbformat.NotebookNode:
    """The release notebook (nothing written), with honest notes and the payloads as markdown cells, script
    outputs in a code cell of its own, and attachments of script types."""
    notebook = solved_notebook(course, ASSIGNMENT, blank=True)
    honest = new_markdown_cell(f"## My notes\n\nThe cost is ${MATH}$.\n\n![a red dot](data:image/png;base64,"
                               f"{png_base64()})\n\n[the course](https://example.org/course)")
    attached = new_markdown_cell("![svg](attachment:evil.svg) ![html](attachment:evil.html)")
    attached.attachments = {
        "evil.svg": {"image/svg+xml": base64.b64encode(script_svg(beacon).encode()).decode()},
        "evil.html": {"text/html": base64.b64encode(b"<script>parent.__pwned_attachment=1</script>").decode()}}
    outputs = new_code_cell("1 + 1", outputs=[new_output("display_data", data={
        "text/html": "<script>window.__pwned_html_output=1</script>", "image/svg+xml": script_svg(beacon),
        "application/javascript": "window.__pwned_js_output=1", "text/plain": "2"})])
    notebook.cells[1:1] = [honest, *map(new_markdown_cell, payloads(beacon)), attached, outputs]
    return notebook


@pytest.fixture(scope="module")
def beacon():
    server = Beacon()
    yield server
    server.server.shutdown()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, beacon):
    """A course where the honest students and the hostile one are autograded and have feedback."""
    course = copy_course(REPO, tmp_path_factory.mktemp("inert") / "course")
    nbgrader_cli.run_checked(course, "generate_assignment", ASSIGNMENT)
    submit(course, HONEST[0], ASSIGNMENT, solved_notebook(course, ASSIGNMENT))
    submit(course, HOSTILE, ASSIGNMENT, hostile_notebook(course, beacon.url))
    submit(course, HONEST[1], ASSIGNMENT, solved_notebook(course, ASSIGNMENT))
    nbgrader_cli.run_checked(course, "autograde", ASSIGNMENT)
    nbgrader_cli.run_checked(course, "generate_feedback", ASSIGNMENT)
    for student in HONEST:
        scores = scores_of(course, ASSIGNMENT, student)
        assert all(score == top > 0 for score, top in scores.values()), (student, scores)
    return course


@pytest.fixture(scope="module")
def browser():
    with chromium() as opened:
        yield opened


@pytest.fixture
def page(browser):
    with browser_page(browser, 1300, 900) as opened:
        yield opened


def open_page(page, url: str, beacon: Beacon) -> None:
    beacon.hits.clear()  # what the beacon records from here on comes from this page
    page.goto(url)
    page.wait_for_load_state("networkidle")


def assert_inert(page, url: str, beacon: Beacon) -> None:
    """No script of the student's ran on the page at `url`, nothing reached the beacon, the page stayed."""
    markers = page.evaluate("() => Object.keys(window).filter(key => key.startsWith('__pwned'))")
    assert markers == [], f"student script ran: {markers}"
    assert page.title() != "pwned"
    assert page.url == url, "the page navigated away"
    assert beacon.hits == [], f"the page made requests to the student's server: {beacon.hits}"
    assert page.locator("[href^='javascript:' i], [src^='javascript:' i]").count() == 0


def assert_honest_content_renders(page) -> None:
    image = page.locator("img[alt='a red dot']")
    assert image.count() == 1 and image.evaluate("img => img.complete && img.naturalWidth") == 8
    text = page.evaluate("() => document.body.textContent")
    has_math = r"\frac{1}{m}" in text or page.locator(".MathJax, mjx-container").count() > 0
    assert has_math, "the TeX of the student's math is gone"
    assert page.locator("a[href='https://example.org/course']").count() == 1
    assert "def initialize_parameters(n_x, n_h, n_y):" in "".join(page.locator(".input_area").all_text_contents())
    assert "<script>" in text, "the payloads should show as text"


def test_the_feedback_html_shows_the_students_content_inert(graded, beacon, page):
    feedback = list((graded / "feedback" / HOSTILE / ASSIGNMENT).glob("*.html"))
    assert len(feedback) == 1
    url = feedback[0].as_uri()
    open_page(page, url, beacon)
    assert_inert(page, url, beacon)
    assert_honest_content_renders(page)


def test_formgraders_submission_view_shows_the_students_content_inert(graded, beacon, page):
    with formgrader_server(graded) as (base, token):
        api = f"{base}/formgrader/api/submitted_notebooks/{ASSIGNMENT}/{release_notebook_path(graded, ASSIGNMENT).stem}"
        request = urllib.request.Request(api, headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            submissions = {s["student"]: s["id"] for s in json.load(response)}
        assert set(submissions) == {HOSTILE, *HONEST}
        url = f"{base}/formgrader/submissions/{submissions[HOSTILE]}/?token={token}"
        open_page(page, url, beacon)
        assert_inert(page, url, beacon)
        assert_honest_content_renders(page)
        assert page.locator("a.name-shown").text_content().strip() == HOSTILE  # the id, shown as text


def test_the_class_report_shows_a_hostile_student_id_as_text(graded, beacon, page):
    result = subprocess.run([str(Path(sys.executable).with_name("dnn-grader")), "report", ASSIGNMENT,
                             "--formgrader-url", "http://127.0.0.1:9"],
                            cwd=graded, capture_output=True, text=True, env=nbgrader_cli.environment())
    assert result.returncode == 0, result.stdout + result.stderr
    url = (graded / "reports" / ASSIGNMENT / "index.html").as_uri()
    open_page(page, url, beacon)
    assert_inert(page, url, beacon)
    assert HOSTILE in page.locator("#help-table").inner_text()  # the blank hostile submission needs help
    # nbgrader 0.9's own page of a student prints the id raw inside a script: the report does not link there.
    assert page.locator("#help-table a[href*='manage_students']").count() == 0


def test_zip_collect_takes_no_student_id_that_is_markup():
    """Formgrader's student page prints an id unescaped in a script: the LMS file names must not bring one."""
    import re

    from traitlets.config import Config

    config = Config()
    exec(compile((REPO / "nbgrader_config.py").read_text(), "nbgrader_config.py", "exec"),
         {"get_config": lambda: config, "__file__": str(REPO / "nbgrader_config.py")})
    pattern = re.compile(config.FileNameCollectorPlugin.named_regexp)
    assert pattern.match("archive/s1024_20261212T083000_Notebook.ipynb")["student_id"] == "s1024"
    assert pattern.match("archive/ada.lovelace@uni.edu_Notebook.ipynb")["student_id"] == "ada.lovelace@uni.edu"
    assert pattern.match("archive/<img src=x onerror=alert(1)>_Notebook.ipynb") is None
