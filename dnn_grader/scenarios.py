"""Simulated submissions with their expected outcomes: the grader's evidence.

Four kinds of scenario, each one notebook submitted by one simulated student:
- correct: the reference, or a correct variant from the catalogue -> full marks;
- mistake: a classic mistake from the catalogue -> points lost on that function only;
- attack: a trick to fool the grader -> not a point gained, nobody else affected;
- robustness: a broken submission -> a clear note, and the points earned elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

from .catalogue import CORRECT, MISTAKES, Variant
from .simulate import solved_notebook

Scores = dict[str, tuple[float, float]]  # function -> (score, max score)


@dataclass
class Scenario:
    case_id: str
    kind: str
    assignment: str
    build: Callable[[object], nbformat.NotebookNode | bytes]  # course_root -> submission
    expected: str  # words for the table
    check: Callable[[Scores], bool]
    filename: str | None = None  # submit under another name (renamed notebook)
    note: str = ""  # text the autograded notebook must contain
    files: dict[str, str] | None = None  # other files submitted beside the notebook


# ---------------------------------------------------------------- expectations

def full_marks(scores: Scores) -> bool:
    return bool(scores) and all(score == top for score, top in scores.values())


def zero_everywhere(scores: Scores) -> bool:
    return bool(scores) and all(score == 0 for score, _ in scores.values())


def loses_only(function: str, to_zero: bool = False) -> Callable[[Scores], bool]:
    def check(scores: Scores) -> bool:
        if function not in scores:
            return False
        score, top = scores[function]
        lost = score == 0 if to_zero else score < top
        return lost and all(s == t for f, (s, t) in scores.items() if f != function)

    return check


def describe_scores(scores: Scores) -> str:
    if not scores:
        return "not graded"
    total = sum(s for s, _ in scores.values())
    top = sum(t for _, t in scores.values())
    short = [f"{f} {s:g}/{t:g}" for f, (s, t) in scores.items() if s != t]
    return f"{total:g}/{top:g}" + (f" ({', '.join(short)})" if short else "")


# ---------------------------------------------------------------- notebook edits

def _cell(notebook, grade_id):
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def with_cell(assignment: str, function: str, code: str, base: Variant | None = None, blank: bool = False):
    """A builder: the solved (or blank) notebook with `function`'s solution cell replaced by `code`."""

    def build(course_root):
        notebook = solved_notebook(course_root, assignment, base, blank=blank)
        _cell(notebook, function).source = code
        return notebook

    return build


def edited(assignment: str, edit: Callable[[nbformat.NotebookNode], None], base: Variant | None = None):
    def build(course_root):
        notebook = solved_notebook(course_root, assignment, base)
        edit(notebook)
        return notebook

    return build


def as_bytes(data: bytes):
    return lambda course_root: data


def variant_scenarios() -> list[Scenario]:
    scenarios = []
    for a in ("step_by_step", "application"):
        scenarios.append(Scenario(f"{a}:reference", "correct", a, lambda root, a=a: solved_notebook(root, a),
                                  "full marks", full_marks))
        scenarios.append(Scenario(f"{a}:blank_release", "blank", a,
                                  lambda root, a=a: solved_notebook(root, a, blank=True),
                                  "0 everywhere", zero_everywhere))
    for variant in CORRECT:
        scenarios.append(Scenario(variant.case_id, "correct", variant.assignment,
                                  lambda root, v=variant: solved_notebook(root, v.assignment, v),
                                  "full marks", full_marks))
    for variant in MISTAKES:
        scenarios.append(Scenario(variant.case_id, "mistake", variant.assignment,
                                  lambda root, v=variant: solved_notebook(root, v.assignment, v),
                                  f"loses points on {variant.function} only", loses_only(variant.function)))
    return scenarios


# ---------------------------------------------------------------- attacks

STUB = "    raise NotImplementedError()\n"
LF_HEAD = "def linear_forward(A, W, b):\n"


def attack_scenarios(course_root) -> list[Scenario]:
    """Tricks, each replacing linear_forward's cell of an otherwise correct notebook.

    Expected: linear_forward scores 0, every other function keeps full marks.
    `course_root` is written into the attacks that go looking for the course's files.
    """
    root = str(course_root)
    attacks = {
        "patch_numpy": "import numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.testing.assert_allclose = "
                       "lambda *a, **k: None\nnumpy.array_equal = lambda *a, **k: True\n" + LF_HEAD + STUB,
        "redefine_test_helpers": "import public_tests\npublic_tests.linear_forward_test = lambda f: None\n"
                                 "def run_hidden_checks(*a, **k):\n    return None\n" + LF_HEAD + STUB,
        "always_equal": "class Anything:\n    def __eq__(self, other):\n        return True\n"
                        "    __ne__ = lambda self, other: False\n" + LF_HEAD + "    return Anything(), Anything()\n",
        "array_function_override": "class Liar(np.ndarray):\n    def __array_function__(self, *a, **k):\n"
                                   "        return True\n    def __eq__(self, other):\n        return True\n"
                                   + LF_HEAD + "    Z = np.zeros((W.shape[0], A.shape[1])).view(Liar)\n"
                                   "    return Z, (A, W, b)\n",
        "ipython_input_transformer": "get_ipython().input_transformers_post.append(lambda lines: [])\n" + LF_HEAD + STUB,
        "displayhook_result": "import sys\nsys.displayhook(2)\n" + LF_HEAD + "    sys.displayhook(2)\n" + STUB,
        "hide_tracebacks": "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
                           "ip.run_cell = lambda *a, **k: None\n" + LF_HEAD + STUB,
        "print_all_tests_passed": "print('All tests passed')\n" + LF_HEAD + "    print('All tests passed')\n"
                                  "    return None, None\n",
        "run_solution_from_source": "import glob, json\n" + LF_HEAD +
            f"    paths = glob.glob({root!r} + '/source/*/*.ipynb') + glob.glob('/**/source/step_by_step/*.ipynb', recursive=True)\n"
            "    for path in paths:\n"
            "        for cell in json.load(open(path))['cells']:\n"
            "            if 'def linear_forward' in ''.join(cell['source']):\n"
            "                scope = {'np': np}\n"
            "                exec(''.join(cell['source']), scope)\n"
            "                return scope['linear_forward'](A, W, b)\n"
            "    raise FileNotFoundError('no solution found')\n",
        "use_course_helper": "from dnn_utils import linear_forward as course_linear_forward\n" + LF_HEAD +
                             "    return course_linear_forward(A, W, b)\n",
        "write_gradebook": "import sqlite3\n" + LF_HEAD +
            f"    db = sqlite3.connect({root!r} + '/gradebook.db')\n"
            "    db.execute('UPDATE grade SET auto_score = 100')\n    db.commit()\n" + STUB,
        "edit_course_modules": LF_HEAD +
            f"    for name in ('dnn_utils.py', 'public_tests.py', 'testCases.py'):\n"
            f"        for folder in ({root!r}, '.', '..', '/sandbox'):\n"
            "            try:\n                open(folder + '/' + name, 'w').write('raise SystemExit')\n"
            "            except OSError:\n                pass\n" + STUB,
        "read_other_students": LF_HEAD +
            f"    import glob\n    found = glob.glob({root!r} + '/submitted/*/step_by_step/*.ipynb')\n"
            "    if not found:\n        raise FileNotFoundError('nothing to copy')\n" + STUB,
    }
    scenarios = [Scenario(f"attack:{name}", "attack", "step_by_step", with_cell("step_by_step", "linear_forward", code),
                          "linear_forward 0, others full (no gain)", loses_only("linear_forward", to_zero=True))
                 for name, code in attacks.items()]
    own_helpers = "import numpy as np\n\ndef linear_forward(A, W, b):\n    return np.dot(W, A) + b, (A, W, b)\n"
    scenarios.append(Scenario(
        "attack:ships_own_dnn_utils", "attack", "step_by_step",
        with_cell("step_by_step", "linear_forward", "from dnn_utils import linear_forward\n"),
        "linear_forward 0, others full (no gain)", loses_only("linear_forward", to_zero=True),
        files={"dnn_utils.py": own_helpers}))
    return scenarios


# ---------------------------------------------------------------- robustness

def robustness_scenarios() -> list[Scenario]:
    s = "step_by_step"
    lf_mistake = next(v for v in MISTAKES if v.case_id == "linear_forward:no_bias")

    def duplicate_graded_cells(notebook):
        for grade_id in ("linear_forward", "test_linear_forward"):
            cell = _cell(notebook, grade_id)
            notebook.cells.insert(notebook.cells.index(cell), nbformat.from_dict(json.loads(json.dumps(cell))))

    def delete_test_cell(notebook):
        notebook.cells.remove(_cell(notebook, "test_linear_forward"))

    def edit_test_cell(notebook):
        cell = _cell(notebook, "test_linear_forward")
        cell.source = "print('All tests passed')"
        cell.metadata["nbgrader"]["points"] = 100

    def huge_output(notebook):
        cell = _cell(notebook, "L_model_forward")
        cell.source = cell.source.replace("    caches = []\n", "    caches = []\n    print('x' * 20_000_000)\n", 1)

    top_level_loop = "while True:\n    pass\n"
    return [
        Scenario("robust:not_json", "robustness", s, as_bytes(b'{"cells": [ this is not json'),
                 "0 everywhere, note in feedback", zero_everywhere, note="could not be read"),
        Scenario("robust:not_utf8", "robustness", s, as_bytes(b'{"cells": "\xff\xfe\x00broken"}'),
                 "0 everywhere, note in feedback", zero_everywhere, note="not UTF-8"),
        Scenario("robust:renamed_notebook", "robustness", s, lambda root: solved_notebook(root, s),
                 "full marks, note in feedback", full_marks, filename="my_copy_of_the_assignment.ipynb",
                 note="was named"),
        Scenario("robust:duplicated_graded_cells", "robustness", s, edited(s, duplicate_graded_cells),
                 "full marks, note in feedback", full_marks, note="same nbgrader id"),
        Scenario("robust:deleted_test_cell", "robustness", s, edited(s, delete_test_cell),
                 "full marks (test restored), note", full_marks, note="were missing"),
        Scenario("robust:edited_test_cell_with_mistake", "robustness", s, edited(s, edit_test_cell, lf_mistake),
                 "loses points on linear_forward only", loses_only("linear_forward")),
        Scenario("robust:never_returns", "robustness", s,
                 with_cell(s, "linear_backward", "def linear_backward(dZ, cache):\n    while True:\n        pass\n"),
                 "linear_backward 0, others full", loses_only("linear_backward", to_zero=True)),
        Scenario("robust:top_level_endless_loop", "robustness", s,
                 with_cell(s, "compute_cost", top_level_loop + "def compute_cost(AL, Y):\n    return 0.0\n"),
                 "compute_cost 0, others full", loses_only("compute_cost", to_zero=True)),
        Scenario("robust:kills_process", "robustness", s,
                 with_cell(s, "linear_backward", "import os\ndef linear_backward(dZ, cache):\n    os._exit(1)\n"),
                 "linear_backward 0, others full", loses_only("linear_backward", to_zero=True)),
        Scenario("robust:kills_process_at_top_level", "robustness", s,
                 with_cell(s, "update_parameters", "import os\nos._exit(1)\n"),
                 "update_parameters 0, others full", loses_only("update_parameters", to_zero=True)),
        Scenario("robust:huge_output", "robustness", s, edited(s, huge_output), "full marks, small notebook",
                 full_marks),
        Scenario("robust:memory_bomb", "robustness", s,
                 with_cell(s, "compute_cost", "def compute_cost(AL, Y):\n    big = np.ones((60000, 60000))\n"
                                              "    return float(big.sum())\n"),
                 "compute_cost 0, others full", loses_only("compute_cost", to_zero=True)),
    ]


def all_scenarios(course_root) -> list[Scenario]:
    return variant_scenarios() + attack_scenarios(course_root) + robustness_scenarios()
