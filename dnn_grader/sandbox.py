"""Start and talk to the sandboxed process that runs one student's code.

The process sees only a private copy of the Python installation (read-only), a
scratch /tmp, and a folder with the course modules the student may import; it
cannot see the course directory, the gradebook or other students' work, and has
no network. Bubblewrap (`bwrap`) provides that view; without it the process runs
unconfined (with a warning) unless the configuration demands isolation.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import numpy as np

from . import wire

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


class IsolationUnavailable(RuntimeError):
    """Isolation was required but bubblewrap is not installed or does not work."""


@dataclass
class Limits:
    """What one student's process may use."""

    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 600
    file_bytes: int = 64 * 1024**2
    cell_timeout: float = 30.0
    task_timeout: float = 60.0

    def as_message(self) -> dict:
        return {"memory_bytes": self.memory_bytes, "cpu_seconds": self.cpu_seconds,
                "file_bytes": self.file_bytes, "cell_timeout": self.cell_timeout}


@dataclass
class CaseOutcome:
    """What the student's function did on one case, as plain data."""

    value: Any = None
    error: dict | None = None
    stdout: str = ""
    returned: bool = False
    mutated_inputs: bool = False


@dataclass
class TaskOutcome:
    cases: list[CaseOutcome] = field(default_factory=list)
    ended: str | None = None  # why the function stopped early: timeout, crash, ...


Oracle = Callable[[str, list, dict], Any]


def bwrap_available() -> bool:
    return shutil.which("bwrap") is not None


class StudentProcess:
    """One sandboxed Python process holding one student's notebook code."""

    def __init__(self, modules: dict[str, str], limits: Limits | None = None, isolation: str = "auto"):
        self.limits = limits or Limits()
        self.isolation = isolation
        self.folder = Path(tempfile.mkdtemp(prefix="dnn-grader-"))
        (self.folder / "io").mkdir()
        for name in ("wire.py", "sandbox_main.py"):
            shutil.copy(HERE / name, self.folder / name)
        for name, text in modules.items():
            (self.folder / name).write_text(text)
        self.process: subprocess.Popen | None = None
        self.messages: queue.Queue = queue.Queue()
        self.task_count = 0

    # ------------------------------------------------------------ life cycle

    def start(self, cells: list[dict]) -> list[dict]:
        """Run the notebook cells; return one report per cell ({"id", "error"})."""
        self.process = subprocess.Popen(
            self._command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd=self.folder, env=self._environment(), start_new_session=True)
        threading.Thread(target=self._read_messages, daemon=True).start()
        self._send({"op": "cells", "cells": cells, "limits": self.limits.as_message()})
        reports: list[dict] = []
        deadline = time.monotonic() + self.limits.cell_timeout * max(1, len(cells)) + 30
        while True:
            reply = self._receive(deadline - time.monotonic())
            if reply is None or reply.get("op") not in ("cell", "cells_done"):
                raise CellsInterrupted(self._death_reason("while running the notebook's cells"), reports)
            if reply["op"] == "cells_done":
                return reports
            reports.append({"id": str(reply.get("id")), "error": reply.get("error")})

    def close(self) -> None:
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # ------------------------------------------------------------ tasks

    def run_task(self, function: str, cases: list[tuple[tuple, dict]], deps: list[str],
                 oracle: Oracle) -> TaskOutcome:
        """Call the student's `function` on each (args, kwargs) case in a fresh child."""
        self.task_count += 1
        inputs_name = f"inputs-{self.task_count}.bin"
        chunks: list[bytes] = []
        offset = 0
        encoded_cases = []
        for args, kwargs in cases:
            args_tree, offset = wire.encode_mapped(list(args), chunks, offset)
            kwargs_tree, offset = wire.encode_mapped(dict(kwargs), chunks, offset)
            encoded_cases.append({"args": args_tree, "kwargs": kwargs_tree})
        original = b"".join(chunks)
        inputs_path = self.folder / "io" / inputs_name
        inputs_path.write_bytes(original)
        self._send({"op": "task", "function": function, "deps": deps, "cases": encoded_cases,
                    "timeout": self.limits.task_timeout, "inputs": inputs_name})
        outcome = self._collect(len(cases), oracle)
        changed = inputs_path.read_bytes() != original
        inputs_path.unlink()
        for case in outcome.cases:
            case.mutated_inputs = changed and case.returned
        return outcome

    def _collect(self, case_count: int, oracle: Oracle) -> TaskOutcome:
        outcome = TaskOutcome(cases=[CaseOutcome() for _ in range(case_count)])
        deadline = time.monotonic() + self.limits.task_timeout + 15
        while True:
            message = self._receive(deadline - time.monotonic())
            if message is None:
                raise SandboxBroken(self._death_reason("while calling the function"))
            op = message.get("op")
            if op == "call":
                self._answer_call(message, oracle)
            elif op == "case":
                self._record_case(outcome, message)
            elif op == "child_exit":
                outcome.ended = _exit_reason(message, self.limits.task_timeout)
                return outcome
            else:
                raise SandboxBroken("the student's process sent an unexpected message")

    def _answer_call(self, message: dict, oracle: Oracle) -> None:
        try:
            args = wire.decode(message["args"])
            kwargs = wire.decode(message["kwargs"])
            value = oracle(str(message["function"]), list(args), dict(kwargs))
            self._send({"value": wire.encode(value)})
        except Exception as error:  # the arguments come from the student's code
            self._send({"error": {"type": type(error).__name__, "message": str(error)[:300]}})

    @staticmethod
    def _record_case(outcome: TaskOutcome, message: dict) -> None:
        index = message.get("index")
        if type(index) is not int or not 0 <= index < len(outcome.cases):
            raise SandboxBroken("the student's process sent a malformed result")
        case = outcome.cases[index]
        case.stdout = str(message.get("stdout", ""))[:20_000]
        if message.get("error"):
            case.error = {key: str(value)[:500] for key, value in dict(message["error"]).items()}
        else:
            case.value = wire.decode(message["value"])
            case.returned = True

    # ------------------------------------------------------------ plumbing

    def _send(self, message: dict) -> None:
        try:
            wire.send(self.process.stdin, message)
        except (BrokenPipeError, OSError):
            raise SandboxBroken(self._death_reason("while sending it work")) from None

    def _receive(self, timeout: float):
        try:
            item = self.messages.get(timeout=max(timeout, 0.01))
        except queue.Empty:
            return None
        if isinstance(item, Exception):
            raise SandboxBroken(f"the student's process sent a malformed message ({item})")
        return item

    def _read_messages(self) -> None:
        stream = self.process.stdout
        while True:
            try:
                message = wire.recv(stream)
            except wire.WireError as error:
                self.messages.put(error)
                return
            if message is None or not isinstance(message, dict):
                self.messages.put(None)
                return
            self.messages.put(message)

    def _death_reason(self, when: str) -> str:
        if self.process.poll() is None:
            return f"the code did not finish in time {when}"
        code = self.process.returncode
        return f"the process running the code ended {when} (exit status {code}: os._exit, a crash or the memory limit)"

    def _environment(self) -> dict:
        keep = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
                "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp", "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONHASHSEED": "0"}
        for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if name in os.environ:
                keep[name] = os.environ[name]
        return keep

    def _command(self) -> list[str]:
        python = [sys.executable, "-I"]
        if self.isolation == "none" or (self.isolation == "auto" and not bwrap_available()):
            if self.isolation == "auto":
                log.warning("bubblewrap (bwrap) is not installed: student code runs WITHOUT filesystem "
                            "isolation. Install it (apt-get install bubblewrap) for trustworthy grading.")
            return python + [str(self.folder / "sandbox_main.py")]
        if not bwrap_available():
            raise IsolationUnavailable("grading requires bubblewrap (bwrap): install it with "
                                       "`apt-get install bubblewrap`, or set DnnGrader.isolation = 'auto'")
        return bubblewrap_command(self.folder, self._environment()) + python + ["/sandbox/sandbox_main.py"]


class SandboxBroken(RuntimeError):
    """The student's process died or misbehaved; what it still owed is lost."""


class CellsInterrupted(SandboxBroken):
    """The process ended while running the cells; `finished` holds the reports of the cells it completed."""

    def __init__(self, reason: str, finished: list[dict]):
        super().__init__(reason)
        self.finished = finished


def _exit_reason(message: dict, timeout: float) -> str | None:
    if message.get("timeout"):
        return f"did not return within {timeout:g} seconds (an endless loop?)"
    if message.get("signal"):
        name = signal.Signals(message["signal"]).name if message["signal"] in signal.Signals._value2member_map_ else message["signal"]
        return f"ended the Python process (signal {name}: a crash or the memory limit)"
    if message.get("code"):
        return f"ended the Python process (exit status {message['code']}: os._exit or sys.exit?)"
    return None


def bubblewrap_command(folder: Path, environment: dict) -> list[str]:
    """bwrap arguments giving a private, read-only view: Python, /usr, and the job folder."""
    command = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for top in ("/lib", "/lib64", "/bin", "/sbin"):
        path = Path(top)
        if path.is_symlink():
            command += ["--symlink", os.readlink(top), top]
        elif path.is_dir():
            command += ["--ro-bind", top, top]
    for prefix in sorted(_python_folders()):
        command += ["--ro-bind", prefix, prefix]
    command += ["--ro-bind", str(folder), "/sandbox", "--bind", str(folder / "io"), "/sandbox/io",
                "--chdir", "/tmp", "--clearenv"]
    for name, value in environment.items():
        command += ["--setenv", name, value]
    return command


def _python_folders() -> set[str]:
    """The folders the interpreter and its packages live in (outside /usr)."""
    import numpy  # noqa: F401  (its location is one of the folders)

    candidates = {sys.prefix, sys.base_prefix, str(Path(np.__file__).resolve().parents[1])}
    folders = set()
    for candidate in candidates:
        resolved = str(Path(candidate).resolve())
        if not resolved.startswith("/usr/"):
            folders.add(resolved)
    # keep only outermost folders, so bind mounts do not shadow each other
    return {f for f in folders if not any(f != g and f.startswith(g + "/") for g in folders)}
