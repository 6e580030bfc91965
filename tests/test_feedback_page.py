"""The feedback page as a student opens it (a file, offline), and the autograde that precedes it, without noise.

A fresh course grades an honest submission and one with a classic mistake through nbgrader; autograde and
generate_feedback print no warning (SQLAlchemy's about nbgrader's new submissions, traitlets' about
ClearHiddenTests' display_data_priority). Chromium opens the mistaken student's feedback with every request
outside the file system refused: the math is typeset by the MathJax copy in feedback/_mathjax (no TeX shows as
written), every test is named after its function, and no bare partial-credit number (`Out[ ]: 0.0`) shows.
Leaves tests/screenshots/feedback.png.
"""

import os
import re
from pathlib import Path

import pytest
from conftest import CHROMIUM, REPO, browser_page, chromium, released_course

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.evidence.simulate import solved_notebook, submit
from dnn_grader.specs import MISTAKES

pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")
ASSIGNMENT = "step_by_step"
SCREENSHOTS = Path(os.environ.get("DNN_SCREENSHOTS", REPO / "tests" / "screenshots"))
FUNCTIONS = ["initialize_parameters", "initialize_parameters_deep", "linear_forward", "linear_activation_forward",
             "L_model_forward", "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
             "update_parameters"]
NOISE = re.compile(r"SAWarning|not recognized by|\| WARNING\]|Warning:")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(course, autograde's output, generate_feedback's output) for an honest and a mistaken student."""
    course = released_course(tmp_path_factory.mktemp("feedback"), ASSIGNMENT)
    mistake = next(v for v in MISTAKES if v.case_id == "linear_backward:no_mean_dW")
    submit(course, "honest", ASSIGNMENT, solved_notebook(course, ASSIGNMENT))
    submit(course, "mistaken", ASSIGNMENT, solved_notebook(course, ASSIGNMENT, mistake))
    autograde = nbgrader_cli.run_checked(course, "autograde", ASSIGNMENT)
    feedback = nbgrader_cli.run_checked(course, "generate_feedback", ASSIGNMENT)
    return course, autograde.stdout + autograde.stderr, feedback.stdout + feedback.stderr


def test_autograde_and_feedback_of_a_fresh_class_print_no_warning(graded):
    _, autograde, feedback = graded
    assert "Autograding" in autograde and "Converting notebook" in feedback
    assert NOISE.findall(autograde) == [], autograde[-3000:]
    assert NOISE.findall(feedback) == [], feedback[-3000:]


def test_the_feedback_names_each_function_and_drops_the_bare_score(graded):
    course, _, _ = graded
    page = next((course / "feedback" / "mistaken" / ASSIGNMENT).glob("*.html")).read_text()
    assert "Test cell" not in page and "Grade cell: <code>test_" not in page
    for function in FUNCTIONS:
        assert f'<a href="#test_{function}">Test of <code>{function}</code></a>' in page, function
    assert "output_execute_result" not in page
    assert "Score: 0 of 3 points" in page  # the points stay, in words


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: apt-get install chromium")
def test_the_math_renders_offline_from_the_local_copy(graded):
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    course, _, _ = graded
    path = next((course / "feedback" / "mistaken" / ASSIGNMENT).glob("*.html"))
    refused = []

    def offline(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser, browser_page(browser, 1200, 900) as page:
        page.route("**/*", offline)
        page.goto(path.as_uri())
        page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.isReady "
                               "&& MathJax.Hub.queue.pending === 0 && document.querySelectorAll('.MathJax').length > 0")
        page.wait_for_timeout(500)
        text = page.inner_text("body")
        assert refused == [], f"the page asked the network for {refused}"
        assert page.locator(".MathJax, .MathJax_Display").count() > 20
        for tex in (r"\frac{1}{m}", "$A^{[l]}", "$$", "\\partial"):
            assert tex not in text, f"raw TeX on the page: {tex}"
        toc = page.inner_text("#toc")
        assert all(f"Test of {function}" in toc for function in FUNCTIONS) and "Test cell" not in toc
        assert "Out[" not in text
        page.locator("a[name='test_linear_backward']").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "feedback.png"))
