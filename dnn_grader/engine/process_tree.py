"""What the grader sees of a sandbox's processes from outside, in /proc (written by the kernel, not the student).

The sandbox's processes and the CPU time they used, for the grader's own accounting
(budget.Meter) where no control group counts them.
"""

from __future__ import annotations

import contextlib
import os

TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """root and every process below it (children found through /proc/<pid>/task/<tid>/children)."""
    found, queue = [], [root]
    while queue and len(found) < 10_000:
        pid = queue.pop()
        found.append(pid)
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{pid}/task"):
                with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/task/{tid}/children") as handle:
                    queue.extend(int(child) for child in handle.read().split())
    return found


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (which the student chooses: parse from the last ')')."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def cpu_seconds(pids: list[int]) -> float:
    """CPU time used by the processes and the children they have waited for."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICKS
