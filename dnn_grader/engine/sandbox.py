"""Start and talk to the sandboxed process that runs one student's code.

The process runs in bubblewrap as an unprivileged user without capabilities: a
read-only view of the Python installation and of dnn_grader/inside/ (the harness),
a private /tmp of bounded size, a read-only /dev, no network, no view of the
course folder, the gradebook or other students' work. Where the machine allows it,
a control group bounds its memory (files in /tmp included) and its processes.

The grader trusts nothing the process does. Inputs and results cross only the two
pipes the grader created, as bounded plain-data messages (channel.py), and every
read and write has a deadline. The grader opens no file the process could create
or change. The student's code may start no process or thread of its own (the control
group's `pids.max` is lowered once the sandbox is ready). Each cell and each function
is a phase with a CPU limit for all the sandbox's processes together, a wall-clock
limit that only a busy machine does not use up, and a longer backstop; the grader
measures them from outside (budget.py) and stops the phase itself, so a limit the
student's code reached is the student's (the function or the cell gets 0 with a
sentence that says which limit), and only a machine too busy to run it is blamed on
the machine (GradingCutShort: the grading is retried once, never scored). One budget
of wall-clock time bounds the whole submission. A cell larger than MAX_CELL_BYTES (or
past MAX_CELLS_BYTES in all) is not run, and said so.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Self

import numpy as np

from dnn_grader.engine.budget import Budget, MachineTooBusy, Meter, Phase, StudentLimit
from dnn_grader.engine.channel import Channel, ChannelClosed, ChannelError, ChannelTimeout, MessageTooLarge
from dnn_grader.engine.control_group import ControlGroup
from dnn_grader.inside import wire

INSIDE = Path(__file__).resolve().parents[1] / "inside"
SANDBOX_USER = 65534  # nobody
PROC_READ_ONLY = ("/proc/sys", "/proc/sysrq-trigger", "/proc/mtrr", "/proc/pressure", "/proc/acpi", "/proc/fs",
                  "/proc/driver", "/proc/scsi", "/proc/irq", "/proc/bus", "/proc/sysvipc")
log = logging.getLogger(__name__)


class IsolationUnavailable(RuntimeError):
    """Isolation was required but bubblewrap is not installed or does not work."""


class SandboxBroken(RuntimeError):
    """The student's process died, broke the protocol or stopped answering; what it still owed is lost."""


class CellsInterrupted(SandboxBroken):
    """The process ended while running the cells; `finished` holds the reports of the cells it completed."""

    def __init__(self, reason: str, finished: list[dict]):
        super().__init__(reason)
        self.finished = finished


class GradingCutShort(RuntimeError):
    """The grader's own limits stopped the grading (a busy machine, a sandbox that could not start).

    Never the student's fault: the grading is retried, and never recorded as a score.
    """


@dataclass(frozen=True)
class Limits:
    """What one student's submission may use (see budget.py for how time is counted, and whose a limit is)."""

    memory_bytes: int = 2 * 1024**3  # the whole sandbox (with a control group), or each process (RLIMIT_AS)
    tmp_bytes: int = 64 * 1024**2  # the private /tmp (a tmpfs)
    file_bytes: int = 64 * 1024**2
    max_processes: int = 64  # while the sandbox starts; then none of the student's own (with a control group)
    cell_cpu_seconds: float = 20.0  # CPU time of all the sandbox's processes while one cell's top-level code runs
    task_cpu_seconds: float = 30.0  # ... while one function runs on all its cases
    cell_wall_seconds: float = 30.0  # wall-clock time of one cell, less what a busy machine withheld
    task_wall_seconds: float = 40.0  # ... of one function on all its cases
    submission_seconds: float = 240.0  # wall-clock time of all the cells and functions of a submission, likewise
    process_cpu_seconds: int = 900
    start_seconds: float = 120.0  # wall clock for the sandbox to start, before any student code runs
    student_seconds: float = 1800.0  # wall clock for one student's whole notebook (the grader's own guard)
    backstop_factor: float = 4.0  # the machine is blamed after factor x a phase's wall-clock limit + margin
    backstop_margin: float = 30.0

    def backstop(self, wall_seconds: float) -> float:
        return self.backstop_factor * wall_seconds + self.backstop_margin

    def as_message(self) -> dict:
        return {"memory_bytes": self.memory_bytes, "file_bytes": self.file_bytes,
                "max_processes": self.max_processes, "cell_cpu_seconds": self.cell_cpu_seconds,
                "task_cpu_seconds": math.ceil(self.task_cpu_seconds),
                "process_cpu_seconds": self.process_cpu_seconds}


# What the grader sends: a cell's code, as sent (JSON), and all the cells together; the rest is not run.
MAX_CELL_BYTES = 1024**2
MAX_CELLS_BYTES = 3 * 1024**2
# What the grader accepts from the student's process.
MAX_MESSAGE_BYTES = wire.MAX_MESSAGE_BYTES
MAX_TASK_BYTES = 32 * 1024**2
MAX_CALLS_PER_CASE = 64
MAX_ANSWER_BYTES = 1024**2


@dataclass
class CaseOutcome:
    """What the student's function did on one case, as plain data."""

    value: Any = None
    error: dict | None = None
    stdout: str = ""
    returned: bool = False
    # watched tasks: the argument arrays as they were after the call, in the order of wire.argument_arrays
    # (a list of arrays, one per array the function was given); None when the arguments were not watched
    after: list[np.ndarray] | None = None


@dataclass(frozen=True)
class SandboxUsage:
    """What one sandbox used, read from outside once it ended (None where the machine could not tell)."""

    peak_memory_bytes: int | None
    cpu_seconds: float | None


@dataclass
class TaskOutcome:
    cases: list[CaseOutcome] = field(default_factory=list)
    ended: str | None = None  # why the function stopped early: CPU time, crash, ...


Oracle = Callable[[str, list, dict], Any]


def bwrap_available() -> bool:
    return shutil.which("bwrap") is not None


class StudentProcess:
    """One sandboxed Python process holding one student's notebook code."""

    def __init__(self, modules: dict[str, str], limits: Limits | None = None, isolation: str = "bwrap",
                 budget: Budget | None = None):
        if isolation not in ("bwrap", "none"):
            raise ValueError(f"isolation must be 'bwrap' or 'none', not {isolation!r}")
        self.modules = modules
        self.limits = limits or Limits()
        self.isolation = isolation
        self.budget = budget or Budget(self.limits.submission_seconds)  # shared by all the submission's sandboxes
        self.process: subprocess.Popen | None = None
        self.channel: Channel | None = None
        self.group: ControlGroup | None = None
        self.meter: Meter | None = None
        self.resident_processes = 0  # the sandbox's own processes once ready: the student may start none
        self.peak_memory_bytes: int | None = None  # of the whole sandbox, known after close() with a control group
        self.cpu_seconds: float | None = None  # of all the sandbox's processes, known after close()

    # ------------------------------------------------------------ life cycle

    def start(self, cells: list[dict], course_cells: int = 0) -> list[dict]:
        """Start the sandbox and run the notebook cells; one report per cell ({"id", "error"}).

        The first `course_cells` cells are the course's (set-up imports): their time is not the submission's.
        """
        self._launch()
        deadline = time.monotonic() + self.limits.start_seconds
        try:
            self.channel.send({"op": "setup", "modules": self.modules, "limits": self.limits.as_message()}, deadline)
            ready = self.channel.receive(deadline)
        except (ChannelError, ChannelTimeout) as error:
            raise GradingCutShort(f"the sandbox did not start within {self.limits.start_seconds:g} s "
                                  f"({type(error).__name__}: {error})") from None
        if ready.get("op") != "ready":
            raise GradingCutShort("the sandbox did not start: it answered with something else than 'ready'")
        if self.group is not None:  # from now on, the student's code may start no process or thread of its own
            self.resident_processes = self.group.processes()
            self.group.set_max_processes(self.resident_processes)
        return self._run_cells(cells, course_cells)

    def _run_cells(self, cells: list[dict], course_cells: int) -> list[dict]:
        """Run the cells that fit the size limits; one report per cell, in order, those withheld included."""
        withheld = _oversized_cells(cells)
        to_run = [cell for cell in cells if cell["id"] not in withheld]
        try:
            self.channel.send({"op": "cells", "cells": to_run}, time.monotonic() + self.limits.start_seconds)
        except (ChannelError, ChannelTimeout) as error:  # no student code has run yet: not the student's doing
            raise GradingCutShort(f"the sandbox did not take the notebook's cells ({type(error).__name__})") from None
        reports: list[dict] = []
        for index, cell in enumerate(cells):
            if cell["id"] in withheld:
                reports.append({"id": cell["id"], "error": withheld[cell["id"]]})
                continue
            phase = self._phase(self.limits.cell_cpu_seconds, self.limits.cell_wall_seconds,
                                f"while running the cell {cell['id']}", charged=index >= course_cells)
            reply = self._receive(phase, reports)
            if reply.get("op") != "cell" or str(reply.get("id")) != cell["id"]:
                raise CellsInterrupted("the student's process sent an unexpected message", reports)
            reports.append({"id": cell["id"], "error": _bounded_error(reply.get("error"))})
        return reports

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log.warning("the sandbox process %d did not end after SIGKILL", self.process.pid)
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
        if self.meter is not None:
            self.cpu_seconds = self.meter.cpu_seconds()
        if self.group is not None:
            self.peak_memory_bytes = self.group.peak_memory_bytes()
            self.group.remove()
            self.group = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # ------------------------------------------------------------ tasks

    def run_task(self, function: str, cases: list[tuple[tuple, dict]], deps: list[str], oracle: Oracle,
                 watch: bool = False) -> TaskOutcome:
        """Call the student's `function` once on each (args, kwargs) case in a fresh child.

        With `watch`, each case's outcome also holds its argument arrays as they
        were after the call (CaseOutcome.after), so that the grader can see
        whether the function changed the arrays it was given.
        The helpers in `deps` are answered by `oracle` only for arguments no
        larger than the cases' own arrays.
        """
        encoded = [{"args": wire.encode(list(args)), "kwargs": wire.encode(dict(kwargs))} for args, kwargs in cases]
        if self.group is not None:  # one process more: the harness's child that calls the function
            self.group.set_max_processes(self.resident_processes + 1)
        phase = self._phase(self.limits.task_cpu_seconds, self.limits.task_wall_seconds, "while calling the function")
        self._send({"op": "task", "function": function, "deps": deps, "cases": encoded, "watch": watch},
                   phase, "while sending it work")
        outcome = TaskOutcome(cases=[CaseOutcome() for _ in cases])
        watched = [len(wire.argument_arrays(args, kwargs)) for args, kwargs in cases] if watch else None
        calls_left = MAX_CALLS_PER_CASE * len(cases)
        bound = _largest_dimension(cases)
        received_before = self.channel.bytes_received
        while True:  # the whole task is one phase, whatever messages it takes
            message = self._receive(phase, None)
            if self.channel.bytes_received - received_before > MAX_TASK_BYTES:
                raise SandboxBroken(f"the function's process sent more than {MAX_TASK_BYTES // 1024**2} MB")
            op = message.get("op")
            if op == "call" and calls_left > 0 and str(message.get("function")) in deps:
                calls_left -= 1
                self._answer_call(message, oracle, bound, phase)
            elif op == "case":
                _record_case(outcome, message, watched)
            elif op == "child_exit":
                if self.group is not None:  # the child is gone: no free slot for a process between tasks
                    self.group.set_max_processes(self.resident_processes)
                outcome.ended = _exit_reason(message, self.limits.task_cpu_seconds,
                                             self.group is not None and self.group.memory_limit_reached())
                return outcome
            else:
                raise SandboxBroken("the function's process sent an unexpected message")

    def _answer_call(self, message: dict, oracle: Oracle, bound: int, phase: Phase) -> None:
        """Answer a helper call with the course's result; computing it is the grader's time, not the student's."""
        computing = time.monotonic()
        try:
            args, kwargs = wire.decode(message.get("args")), wire.decode(message.get("kwargs"))
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise TypeError("the helper's arguments are malformed")
            too_large = _larger_than(list(args) + list(kwargs.values()), bound)
            if too_large:
                raise ValueError(f"{too_large}: larger than anything this case can produce, so the course "
                                 "does not compute it")
            answer = {"value": wire.encode(oracle(str(message["function"]), list(args), dict(kwargs)))}
        except Exception as error:  # the arguments come from the student's code
            answer = {"error": {"type": type(error).__name__, "message": str(error)[:300]}}
        phase.grader_seconds += time.monotonic() - computing
        try:
            self._send(answer, phase, "while answering a helper call", max_bytes=MAX_ANSWER_BYTES)
        except MessageTooLarge:
            self._send({"error": {"type": "ValueError", "message": "the course's answer would be too large"}},
                       phase, "while answering a helper call")

    # ------------------------------------------------------------ plumbing

    def _phase(self, cpu_limit: float, wall_limit: float, when: str, charged: bool = True) -> Phase:
        """A phase of the student's code (charged to the submission's budget), or of the course's (not charged)."""
        budget = self.budget if charged else Budget(float("inf"))
        return Phase(self.meter, budget, cpu_limit, wall_limit, self.limits.backstop(wall_limit), when)

    def _send(self, message: dict, phase: Phase, when: str, max_bytes: int | None = None) -> None:
        """Send within the phase: a process that stops reading uses up the phase's time, as if it computed."""
        try:
            self.channel.send(message, phase.started + phase.backstop, max_bytes, watch=phase.check)
        except StudentLimit as limit:
            self._fail(f"{limit}", None)
        except MachineTooBusy as busy:
            raise GradingCutShort(str(busy)) from None
        except ChannelError:
            self._fail(f"the process running the code ended {when}", None)
        except ChannelTimeout:
            self._fail(f"the process running the code stopped reading {when}", None)

    def _receive(self, phase: Phase, finished: list[dict] | None) -> dict:
        """The next message, or the end of the phase: a student's limit (its sentence), or the machine's."""
        try:
            return self.channel.receive(phase.started + phase.backstop, watch=phase.check)
        except StudentLimit as limit:
            self._fail(f"{limit}", finished)
        except (MachineTooBusy, ChannelTimeout) as busy:
            raise GradingCutShort(str(busy) or f"the machine was too busy: {phase.when}") from None
        except ChannelClosed:
            self._fail(self._death_reason(phase.when), finished)
        except ChannelError as error:
            self._fail(f"the student's process broke the grader's protocol {phase.when} ({error})", finished)

    def _fail(self, reason: str, finished: list[dict] | None):
        if finished is not None:
            raise CellsInterrupted(reason, finished)
        raise SandboxBroken(reason)

    def _death_reason(self, when: str) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return f"the process running the code stopped answering {when}"
        return f"the process running the code ended {when} (exit status {code}: os._exit, a crash or the memory limit)"

    def _launch(self) -> None:
        self.group = ControlGroup.create(self.limits.memory_bytes, self.limits.max_processes, cores=1.0)
        command = self._command()
        if self.group is not None:
            command = self.group.join_command() + command
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True,
                                            env=_environment(), cwd="/")
        except OSError as error:  # no process could be started: the machine's problem, not the student's
            raise GradingCutShort(f"the sandbox could not be started ({error})") from None
        self.channel = Channel(self.process.stdin.fileno(), self.process.stdout.fileno(), MAX_MESSAGE_BYTES)
        self.meter = Meter(self.process.pid, self.group)

    def _command(self) -> list[str]:
        python = [sys.executable, "-I"]
        if self.isolation == "none":
            log.warning("isolation 'none': student code runs WITHOUT the sandbox, with the grader's rights. "
                        "Use it only to develop the grader, never to grade students.")
            return python + [str(INSIDE / "harness.py")]
        if not bwrap_available():
            raise IsolationUnavailable("grading requires bubblewrap (bwrap): install it with "
                                       "`apt-get install bubblewrap`, or (to develop the grader only, never to "
                                       "grade students) set c.IsolatedAutograde.isolation = 'none'")
        return bubblewrap_command(self.limits.tmp_bytes) + python + ["/sandbox/harness.py"]


def _oversized_cells(cells: list[dict]) -> dict[str, dict]:
    """cell id -> the error reported for a cell that is not run: over MAX_CELL_BYTES, or past MAX_CELLS_BYTES in all."""
    withheld, total = {}, 0
    for cell in cells:
        size = len(json.dumps(cell["source"]))
        if size <= MAX_CELL_BYTES:
            total += size
        if size > MAX_CELL_BYTES:
            withheld[cell["id"]] = {"type": "CellTooLarge", "message": f"it holds {size / 1024**2:.1f} MB of code, "
                                    f"more than the {MAX_CELL_BYTES // 1024**2} MB a cell may hold"}
        elif total > MAX_CELLS_BYTES:
            withheld[cell["id"]] = {"type": "CellTooLarge", "message": "the cells before it hold more than the "
                                    f"{MAX_CELLS_BYTES // 1024**2} MB of code a notebook may hold"}
    return withheld


def _record_case(outcome: TaskOutcome, message: dict, watched: list[int] | None = None) -> None:
    """Store one case's result; watched[i]: how many argument arrays case i's "after" must hold (watched tasks)."""
    index = message.get("index")
    if type(index) is not int or not 0 <= index < len(outcome.cases):
        raise SandboxBroken("the function's process sent a malformed result")
    case = outcome.cases[index]
    if case.returned or case.error:
        raise SandboxBroken("the function's process sent two results for one case")
    case.stdout = str(message.get("stdout", ""))[:20_000]
    try:
        if message.get("error"):
            case.error = _bounded_error(message["error"])
        else:
            case.value = wire.decode(message.get("value"))
            if watched is not None:
                case.after = _arrays_after(message, watched[index])
            case.returned = True
    except SandboxBroken:
        raise
    except Exception as error:  # whatever the student's bytes make the decoder raise, the result is malformed
        raise SandboxBroken(f"the function's process sent a malformed result ({type(error).__name__})") from None


def _arrays_after(message: dict, count: int) -> list[np.ndarray]:
    """The `count` argument arrays a watched case's message must report as they were after the call."""
    if "after" not in message:
        raise SandboxBroken("the function's process sent a result without the state of its arguments after the call")
    after = wire.decode(message["after"])
    if not isinstance(after, list) or len(after) != count or not all(isinstance(a, np.ndarray) for a in after):
        raise SandboxBroken(f"the function's process sent a malformed record of its arguments after the call "
                            f"(not a list of the {count} arrays it was given)")
    return after


# What the grader keeps of an error the student's code raised: its type's name, a short message, where it was.
# Feedback quotes these, so they are kept short: an exception cannot carry a hidden case out at length (and the
# cases are drawn anew for every submission, so what one feedback shows is worth nothing to another).
MAX_ERROR_MESSAGE = 200
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,39}")


def _bounded_error(error) -> dict | None:
    """The student's error report, reduced to what the feedback may quote: {"type", "message", "line", ...}."""
    if not error:
        return None
    if not isinstance(error, dict):
        return {"type": "Exception", "message": "an error the grader could not read"}
    kind = str(error.get("type", ""))
    bounded = {"type": kind if _IDENTIFIER.fullmatch(kind) else "Exception",
               "message": _short(error.get("message", ""), MAX_ERROR_MESSAGE)}
    if type(error.get("line")) is int and 0 < error["line"] < 10**6:
        bounded["line"] = error["line"]
    for key in ("cell", "function"):
        if _IDENTIFIER.fullmatch(str(error.get(key, ""))):
            bounded[key] = str(error[key])
    if error.get("text"):
        bounded["text"] = _short(error["text"], MAX_ERROR_MESSAGE)
    return bounded


def _short(text, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def arrays_in(value) -> list[np.ndarray]:
    """Every NumPy array inside `value` (nested in tuples, lists and dict values), in order."""
    return [array for _, array in wire.argument_arrays((value,), {})]


def _largest_dimension(cases: list[tuple[tuple, dict]]) -> int:
    """The largest array dimension among the cases' arguments: helper calls may not exceed it."""
    return max([1, *(n for case in cases for array in arrays_in(case) for n in array.shape)])


def _larger_than(values: list, bound: int, limit: int = 256) -> str | None:
    """A description of the first array with more than 2 dimensions or a dimension above `bound`, if any."""
    stack, seen = list(values), 0
    while stack:
        value = stack.pop()
        seen += 1
        if seen > limit:
            return f"more than {limit} values"
        if isinstance(value, np.ndarray) and (value.ndim > 2 or any(n > bound for n in value.shape)):
            return f"an array of shape {value.shape}"
        if isinstance(value, (tuple, list)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return None


def _exit_reason(message: dict, cpu_seconds: float, memory_limit_reached: bool) -> str | None:
    """What the function's process did, as the harness reported its end: a predicate for "<function> ..."."""
    number = message.get("signal")
    if type(number) is not int:
        number = 0
    if number == signal.SIGXCPU:
        return f"did not finish within {cpu_seconds:g} s of CPU time (its process was stopped by SIGXCPU)"
    if memory_limit_reached and number in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS):
        return f"was stopped when the sandbox reached its memory limit (signal {signal.Signals(number).name})"
    if number:
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else number
        return f"ended the Python process (signal {name})"
    if message.get("code"):
        code = str(message["code"])[:20]
        return f"ended the Python process with exit status {code} (as os._exit({code}) or sys.exit({code}) do)"
    return None


def _environment() -> dict:
    keep = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            keep[name] = os.environ[name]
    return keep


@cache
def _bwrap_has_size() -> bool:
    """bubblewrap 0.5 and later bound a tmpfs with --size; older ones get a read-only /tmp instead."""
    result = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=30)
    return "--size" in result.stdout + result.stderr


def bubblewrap_command(tmp_bytes: int) -> list[str]:
    """bwrap arguments: an unprivileged user without capabilities, read-only Python and harness, bounded /tmp."""
    command = ["bwrap", "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_USER), "--gid", str(SANDBOX_USER),
               "--cap-drop", "ALL", "--die-with-parent", "--new-session",
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev"]
    # The sandbox's user is the grader's outside the user namespace (root, when the grader runs as root), so the
    # kernel's settings in /proc (sysctls and the like, which need no capability) must be read-only.
    for path in PROC_READ_ONLY:
        if os.path.exists(path):
            command += ["--ro-bind", path, path]
    if _bwrap_has_size():
        command += ["--size", str(tmp_bytes), "--tmpfs", "/tmp"]
    else:  # no way to bound a tmpfs: no writable /tmp at all
        command += ["--tmpfs", "/tmp", "--remount-ro", "/tmp"]
    for top in ("/lib", "/lib64", "/bin", "/sbin"):
        path = Path(top)
        if path.is_symlink():
            command += ["--symlink", os.readlink(top), top]
        elif path.is_dir():
            command += ["--ro-bind", top, top]
    for prefix in sorted(_python_folders()):
        command += ["--ro-bind", prefix, prefix]
    command += ["--ro-bind", str(INSIDE), "/sandbox", "--chdir", "/tmp", "--clearenv"]
    for name, value in _environment().items():
        command += ["--setenv", name, value]
    return command


def _python_folders() -> set[str]:
    """The folders the interpreter and its packages live in (outside /usr)."""
    candidates = {sys.prefix, sys.base_prefix, str(Path(np.__file__).resolve().parents[1])}
    folders = set()
    for candidate in candidates:
        resolved = str(Path(candidate).resolve())
        if not resolved.startswith("/usr/"):
            folders.add(resolved)
    # keep only outermost folders, so bind mounts do not shadow each other
    return {f for f in folders if not any(f != g and f.startswith(g + "/") for g in folders)}
