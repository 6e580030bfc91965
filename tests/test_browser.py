"""The student's JupyterLab, in a real browser: Debian's Chromium driven by Playwright.

A JupyterLab server (with nbgrader's extensions, as the README's setup installs them) is started on
localhost in a scratch folder holding the student release. The tests fill in a function, run the cells,
read what the public tests print, train the networks of assignment 2, and press nbgrader's Validate
button, saving screenshots that a person can look at in tests/screenshots/ (or $DNN_SCREENSHOTS).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import CHROMIUM, REPO, browser_page, chromium, course_data_dir, jupyter_server

from dnn_grader.evidence.simulate import release_notebook_path, solved_notebook

JUPYTER = Path(sys.executable).with_name("jupyter")
SCREENSHOTS = Path(os.environ.get("DNN_SCREENSHOTS", REPO / "tests" / "screenshots"))
STEP, APP, IMPROVING = "step_by_step", "application", "improving"
LAB_SETTINGS = {  # no news pop-ups; every cell rendered, so that the tests can find them on the page
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                       "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e .[test]")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "Chromium is not installed: apt-get install chromium (.ci/run installs it)"))]


def student_workspace(folder: Path) -> Path:
    """What students have: the release folders; plus finished copies of the notebooks, for the runs."""
    for assignment in (STEP, APP, IMPROVING):
        shutil.copytree(REPO / "release" / assignment, folder / assignment)
        shutil.copytree(REPO / "release" / assignment, folder / f"{assignment}_finished")
        nbformat.write(solved_notebook(REPO, assignment),
                       folder / f"{assignment}_finished" / release_notebook_path(REPO, assignment).name)
    settings = folder.parent / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 in a scratch student folder; yields its URL, token, folder and environment."""
    root = student_workspace(tmp_path_factory.mktemp("browser") / "student")
    # Fresh user folders (no ~/.jupyter of whoever runs the tests); the kernel draws inline, not with Agg.
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root.parent / "jupyter-config"),
           "JUPYTERLAB_SETTINGS_DIR": str(root.parent / "lab-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root.parent / "lab-workspaces"),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    data = course_data_dir()
    if data is not None:
        env["DNN_DATASETS"] = str(data)
    with jupyter_server("lab", root, "--LabApp.expose_app_in_browser=True", env=env,  # window.jupyterapp
                        log=root.parent / "jupyterlab.log") as (url, token):
        yield {"url": url, "token": token, "root": root, "env": env}


@pytest.fixture(scope="module")
def browser():
    with chromium() as opened:
        yield opened


@pytest.fixture
def page(browser):
    with browser_page(browser, 1400, 1000) as opened:
        yield opened


# ---------------------------------------------------------------- driving JupyterLab


def open_notebook(page, lab, path: str):
    page.goto(f"{lab['url']}/lab/tree/{path}?token={lab['token']}&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="visible")
    page.wait_for_function("() => { const w = window.jupyterapp.shell.currentWidget;"
                           " return w && w.sessionContext && w.sessionContext.session"
                           " && w.sessionContext.session.kernel"
                           " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=120_000)
    # The file browser closed: the notebook takes the window's whole width, as in the screenshots.
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")


def cell_index(page, marker: str) -> int:
    """The index of the first cell whose source contains `marker`."""
    index = page.evaluate("(marker) => window.jupyterapp.shell.currentWidget.content.widgets"
                          ".findIndex(c => c.model.sharedModel.getSource().includes(marker))", marker)
    assert index >= 0, f"no cell contains {marker!r}"
    return index


def cell(page, index: int):
    return page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)


def cell_source(page, index: int) -> str:
    return page.evaluate("(i) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                         ".model.sharedModel.getSource()", index)


def type_into_cell(page, index: int, text: str) -> None:
    """Click into the cell's editor, select everything and put `text` there, as a paste would.
    (Typing key by key would let the editor's auto-indent and closing brackets rewrite the code.)"""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")
    assert cell_source(page, index) == text, "the editor changed the code while it was put in"


def run_cells(page, first: int, last: int) -> None:
    """Run cells first..last with Shift+Enter, each after the one before has finished, as a student would:
    an error in one cell then does not cancel the next (the kernel drops requests queued behind an error)."""
    cell(page, first).locator(".jp-InputPrompt").click()
    for index in range(first, last + 1):
        page.keyboard.press("Shift+Enter")
        wait_until_idle(page, index)


def wait_until_idle(page, index: int, timeout: float = 300_000) -> None:
    """Wait until cell `index` has run (its prompt shows a number) and the kernel is idle."""
    page.wait_for_function(
        "(i) => { const w = window.jupyterapp.shell.currentWidget; const c = w.content.widgets[i];"
        " return c.model.executionCount !== null && w.sessionContext.session.kernel.status === 'idle'; }",
        arg=index, timeout=timeout)


def run_all(page, timeout: float = 900_000) -> None:
    """Run the whole notebook; wait until its last code cell has run, or a cell failed (which stops the run)."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const code = w.content.widgets.filter(c => c.model.type === 'code');"
        " const failed = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));"
        " return (failed || code[code.length - 1].model.executionCount !== null)"
        " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=timeout)


def run_finished(page, lab, assignment: str) -> None:
    """Open the finished copy of the assignment's notebook, run it all, and fail naming each cell that raised."""
    open_notebook(page, lab, f"{assignment}_finished/{release_notebook_path(REPO, assignment).name}")
    run_all(page)
    errors = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.widgets.flatMap((c, i) => c.model.type !== 'code' ? []"
        " : c.model.outputs.toJSON().filter(o => o.output_type === 'error').map(o => `cell ${i}: ${o.evalue}`))")
    assert not errors, f"the finished {assignment} notebook failed: {errors}"


def output_text(page, index: int) -> str:
    return cell(page, index).locator(".jp-OutputArea").inner_text()


def screenshot(locator, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.scroll_into_view_if_needed()
    path = SCREENSHOTS / name
    locator.screenshot(path=str(path))
    assert path.stat().st_size > 5_000, f"{name} looks empty"
    return path


def solution_of(assignment: str, grade_id: str) -> str:
    """The instructor's code for one function, as a student would write it (without nbgrader's markers)."""
    finished = solved_notebook(REPO, assignment)
    source = next(c.source for c in finished.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "\n".join(line for line in source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


# ---------------------------------------------------------------- the tests


def test_a_correct_function_passes_its_public_test_and_an_unfinished_one_says_so(page, lab):
    notebook = release_notebook_path(REPO, STEP).name
    open_notebook(page, lab, f"{STEP}/{notebook}")
    solution, check = cell_index(page, "def linear_forward("), cell_index(page, "checks.linear_forward_test")
    type_into_cell(page, solution, solution_of(STEP, "linear_forward"))
    run_cells(page, 0, check)

    passed = output_text(page, check)
    assert "linear_forward: all" in passed and "public checks passed" in passed, passed
    screenshot(cell(page, solution), "step_by_step_linear_forward_written.png")
    screenshot(cell(page, check), "step_by_step_public_test_passed.png")

    unfinished = cell_index(page, "checks.initialize_parameters_test")
    message = output_text(page, unfinished)
    assert "initialize_parameters is not written yet" in message, message
    assert "Traceback" not in message and len(message.splitlines()) <= 4, message
    screenshot(cell(page, unfinished), "step_by_step_unfinished_function.png")


def test_the_application_trains_and_shows_its_data_and_cost_curves(page, lab):
    run_finished(page, lab, APP)

    counts, examples = cell_index(page, "plot_class_counts("), cell_index(page, "show_examples(")
    two_layer = cell_index(page, "two_layer_model(train_x, train_y, layers_dims=(n_x, n_h, n_y), num_iterations=2500")
    deep = cell_index(page, "L_layer_model(train_x, train_y, layers_dims, num_iterations=2500")
    for index in (counts, examples, two_layer, deep):
        assert cell(page, index).locator(".jp-OutputArea img").count() == 1, f"cell {index} shows no figure"
    training, deep_training = output_text(page, two_layer), output_text(page, deep)
    assert "Cost after iteration 0:" in training and "Cost after iteration 2499:" in training, training
    assert "Cost after iteration 2499:" in deep_training, deep_training
    if course_data_dir() is not None:  # the course's published figures (README, "Figures")
        assert "Cost after iteration 2499: 0.0442149821586" in training, training
        assert "Cost after iteration 2499: 0.08843994344" in deep_training, deep_training
    screenshot(cell(page, counts), "application_class_counts.png")
    screenshot(cell(page, examples), "application_data_grid.png")
    screenshot(cell(page, two_layer).locator(".jp-OutputArea img"), "application_cost_curve_two_layer.png")
    screenshot(cell(page, deep).locator(".jp-OutputArea img"), "application_cost_curve_L_layer.png")

    # Sections 6 to 8: the analysis prints the run's numbers; the sample picture goes file -> resize -> prediction.
    mislabeled, analysis = cell_index(page, "print_mislabeled_images("), cell_index(page, "cats_missed = ")
    own, comparison = cell_index(page, 'my_image = "images/sample_cat.png"'), cell_index(page, "only_four = ")
    for index in (mislabeled, own):
        assert cell(page, index).locator(".jp-OutputArea img").count() == 1, f"cell {index} shows no figure"
    numbers = output_text(page, analysis)
    assert 'always say "cat"' in numbers and "standard error of the test accuracy" in numbers, numbers
    if course_data_dir() is not None:  # the analysis quoted in the notebook (tests/test_results_analysis.py)
        assert "test accuracy: 0.80 (40 of 50)" in numbers and 'always say "cat": 0.66' in numbers, numbers
        assert "images/sample_cat.png: 256 x 256 pixels, resized to 64 x 64" in output_text(page, own)
    screenshot(cell(page, mislabeled).locator(".jp-OutputArea img"), "application_mislabeled.png")
    screenshot(cell(page, analysis).locator(".jp-OutputArea"), "application_results_analysis.png")
    screenshot(cell(page, own).locator(".jp-OutputArea"), "application_own_picture.png")
    screenshot(cell(page, comparison).locator(".jp-OutputArea"), "application_comparison.png")


def test_improving_shows_the_three_starts_the_three_runs_and_the_gradient_check(page, lab):
    """The finished third notebook, run in JupyterLab: decision boundaries of zeros, x10 and He, the cost curves and
    accuracies of none / L2 / dropout on the cat pictures, and the gradient check finding the planted bug."""
    run_finished(page, lab, IMPROVING)

    points, boundaries = cell_index(page, "plt.title(\"The training points\")"), cell_index(page, "plot_decision_boundary(")
    runs = cell_index(page, "plot_cost_curves(")
    for index in (points, boundaries, runs):
        assert cell(page, index).locator(".jp-OutputArea img").count() == 1, f"cell {index} shows no figure"
    table, reading = output_text(page, cell_index(page, 'cat_runs["dropout, keep_prob = 0.8"] = model(')), output_text(page, runs)
    assert "test pictures right" in table and "points of accuracy" in reading, (table, reading)
    if course_data_dir() is not None:  # the README's figures (tests/test_improving_notebook.py)
        assert re.search(r"dropout, keep_prob = 0.8\s+0.990\s+0.780\s+39 of 50", table), table
        assert "cannot tell the three apart" in reading, reading
    found = output_text(page, cell_index(page, "X_check = "))
    assert "There is a mistake in the backward propagation!" in found, found
    screenshot(cell(page, boundaries).locator(".jp-OutputArea img"), "improving_decision_boundaries.png")
    screenshot(cell(page, runs).locator(".jp-OutputArea"), "improving_three_runs.png")


@pytest.mark.parametrize(("assignment", "images"), [
    (STEP, ["network_flow.svg", "layer_shapes.svg", "layer_backward.svg"]), (APP, ["architectures.svg"])])
def test_the_teaching_figures_show_whole_in_the_notebook(page, lab, assignment, images):
    """Each figure of the assignment's instructor/figures.py loads, and the notebook shows it at its own size."""
    open_notebook(page, lab, f"{assignment}/{release_notebook_path(REPO, assignment).name}")
    for name in images:
        image = page.locator(f'.jp-NotebookPanel:visible .jp-RenderedMarkdown img[src*="{name}"]')
        image.first.wait_for(state="attached")
        assert image.count() == 1, f"{name} is not in the notebook"
        image.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        shown, natural = image.evaluate("(img) => [img.getBoundingClientRect().width, img.naturalWidth]")
        assert shown >= 0.95 * natural, f"{name} is shown {shown:.0f} px wide, drawn {natural} px wide"
        screenshot(image, f"{assignment}_figure_{name.removesuffix('.svg')}.png")


def test_nbgraders_extensions_are_enabled_in_this_jupyterlab(lab):
    """What the README's setup installs: nbgrader's JupyterLab extension and its validate server extension."""
    def listing(*command):
        done = subprocess.run([str(JUPYTER), *command], env={**lab["env"], "NO_COLOR": "1"}, capture_output=True,
                              text=True, timeout=120)
        return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)

    labextensions = listing("labextension", "list")
    assert re.search(r"@jupyter/nbgrader v0\.9\.\d+ enabled OK", labextensions), labextensions
    server_extensions = listing("server", "extension", "list")
    assert re.search(r"nbgrader\.server_extensions\.validate_assignment enabled", server_extensions), server_extensions


@pytest.mark.parametrize(("folder", "expected", "name"), [
    (STEP, "failed", "validate_release_notebook.png"),
    (f"{STEP}_finished", "Success! Your notebook passes all the tests.", "validate_finished_notebook.png"),
], ids=["release", "finished"])
def test_nbgraders_validate_button(page, lab, folder, expected, name):
    open_notebook(page, lab, f"{folder}/{release_notebook_path(REPO, STEP).name}")
    page.locator(".jp-NotebookPanel:visible .jp-Toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog-content")
    dialog.wait_for(state="visible", timeout=300_000)
    page.wait_for_function("(text) => document.querySelector('.jp-Dialog-content').innerText.includes(text)",
                           arg=expected, timeout=300_000)
    screenshot(dialog, name)
    if folder == STEP:
        assert "NotImplementedError" in dialog.inner_text() or "not written yet" in dialog.inner_text()
