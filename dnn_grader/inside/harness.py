"""The program that runs inside the sandbox, on the student's side of the wall.

dnn_grader.engine.sandbox starts it in bubblewrap with this folder mounted read-only. It
talks to the grader only through length-prefixed plain-data messages on the pipes
it was started with (its original stdin and stdout):

1. grader -> {"op": "setup", "modules": {name: source}, "limits": {...}}
   Makes the course modules importable (from memory), applies the limits and
   answers {"op": "ready"}: until then no student code has run.
2. grader -> {"op": "cells", "cells": [{"id", "source"}]}
   Runs the cells in one namespace, answering {"op": "cell", "id", "error"} after
   each; a cell's top-level code may use `cell_cpu_seconds` of CPU time.
3. grader -> {"op": "task", "function", "deps", "cases", "watch"}
   Forks a child that calls the student's function once on each case and answers
   {"op": "case", ...} per case (with "watch", the case's argument arrays as they
   are after the call, as "after");
   the child may use `task_cpu_seconds` of CPU time. While it runs, the functions
   named in "deps" are proxies that ask the grader ({"op": "call"}) for the
   course's result. The parent then reports {"op": "child_exit", ...}.

The student's code shares this process and may replace anything here; the grader
trusts none of it (see dnn_grader.engine.sandbox), and nothing a student does to this
harness can change more than the student's own results.
"""

import builtins
import contextlib
import importlib.abc
import importlib.util
import io
import os
import resource
import signal
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import wire

MAX_CAPTURED_OUTPUT = 20_000


class CellTimeout(BaseException):
    """Raised by the CPU timer when a cell's top-level code runs too long."""


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
    limits = setup["limits"]
    install_modules(setup["modules"])
    apply_limits(limits)
    wire.send(channel_out, {"op": "ready"})

    namespace = {"__name__": "__main__", "__builtins__": builtins}
    cells = wire.recv(channel_in)
    # The loop below keeps its own references to this module's functions: a student's cell that
    # rebinds them (sys.modules["__main__"].call_student = ...) changes nothing here.
    receive, send, task_runner = wire.recv, wire.send, make_task_runner()
    for cell in cells["cells"]:
        report = run_cell(cell, namespace, limits["cell_cpu_seconds"])
        send(channel_out, {"op": "cell", **report})

    while True:
        message = receive(channel_in)
        if message is None or message.get("op") != "task":
            return
        task_runner(message, namespace, channel_in, channel_out, limits["task_cpu_seconds"])


def silence_standard_streams():
    """Point fds 0-2 at /dev/null: what the student prints never reaches the grader's pipes."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")


class CourseModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the course modules the grader sent from memory (the sandbox's /tmp may be read-only)."""

    def __init__(self, modules):
        self.sources = {Path(name).stem: source for name, source in modules.items()}

    def find_spec(self, name, path=None, target=None):
        if name in self.sources:
            return importlib.util.spec_from_loader(name, self, origin=f"/course/{name}.py")
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(self.sources[module.__name__], f"/course/{module.__name__}.py", "exec"), module.__dict__)


def install_modules(modules):
    """Make the course modules importable, ahead of anything else of the same name."""
    sys.meta_path.insert(0, CourseModules(modules))


def apply_limits(limits):
    memory = limits["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits["process_cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    size = limits["file_bytes"]
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    processes = limits["max_processes"]
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


# ---------------------------------------------------------------- cells

def run_cell(cell, namespace, cpu_seconds):
    """Run one cell's code; report its error (if any) as plain data."""
    source = strip_magics(cell["source"])
    filename = f"<cell {cell['id']}>"
    previous = signal.signal(signal.SIGPROF, _raise_cell_timeout)
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)  # CPU time, not wall-clock: a busy machine costs nothing
    try:
        exec(compile(source, filename, "exec"), namespace)
    except CellTimeout:
        return {"id": cell["id"], "error": {"type": "Timeout",
                                            "message": f"its code used more than {cpu_seconds:g} s of CPU time"}}
    except SyntaxError as error:
        return {"id": cell["id"], "error": {"type": "SyntaxError", "message": error.msg,
                                            "line": error.lineno, "text": (error.text or "").strip()}}
    except BaseException as error:  # the student's code may raise anything, SystemExit included
        return {"id": cell["id"], "error": describe_exception(error)}
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
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

def make_task_runner():
    """run_task, bound to the functions of this module as they are before any student code runs."""
    fork, wait, exit_now, setrlimit = os.fork, os.waitpid, os._exit, resource.setrlimit
    encode, decode, send, argument_arrays = wire.encode, wire.decode, wire.send, wire.argument_arrays
    describe, proxy_for = describe_exception, course_proxy

    def call_student(function, name, case, watch):
        """Call the function once on the case; with `watch`, also report its argument arrays after the call.

        "after" holds the very array objects the function was given (not their containers), in the order of
        wire.argument_arrays: the grader compares them with the arrays it sent.
        """
        if not callable(function):
            return {"error": {"type": "Missing", "message": f"no function named {name} was defined"}}
        output = CappedText()
        try:
            args = tuple(decode(case["args"]))
            kwargs = decode(case["kwargs"])
            given = [array for _, array in argument_arrays(args, kwargs)] if watch else []
            with contextlib.redirect_stdout(output):
                value = encode(function(*args, **kwargs))
            outcome = {"value": value, "stdout": output.getvalue()}
            if watch:
                outcome["after"] = encode(given)
        except BaseException as error:  # the student's code may raise anything
            return {"error": describe(error), "stdout": output.getvalue()}
        return outcome

    def run_cases(task, namespace, channel_in, channel_out):
        for name in task["deps"]:
            namespace[name] = proxy_for(name, channel_in, channel_out)
        function = namespace.get(task["function"])
        for index, case in enumerate(task["cases"]):
            outcome = call_student(function, task["function"], case, task.get("watch", False))
            try:
                send(channel_out, {"op": "case", "index": index, **outcome})
            except (OverflowError, ValueError):
                send(channel_out, {"op": "case", "index": index,
                                   "error": {"type": "ResultTooLarge", "message": "the result is too large"}})

    def run_task(task, namespace, channel_in, channel_out, cpu_seconds):
        pid = fork()
        if pid == 0:
            code = 0
            try:
                setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
                run_cases(task, namespace, channel_in, channel_out)
            except BaseException:
                code = 70
            finally:
                exit_now(code)
        _, status = wait(pid, 0)
        send(channel_out, {"op": "child_exit", **describe_exit(status)})

    return run_task


def describe_exit(status):
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    return {"code": os.WEXITSTATUS(status)}


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
