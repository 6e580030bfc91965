"""Simulated submissions with their expected outcomes: the grader's evidence.

Five kinds of scenario, each one notebook submitted by one simulated student:
- correct: the reference, or a correct variant from the catalogue -> full marks;
- mistake: a classic mistake from the catalogue -> points lost on that function only;
- attack: a trick to fool the grader -> not a point gained, nobody else affected;
- robustness: a broken submission -> a clear note, and the points earned elsewhere;
- hostile: an attack on the grader itself (its files, its waits, its memory, the
  machine) -> only the attacking function's points at stake, nobody else affected.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

from dnn_grader import specs
from dnn_grader.engine.cells import grade_id_of
from dnn_grader.evidence.simulate import solved_notebook
from dnn_grader.specs import MISTAKES, Variant

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


def scores_as_the_rule_says(variant: Variant, share: float) -> Callable[[Scores], bool]:
    """The mistaken function keeps `share` of its points (what the partial-credit rule gives); the others keep all."""

    def check(scores: Scores) -> bool:
        if variant.function not in scores:
            return False
        score, top = scores[variant.function]
        right = abs(score - round(top * share, 2)) < 0.011
        return right and all(s == t for f, (s, t) in scores.items() if f != variant.function)

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
        if grade_id_of(cell) == grade_id:
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


def variant_scenarios(course_root=None) -> list[Scenario]:
    """Every assignment's reference and blank release, and every catalogued correct variant and mistake."""
    scenarios = []
    function_specs = specs.all_specs(course_root)
    for a in specs.known_assignments(course_root):
        scenarios.append(Scenario(f"{a}:reference", "correct", a, lambda root, a=a: solved_notebook(root, a),
                                  "full marks", full_marks))
        scenarios.append(Scenario(f"{a}:blank_release", "blank", a,
                                  lambda root, a=a: solved_notebook(root, a, blank=True),
                                  "0 everywhere", zero_everywhere))
    for variant in (variant for spec in function_specs for variant in spec.correct):
        scenarios.append(Scenario(variant.case_id, "correct", variant.assignment,
                                  lambda root, v=variant: solved_notebook(root, v.assignment, v),
                                  "full marks", full_marks))
    for variant in (variant for spec in function_specs for variant in spec.mistakes):
        share = specs.credit_by_the_rule(variant, course_root)
        scenarios.append(Scenario(variant.case_id, "mistake", variant.assignment,
                                  lambda root, v=variant: solved_notebook(root, v.assignment, v),
                                  f"{variant.function} {share:.0%} (the rule), others full",
                                  scores_as_the_rule_says(variant, share)))
    return scenarios


# ---------------------------------------------------------------- attacks

STUB = "    raise NotImplementedError()\n"
LF_HEAD = "def linear_forward(A, W, b):\n"
# The attacks, the broken notebooks and the hostile submissions are written against these graded functions; they
# run on the assignment that grades them (found among the course's assignments: none is named here).
ATTACKED_FUNCTIONS = {"linear_forward", "linear_backward", "L_model_forward"}


def attacked_assignment(course_root=None) -> str:
    """The course's assignment that grades ATTACKED_FUNCTIONS."""
    return next(assignment for assignment in specs.known_assignments(course_root)
                if ATTACKED_FUNCTIONS <= {spec.name for spec in specs.load(assignment, course_root)})


def attack_scenarios(course_root) -> list[Scenario]:
    """Tricks, each replacing linear_forward's cell of an otherwise correct notebook.

    Expected: linear_forward scores 0, every other function keeps full marks.
    `course_root` is written into the attacks that go looking for the course's files.
    """
    root = str(course_root)
    a = attacked_assignment(course_root)
    attacks = {
        "patch_numpy": "import numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.testing.assert_allclose = "
                       "lambda *a, **k: None\nnumpy.array_equal = lambda *a, **k: True\n" + LF_HEAD + STUB,
        "redefine_test_helpers": "import checks\nchecks.linear_forward_test = lambda f: None\n"
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
            f"    paths = glob.glob({root!r} + '/source/*/*.ipynb') + glob.glob('/**/source/{a}/*.ipynb', recursive=True)\n"
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
            f"    for name in ('dnn_utils.py', 'public_tests.py', 'testCases.py', 'checks.py'):\n"
            f"        for folder in ({root!r}, '.', '..', '/sandbox'):\n"
            "            try:\n                open(folder + '/' + name, 'w').write('raise SystemExit')\n"
            "            except OSError:\n                pass\n" + STUB,
        "read_other_students": LF_HEAD +
            f"    import glob\n    found = glob.glob({root!r} + '/submitted/*/{a}/*.ipynb')\n"
            "    if not found:\n        raise FileNotFoundError('nothing to copy')\n" + STUB,
    }
    scenarios = [Scenario(f"attack:{name}", "attack", a, with_cell(a, "linear_forward", code),
                          "linear_forward 0, others full (no gain)", loses_only("linear_forward", to_zero=True))
                 for name, code in attacks.items()]
    own_helpers = "import numpy as np\n\ndef linear_forward(A, W, b):\n    return np.dot(W, A) + b, (A, W, b)\n"
    scenarios.append(Scenario(
        "attack:ships_own_dnn_utils", "attack", a,
        with_cell(a, "linear_forward", "from dnn_utils import linear_forward\n"),
        "linear_forward 0, others full (no gain)", loses_only("linear_forward", to_zero=True),
        files={"dnn_utils.py": own_helpers}))
    return scenarios


# ---------------------------------------------------------------- robustness

def robustness_scenarios(course_root=None) -> list[Scenario]:
    s = attacked_assignment(course_root)
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


# ---------------------------------------------------------------- hostile submissions

# Code a hostile student might run, written by someone who has read this repository. Each scenario
# attacks through one function's cell; the expectation is that only that function's points are at stake.
FIND_CHANNEL = '''
import os


def _grader_pipes(writable):
    """The pipe descriptors this process inherited from the grader (found through /proc)."""
    import fcntl
    found = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                continue
            mode = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
        except OSError:
            continue
        if (mode == os.O_WRONLY) == writable:
            found.append(fd)
    return found
'''

PLANTS = '''
import os, stat, glob
_targets = [{root!r} + "/gradebook.db", {root!r} + "/nbgrader_config.py", {root!r} + "/.grading_secret",
            *glob.glob({root!r} + "/submitted/*/*/*.ipynb"), {root!r} + "/dnn_utils.py"]
for _folder in ("/tmp", "/sandbox", "/sandbox/io", os.getcwd(), "/dev", "/dev/shm"):
    for _i in range(40):
        for _name in (f"inputs-{{_i}}.bin", f"result-{{_i}}.bin", f"cells-{{_i}}.json"):
            try:
                os.symlink(_targets[_i % len(_targets)], f"{{_folder}}/{{_name}}")
            except OSError:
                pass
    for _make in (lambda p: os.mkfifo(p), lambda p: os.mknod(p, 0o600 | stat.S_IFCHR, os.makedev(1, 3))):
        try:
            _make(f"{{_folder}}/planted-{{id(_make)}}")
        except OSError:
            pass
    try:
        with open(f"{{_folder}}/huge.bin", "wb") as _big:
            for _ in range(200):
                _big.write(b"x" * 1024 * 1024)
    except OSError:
        pass
'''

STOPS_READING = FIND_CHANNEL + '''
def linear_activation_forward(A_prev, W, b, activation):
    import json, struct, time
    body = json.dumps({"op": "call", "function": "linear_forward", "args": {"t": "list", "items": []},
                       "kwargs": {"t": "dict", "items": []}}).encode()
    for fd in _grader_pipes(writable=True):
        os.write(fd, struct.pack(">I", len(body)) + body)
    time.sleep(10**6)  # and never read the answer
'''

FLOOD_HEADER = FIND_CHANNEL + '''
def linear_forward(A, W, b):
    import struct
    for fd in _grader_pipes(writable=True):
        os.write(fd, struct.pack(">I", 2**31) + b"{" * 60000)
    raise NotImplementedError()
'''

FLOOD_MESSAGES = FIND_CHANNEL + '''
def L_model_backward(AL, Y, caches):
    import json, struct
    body = json.dumps({"op": "noise", "pad": "x" * 3_500_000}).encode()
    for _ in range(40):
        for fd in _grader_pipes(writable=True):
            os.write(fd, struct.pack(">I", len(body)) + body)
    return {}
'''

HELPER_BLOWUP = '''
def L_model_forward(X, parameters):
    n = 40_000  # W (n, 1) times A (1, n): a product of 1.6e9 numbers, asked for in about a megabyte
    Z, cache = linear_forward(np.ones((1, n)), np.ones((n, 1)), np.zeros((n, 1)))
    return Z, [cache]
'''

MEMORY_AND_DISK = '''
def compute_cost(AL, Y):
    import os
    children = []
    for _ in range(6):
        pid = os.fork()
        if pid == 0:
            try:
                hog = np.ones(75_000_000)  # 600 MB each, under the per-process limit
                with open(f"/tmp/fill-{os.getpid()}", "wb") as fill:
                    for _ in range(100):
                        fill.write(b"y" * 1024 * 1024)
                hog += 1
            finally:
                os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    return 0.5
'''

FORK_BOMB = '''
def linear_activation_backward(dA, cache, activation):
    import os
    while True:
        try:
            os.fork()
        except OSError:
            pass
'''

MUTATES_AND_REWIRES = '''
import copy, sys
_harness = sys.modules["__main__"]
_original = _harness.call_student if hasattr(_harness, "call_student") else None


def _copying(function, name, case, repeat):
    def on_copies(*args, **kwargs):
        return function(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    return _original(on_copies, name, case, repeat)


for _module in (_harness, sys.modules.get("wire")):
    if _module is not None:
        _module.call_student = _copying


def update_parameters(params, grads, learning_rate):
    parameters = params
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]
    return parameters
'''


def _answer_table_code(course_root) -> str:
    """linear_backward answered from a table computed beforehand from this repository's public code."""
    import numpy as np

    from dnn_grader.engine import references, secret

    a = attacked_assignment(course_root)
    reference = references.reference_namespace(str(course_root), a)
    spec = specs.spec_of(a, "linear_backward", course_root)
    guesses = [np.random.default_rng(505), secret.generator(b"0" * 64, a, "linear_backward")]
    table = {}
    for rng in guesses:
        for case in spec.cases(rng):
            dZ, cache = case.args
            dA_prev, dW, db = reference["linear_backward"](dZ, cache)
            table[repr(round(float(dZ.flat[0]), 12))] = (dA_prev.tolist(), dW.tolist(), db.tolist())
    return ("TABLE = " + repr(table) + "\n\n\ndef linear_backward(dZ, cache):\n"
            "    found = TABLE.get(repr(round(float(dZ.flat[0]), 12)))\n"
            "    if found is None:\n"
            "        A_prev, W, b = cache\n"
            "        return np.zeros(A_prev.shape), np.zeros(W.shape), np.zeros(b.shape)\n"
            "    return tuple(np.array(part) for part in found)\n")


def with_prefix(assignment: str, function: str, prefix: str):
    """A builder: the solved notebook with `prefix` run at the top of `function`'s (correct) cell."""

    def build(course_root):
        notebook = solved_notebook(course_root, assignment)
        cell = _cell(notebook, function)
        cell.source = prefix + "\n" + cell.source
        return notebook

    return build


def hostile_scenarios(course_root) -> list[Scenario]:
    """Submissions that attack the grader itself: its files, its waits, its memory, the machine."""
    s = attacked_assignment(course_root)
    root = str(course_root)

    def zero(function):
        return loses_only(function, to_zero=True)

    return [
        Scenario("hostile:plants_links_fifos_and_files", "hostile", s,
                 with_prefix(s, "initialize_parameters", PLANTS.format(root=root)),
                 "full marks (nothing planted is followed)", full_marks),
        Scenario("hostile:stops_reading", "hostile", s, with_cell(s, "linear_activation_forward", STOPS_READING),
                 "linear_activation_forward 0, did not finish within N s", zero("linear_activation_forward"),
                 note="did not finish within"),
        Scenario("hostile:floods_with_a_huge_header", "hostile", s, with_cell(s, "linear_forward", FLOOD_HEADER),
                 "linear_forward 0, others full", zero("linear_forward"), note="more than the 4194304 the grader"),
        Scenario("hostile:floods_with_messages", "hostile", s, with_cell(s, "L_model_backward", FLOOD_MESSAGES),
                 "L_model_backward 0, others full", zero("L_model_backward"), note="sent an unexpected message"),
        Scenario("hostile:helper_call_blowup", "hostile", s, with_cell(s, "L_model_forward", HELPER_BLOWUP),
                 "L_model_forward 0, others full", zero("L_model_forward"),
                 note="larger than anything this case can produce"),
        Scenario("hostile:memory_disk_and_processes", "hostile", s, with_cell(s, "compute_cost", MEMORY_AND_DISK),
                 "compute_cost 0, others full", zero("compute_cost")),
        Scenario("hostile:fork_bomb", "hostile", s, with_cell(s, "linear_activation_backward", FORK_BOMB),
                 "linear_activation_backward 0, others full", zero("linear_activation_backward"),
                 note="linear_activation_backward did not finish within"),
        Scenario("hostile:answers_from_a_table", "hostile", s,
                 lambda root_: with_cell(s, "linear_backward", _answer_table_code(root_))(root_),
                 "linear_backward 0 (the hidden inputs are secret)", zero("linear_backward")),
        Scenario("hostile:mutates_and_rewires_the_harness", "hostile", s,
                 with_cell(s, "update_parameters", MUTATES_AND_REWIRES),
                 "update_parameters loses points, others full", loses_only("update_parameters"),
                 note="changed the arrays it was given"),
    ]


def all_scenarios(course_root) -> list[Scenario]:
    return variant_scenarios(course_root) + attack_scenarios(course_root) + robustness_scenarios(course_root) + hostile_scenarios(course_root)
