"""What assignment 1 hands out, and what its feedback contains, holds none of its answers.

The graded functions are the grade_ids of the solution cells of source/step_by_step's notebook. No file of
release/step_by_step/, and none of a feedback folder that nbgrader generates, may define one of them with
`def` (found with `ast`), except the notebook's own stubs, whose body is `raise NotImplementedError()`.
checks.py, public_tests.py and testCases.py also hold no function that computes a graded function's answer.
"""

import ast
import contextlib
import copy
import html
import importlib.util
import io
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from conftest import REPO

import testCases
from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.references import notebook_path, reference_namespace
from dnn_grader.engine.sandbox import bwrap_available
from dnn_grader.engine.sandbox_modules import sandbox_modules
from dnn_grader.evidence import catalogue
from dnn_grader.evidence.simulate import solved_notebook, submit

ASSIGNMENT = "step_by_step"
STUDENT = "handout-check"


def graded_functions() -> set[str]:
    """The grade_ids of the solution cells of assignment 1's instructor notebook."""
    notebook = nbformat.read(notebook_path(REPO, ASSIGNMENT), as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")}


GRADED = graded_functions()


def is_stub(function: ast.FunctionDef) -> bool:
    """True if the function raises NotImplementedError (what nbgrader leaves of a solution)."""
    return any(isinstance(node, ast.Raise) and "NotImplementedError" in ast.unparse(node.exc or node)
               for node in ast.walk(function))


def answers_in_code(code: str, stubs_allowed: bool) -> list[str]:
    """Names of graded functions that `code` defines with a body (stubs allowed or not)."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    tree = ast.parse(code)
    return [node.name for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in GRADED
            and not (stubs_allowed and is_stub(node))]


def code_blocks_of_html(text: str) -> list[str]:
    """The code of each highlighted input block of an nbconvert HTML page."""
    blocks = re.findall(r'<div class="highlight[^"]*">\s*<pre>(.*?)</pre>', text, flags=re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


def answers_in_file(path: Path) -> list[str]:
    """'file: function' for each graded function the file defines with an answer."""
    if path.suffix == ".py":
        found = answers_in_code(path.read_text(), stubs_allowed=False)
    elif path.suffix == ".ipynb":
        cells = nbformat.read(path, as_version=4).cells
        found = [name for cell in cells if cell.cell_type == "code"
                 for name in answers_in_code(cell.source, stubs_allowed=True)]
    elif path.suffix == ".html":
        found = []
        blocks = code_blocks_of_html(path.read_text())
        assert blocks, f"{path.name}: no code blocks found (has nbconvert's HTML changed?)"
        for block in blocks:
            try:
                found += answers_in_code(block, stubs_allowed=True)
            except SyntaxError:  # not Python: then it must not even mention a definition
                found += [name for name in GRADED if re.search(rf"\bdef\s+{name}\s*\(", block)]
    else:
        assert path.suffix in (".svg", ".png"), f"{path.name}: a kind of file this test does not know how to read"
        found = [name for name in GRADED if re.search(rf"\bdef\s+{name}\s*\(", path.read_text(errors="replace"))]
    return [f"{path.name}: {name}" for name in found]


def files_below(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


# ---------------------------------------------------------------- the detector itself


def test_the_graded_functions_come_from_the_notebook():
    assert len(GRADED) == 10 and {"linear_forward", "L_model_backward", "update_parameters"} <= GRADED


def test_the_detector_finds_an_answer_and_lets_a_stub_pass(tmp_path):
    answer = tmp_path / "helpers.py"
    answer.write_text("import numpy as np\n\n\nclass Net:\n    def linear_forward(self, A, W, b):\n"
                      "        return np.dot(W, A) + b\n")
    assert answers_in_file(answer) == ["helpers.py: linear_forward"]
    stub = "def linear_forward(A, W, b):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    assert answers_in_code(stub, stubs_allowed=True) == []
    assert answers_in_code(stub, stubs_allowed=False) == ["linear_forward"]
    page = tmp_path / "feedback.html"
    page.write_text('<div class="highlight hl-ipython3"><pre><span></span><span class="k">def</span> '
                    '<span class="nf">compute_cost</span>(AL, Y):\n    <span class="k">return</span> 0\n</pre></div>')
    assert answers_in_file(page) == ["feedback.html: compute_cost"]


# ---------------------------------------------------------------- the release


def test_no_file_of_the_release_defines_a_graded_function():
    files = files_below(REPO / "release" / ASSIGNMENT)
    assert any(path.suffix == ".ipynb" for path in files) and any(path.name == "dnn_utils.py" for path in files)
    assert [answer for path in files for answer in answers_in_file(path)] == []


def test_the_sandbox_gets_the_assignments_own_modules_uncut():
    modules = sandbox_modules(str(REPO), ASSIGNMENT)
    assert sorted(modules) == ["checks.py", "dnn_utils.py", "public_tests.py", "testCases.py"]
    assert modules["dnn_utils.py"] == (REPO / "dnn_utils.py").read_text()
    assert all(answers_in_code(source, stubs_allowed=False) == [] for source in modules.values())
    application = sandbox_modules(str(REPO), "application")
    assert application["dnn_app_utils.py"] == (REPO / "source" / "application" / "dnn_app_utils.py").read_text()
    assert set(answers_in_code(application["dnn_app_utils.py"], stubs_allowed=False)) == GRADED


def module_functions(path: Path) -> dict:
    spec = importlib.util.spec_from_file_location(f"handout_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: value for name, value in vars(module).items()
            if callable(value) and getattr(value, "__module__", None) == module.__name__ and not isinstance(value, type)}


def same(got, expected) -> bool:
    """True if got holds the same numbers as expected (dicts, tuples and lists item by item)."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and set(got) == set(expected) and all(same(got[k], expected[k]) for k in expected)
    if isinstance(expected, (tuple, list)):
        return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                and all(same(g, e) for g, e in zip(got, expected)))
    try:
        return np.shape(got) == np.shape(expected) and bool(np.allclose(got, expected))
    except (TypeError, ValueError):
        return False


# The test cases of the two activation functions leave out the activation: the public tests try both.
MORE_ARGUMENTS = {name: [("sigmoid",), ("relu",)] for name in ("linear_activation_forward", "linear_activation_backward")}


def functions_computing_a_graded_answer(functions: dict) -> list[str]:
    """'name computes graded' for each function that, called on a graded function's public test case, returns
    what the reference returns."""
    reference = reference_namespace(str(REPO), ASSIGNMENT)
    found = []
    calls = [(graded, getattr(testCases, graded + "_test_case")() + extra)
             for graded in sorted(GRADED) for extra in MORE_ARGUMENTS.get(graded, [()])]
    for graded, arguments in calls:
        with contextlib.redirect_stdout(io.StringIO()):
            expected = reference[graded](*copy.deepcopy(arguments))
        for name, function in functions.items():
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    got = function(*copy.deepcopy(arguments))
            except Exception:  # noqa: BLE001, S112 -- most functions do not take these arguments
                continue
            if same(got, expected):
                found.append(f"{name} computes {graded}")
    return found


def test_a_reference_implementation_under_another_name_is_found():
    def helper(A, W, b):
        return np.dot(W, A) + b, (A, W, b)

    assert functions_computing_a_graded_answer({"helper": helper, "len": len}) == ["helper computes linear_forward"]


@pytest.mark.parametrize("module", ["checks.py", "public_tests.py", "testCases.py"])
def test_no_function_of_the_public_modules_computes_a_graded_answer(module, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a function might write lands here
    functions = module_functions(REPO / "release" / ASSIGNMENT / module)
    assert len(functions) > 5
    assert functions_computing_a_graded_answer(functions) == []


# ---------------------------------------------------------------- a generated feedback folder


@pytest.fixture(scope="module")
def feedback_folder(tmp_path_factory):
    """A blank submission of assignment 1, autograded and given feedback by nbgrader in a course of its own."""
    if not bwrap_available():
        pytest.skip("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    course = catalogue.prepare(REPO, tmp_path_factory.mktemp("handout"))
    submit(course, STUDENT, ASSIGNMENT, solved_notebook(course, ASSIGNMENT, blank=True))
    nbgrader_cli.run_checked(course, "autograde", ASSIGNMENT, f"--student={STUDENT}")
    nbgrader_cli.run_checked(course, "generate_feedback", ASSIGNMENT, f"--student={STUDENT}")
    return course / "feedback" / STUDENT / ASSIGNMENT


def test_no_file_of_the_feedback_defines_a_graded_function(feedback_folder):
    files = files_below(feedback_folder)
    assert any(path.suffix == ".html" for path in files), [path.name for path in files]
    assert [answer for path in files for answer in answers_in_file(path)] == []
