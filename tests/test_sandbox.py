"""The sandboxed student process: what it can see, and how it ends."""

from pathlib import Path

import numpy as np
import pytest

from dnn_grader.engine.control_group import ControlGroup
from dnn_grader.engine.sandbox import Limits, StudentProcess, bwrap_available

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap (bwrap) is not installed: "
                                "apt-get install bubblewrap (.ci/run installs it)")

CELLS = [
    {"id": "setup", "source": "import os\nimport numpy as np\nimport course_module\nassert course_module.VALUE == 1"},
    {"id": "look", "source": "def look(path):\n    return os.path.exists(path), sorted(os.listdir('/'))"},
    {"id": "write", "source": "def write(path):\n    open(path, 'w').write('x')\n    return True"},
    {"id": "writable", "source": "def writable(folder):\n    found = []\n    for root, dirs, files in os.walk(folder):\n"
                                 "        dirs[:] = [d for d in dirs if not d.isdigit() and d not in ('self', 'thread-self')]\n"
                                 "        found += [os.path.join(root, f) for f in files + dirs\n"
                                 "                  if os.access(os.path.join(root, f), os.W_OK)]\n    return found"},
    {"id": "scale", "source": "def scale(W, factor):\n    W *= factor\n    return helper(W)"},
    {"id": "spin", "source": "def spin():\n    while True:\n        pass"},
    {"id": "leave", "source": "def leave():\n    os._exit(3)"},
    {"id": "hog", "source": "def hog():\n    return np.ones((40000, 40000)).sum()"},
    {"id": "broken", "source": "def broken(:\n    pass"},
    {"id": "grow", "source": "def grow(W):\n    return helper(np.ones((100000, 1)))"},
    {"id": "fill", "source": "def fill(megabytes):\n    written = 0\n    try:\n        with open('/tmp/fill', 'wb') as f:\n"
                             "            for _ in range(megabytes):\n                f.write(b'x' * 2**20)\n"
                             "                f.flush()\n                written += 1\n    except OSError:\n        pass\n"
                             "    return written"},
    {"id": "spawn", "source": "def spawn(count):\n    import time\n    pids = []\n    for _ in range(count):\n"
                              "        try:\n            pid = os.fork()\n        except OSError:\n            break\n"
                              "        if pid == 0:\n            time.sleep(60)\n            os._exit(0)\n"
                              "        pids.append(pid)\n    for pid in pids:\n        os.kill(pid, 9)\n"
                              "        os.waitpid(pid, 0)\n    return len(pids)"},
    {"id": "thread", "source": "def thread():\n    import threading\n    worker = threading.Thread(target=print)\n"
                               "    worker.start()\n    worker.join()\n    return True"},
]


@pytest.fixture(scope="module")
def process():
    limits = Limits(task_cpu_seconds=3, memory_bytes=1024**3, tmp_bytes=16 * 1024**2, max_processes=32)
    with StudentProcess({"course_module.py": "VALUE = 1\n"}, limits, isolation="bwrap") as student:
        report = student.start(CELLS)
        student.report = {item["id"]: item["error"] for item in report}
        yield student


def call(process, name, *args, oracle=None, deps=(), watch=False):
    return process.run_task(name, [(args, {})], list(deps), oracle or (lambda *a: None), watch=watch)


def test_cells_report_their_own_errors_only(process):
    assert process.report["broken"]["type"] == "SyntaxError"
    assert process.report["look"] is None


def test_the_course_directory_and_the_grader_are_out_of_sight(process):
    # (a virtual environment inside the course folder is mounted read-only, so that folder's name may exist)
    for name in ("nbgrader_config.py", "source", "dnn_utils.py", "dnn_grader", "tests"):
        assert call(process, "look", str(REPO / name)).cases[0].value[0] is False, name
    top = call(process, "look", "/").cases[0].value[1]
    assert "sandbox" in top and "home" not in top


def test_the_harness_and_the_system_are_read_only(process):
    for path in ("/sandbox/harness.py", "/sandbox/new_file", "/usr/lib/x", "/dev/shm/x", "/dev/x"):
        outcome = call(process, "write", path).cases[0]
        assert outcome.error and outcome.error["type"] in ("OSError", "PermissionError", "FileNotFoundError"), path


def test_the_kernels_settings_are_read_only(process):
    # the sandbox's user is the grader's outside its namespace (root, for a root grader): /proc/sys & co. must be
    # read-only, or a submission could change the machine's settings (sysctls need no capability)
    assert call(process, "writable", "/proc").cases[0].value == []


def test_the_course_module_is_importable(process):
    outcome = call(process, "look", "/tmp").cases[0]
    assert outcome.returned
    assert process.report["setup"] is None


def test_a_watched_call_reports_the_argument_arrays_as_the_function_left_them(process):
    W = np.ones((2, 2))
    outcome = call(process, "scale", W, 3.0, oracle=lambda name, args, kwargs: args[0] + 1, deps=("helper",),
                   watch=True)
    case = outcome.cases[0]
    assert np.array_equal(case.value, np.full((2, 2), 4.0))  # the helper was answered by the grader
    assert len(case.after) == 1 and np.array_equal(case.after[0], np.full((2, 2), 3.0))  # W *= 3 in the sandbox
    assert np.array_equal(W, np.ones((2, 2)))  # the grader's own copy is untouched
    assert call(process, "scale", W, 3.0, oracle=lambda *a: 0, deps=("helper",)).cases[0].after is None


def test_helper_calls_larger_than_the_case_are_refused(process):
    cells_oracle_calls = []

    def oracle(name, args, kwargs):
        cells_oracle_calls.append(args)
        return args[0]

    outcome = call(process, "grow", np.ones((2, 2)), oracle=oracle, deps=("helper",))
    assert cells_oracle_calls == []  # the grader never computed anything for the oversized call
    assert outcome.cases[0].error["type"] == "ValueError"
    assert "larger than anything this case can produce" in outcome.cases[0].error["message"]


def test_an_endless_loop_is_stopped_by_its_cpu_time_and_the_process_carries_on(process):
    outcome = call(process, "spin")
    assert "did not finish within 3 s of CPU time" in outcome.ended
    assert call(process, "look", "/").cases[0].value[0] is True


def test_os_exit_ends_only_that_call(process):
    assert "exit status 3" in call(process, "leave").ended
    assert call(process, "look", "/").cases[0].returned


def test_memory_is_capped(process):
    outcome = call(process, "hog").cases[0]
    assert outcome.error["type"] == "MemoryError"


def test_a_missing_function_is_reported(process):
    assert call(process, "broken").cases[0].error["type"] == "Missing"


def test_the_private_tmp_is_bounded(process):
    assert call(process, "fill", 100).cases[0].value <= 16


@pytest.fixture(scope="module")
def control_groups():
    group = ControlGroup.create(64 * 1024**2, 4)
    if group is None:
        pytest.skip("this machine lets the grader create no control group (cgroup v1 memory and pids, as root): "
                    "the sandbox is bounded per process only")
    group.remove()


def test_the_students_code_starts_no_process_and_no_thread_of_its_own(process, control_groups):
    assert call(process, "spawn", 200).cases[0].value == 0
    assert call(process, "thread").cases[0].error["type"] == "RuntimeError"  # "can't start new thread"
    assert call(process, "look", "/").cases[0].returned  # the harness's own child for each function still starts


def test_a_sandbox_may_use_one_core_at_most(control_groups):
    group = ControlGroup.create(64 * 1024**2, 4, cores=1.0)
    try:
        quota = int((group.folders["cpu"] / "cpu.cfs_quota_us").read_text())
        period = int((group.folders["cpu"] / "cpu.cfs_period_us").read_text())
        assert quota == period
    finally:
        group.remove()
