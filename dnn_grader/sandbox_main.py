"""The program that runs inside the sandbox, on the student's side of the wall.

It is started by dnn_grader.sandbox with its own folder holding this file, wire.py
and the course modules the student may import. It talks to the grader only through
length-prefixed plain-data messages on its original stdin/stdout:

1. grader -> {"op": "cells", "cells": [{"id", "source"}], "limits": {...}}
   Runs the cells in one namespace, answering {"op": "cell", "id", "error"} after
   each and {"op": "cells_done"} at the end.
2. grader -> {"op": "task", "function", "deps", "cases", "timeout", "inputs"}
   Forks a child that calls the student's function on each case and answers
   {"op": "case", ...} per case. While it runs, the functions named in "deps" are
   proxies that ask the grader ({"op": "call"}) for the course's result, so a
   mistake in a helper costs points only on that helper. The parent then reports
   {"op": "child_exit", ...}: a timeout, a crash or os._exit in the student's code
   ends only the child.
Only data crosses back: the grader compares it against its own reference.
"""

import builtins
import contextlib
import io
import mmap
import os
import resource
import signal
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np
import wire

MAX_CAPTURED_OUTPUT = 20_000


class CellTimeout(BaseException):
    """Raised by the alarm when a cell's top-level code runs too long."""


class CappedText(io.StringIO):
    """A stdout replacement that keeps only the start of what is printed."""

    def write(self, text):
        room = MAX_CAPTURED_OUTPUT - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


def main():
    channel_in = os.fdopen(os.dup(0), "rb")
    channel_out = os.fdopen(os.dup(1), "wb")
    silence_standard_streams()

    setup = wire.recv(channel_in)
    apply_limits(setup["limits"])
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    for cell in setup["cells"]:
        report = run_cell(cell, namespace, setup["limits"]["cell_timeout"])
        wire.send(channel_out, {"op": "cell", **report})
    wire.send(channel_out, {"op": "cells_done"})

    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
    while True:
        message = wire.recv(channel_in)
        if message is None or message.get("op") != "task":
            return
        run_task(message, namespace, channel_in, channel_out)


def silence_standard_streams():
    """Point fds 0-2 at /dev/null: what the student prints never reaches the grader."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")


def apply_limits(limits):
    memory = limits["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    size = limits["file_bytes"]
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


# ---------------------------------------------------------------- cells

def run_cell(cell, namespace, timeout):
    """Run one cell's code; report its error (if any) as plain data."""
    source = strip_magics(cell["source"])
    filename = f"<cell {cell['id']}>"
    previous = signal.signal(signal.SIGALRM, _raise_cell_timeout)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        exec(compile(source, filename, "exec"), namespace)
    except CellTimeout:
        return {"id": cell["id"], "error": {"type": "Timeout", "message": f"its code ran for more than {timeout:g} s"}}
    except SyntaxError as error:
        return {"id": cell["id"], "error": {"type": "SyntaxError", "message": error.msg,
                                            "line": error.lineno, "text": (error.text or "").strip()}}
    except BaseException as error:  # the student's code may raise anything, SystemExit included
        return {"id": cell["id"], "error": describe_exception(error)}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return {"id": cell["id"], "error": None}


def _raise_cell_timeout(signum, frame):
    raise CellTimeout()


def strip_magics(source):
    """Drop IPython-only lines (%magic, !shell); they mean nothing to plain Python."""
    if source.lstrip().startswith("%%"):
        return ""
    lines = source.splitlines()
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def describe_exception(error):
    """Type, message and the student's line where an exception was raised."""
    found = {"type": type(error).__name__, "message": str(error)[:500]}
    for frame, line_number in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename.startswith("<cell "):
            found["cell"] = frame.f_code.co_filename[len("<cell "):-1]
            found["line"] = line_number
            found["function"] = frame.f_code.co_name
    return found


# ---------------------------------------------------------------- tasks

def run_task(task, namespace, channel_in, channel_out):
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
            run_cases(task, namespace, channel_in, channel_out)
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    exit_report = wait_for_child(pid, task["timeout"])
    wire.send(channel_out, {"op": "child_exit", **exit_report})


def wait_for_child(pid, timeout):
    """Wait for the child at most `timeout` seconds; kill it if it overruns."""
    remaining = timeout
    clock = _monotonic()
    while True:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return describe_exit(status)
        remaining = timeout - (_monotonic() - clock)
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"timeout": True}
        signal.sigtimedwait([signal.SIGCHLD], remaining)


def _monotonic():
    return os.times().elapsed


def describe_exit(status):
    if os.WIFSIGNALED(status):
        return {"timeout": False, "signal": os.WTERMSIG(status)}
    return {"timeout": False, "code": os.WEXITSTATUS(status)}


def run_cases(task, namespace, channel_in, channel_out):
    for name in task["deps"]:
        namespace[name] = course_proxy(name, channel_in, channel_out)
    inputs = map_inputs(task["inputs"])
    function = namespace.get(task["function"])
    for index, case in enumerate(task["cases"]):
        outcome = call_student(function, task["function"], case, inputs)
        outcome["index"] = index
        try:
            wire.send(channel_out, {"op": "case", **outcome})
        except (OverflowError, ValueError):
            wire.send(channel_out, {"op": "case", "index": index,
                                    "error": {"type": "ResultTooLarge", "message": "the result is too large"}})


def map_inputs(filename):
    """Map the grader's input file writable: changes to the arrays stay visible to the grader."""
    with open(HERE / "io" / filename, "r+b") as handle:
        return mmap.mmap(handle.fileno(), 0) if os.path.getsize(handle.name) else bytearray()


def call_student(function, name, case, inputs):
    if not callable(function):
        return {"error": {"type": "Missing", "message": f"no function named {name} was defined"}}
    output = CappedText()
    try:
        args = wire.decode(case["args"], mapped=inputs)
        kwargs = wire.decode(case["kwargs"], mapped=inputs)
        with contextlib.redirect_stdout(output):
            value = function(*args, **kwargs)
        encoded = wire.encode(value)
    except BaseException as error:  # the student's code may raise anything
        return {"error": describe_exception(error), "stdout": output.getvalue()}
    return {"value": encoded, "stdout": output.getvalue()}


def course_proxy(name, channel_in, channel_out):
    """Stand-in for a graded helper: the grader answers with the course's result."""

    def proxy(*args, **kwargs):
        wire.send(channel_out, {"op": "call", "function": name,
                                "args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)})
        reply = wire.recv(channel_in)
        if reply is None or "error" in reply:
            error = (reply or {}).get("error", {"type": "RuntimeError", "message": "no answer"})
            kind = getattr(builtins, str(error.get("type")), None)
            kind = kind if isinstance(kind, type) and issubclass(kind, Exception) else RuntimeError
            raise kind(f"the course's {name}() could not run on the arguments it was given: {error.get('message')}")
        return wire.decode(reply["value"])

    proxy.__name__ = name
    return proxy


if __name__ == "__main__":
    np.seterr(all="warn")
    main()
