"""A control group (cgroup v1) per sandbox: one bound on memory, files in /tmp included, processes and CPU.

RLIMIT_AS bounds each process's address space, but not the memory of the files it
writes to a tmpfs, nor how many processes it starts, nor the CPU time of all of
them together. Where the machine lets the grader create control groups (root, or a
delegated hierarchy), every sandbox runs in a group of its own under the grader's:
- `memory.limit_in_bytes` (and `memory.memsw.limit_in_bytes`, so nothing spills to
  swap) counts its processes and its tmpfs pages together;
- `pids.max` caps its processes and threads; the grader lowers it while the sandbox
  runs, so that the student's code can start no process or thread of its own
  (set_max_processes);
- `cpu.cfs_quota_us` lets all its processes together use at most one core, so a
  sandbox never slows its neighbours under `--workers N`, and `cpuacct.usage` is the
  CPU time of all its processes, dead ones included, as the kernel counts it.
Only the grader writes these files; the sandbox sees no /sys.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")
PERIOD_MICROSECONDS = 100_000


class ControlGroup:
    """A memory, pids and CPU group holding one sandbox; `create` returns None where the machine does not allow it."""

    def __init__(self, folders: dict[str, Path]):
        self.folders = folders

    @classmethod
    def create(cls, memory_bytes: int, max_processes: int, cores: float = 1.0) -> ControlGroup | None:
        """A new group: memory (files in /tmp included), processes and `cores` of CPU for all its processes."""
        name = f"dnn-grader-{uuid.uuid4().hex[:12]}"
        folders: dict[str, Path] = {}
        try:
            for controller in CONTROLLERS:
                folder = _own_group(controller) / name
                folder.mkdir()
                folders[controller] = folder
            group = cls(folders)
            group._write("memory", "memory.limit_in_bytes", memory_bytes)
            with contextlib.suppress(FileNotFoundError):  # no swap accounting on this kernel
                group._write("memory", "memory.memsw.limit_in_bytes", memory_bytes)
            group._write("pids", "pids.max", max_processes)
            group._write("cpu", "cpu.cfs_period_us", PERIOD_MICROSECONDS)
            group._write("cpu", "cpu.cfs_quota_us", max(1000, int(cores * PERIOD_MICROSECONDS)))
            return group
        except OSError as error:
            cls(folders).remove()
            log.debug("no control group for the sandbox (%s)", error)
            return None

    def cpu_seconds(self) -> float:
        """CPU time used so far by every process that ever ran in the group."""
        return int((self.folders["cpuacct"] / "cpuacct.usage").read_text()) / 1e9

    def processes(self) -> int:
        """Processes and threads in the group now."""
        return int((self.folders["pids"] / "pids.current").read_text())

    def set_max_processes(self, count: int) -> None:
        """Processes and threads the group may hold from now on (those already there stay)."""
        self._write("pids", "pids.max", count)

    def tasks(self) -> list[int]:
        """Every thread of every process in the group."""
        with contextlib.suppress(OSError):
            return [int(line) for line in (self.folders["pids"] / "tasks").read_text().split()]
        return []

    def join_command(self) -> list[str]:
        """A prefix that moves the command's process into this group before it runs (exec keeps the pid)."""
        targets = " ".join(f"'{folder / 'cgroup.procs'}'" for folder in self.folders.values())
        return ["/bin/sh", "-c", f'for f in {targets}; do echo $$ > "$f" || exit 111; done; exec "$@"', "sh"]

    def pids(self) -> list[int]:
        return _read_pids(self.folders["pids"])

    def memory_limit_reached(self) -> bool:
        """Did the group's memory ever reach its limit (an allocation refused, or a process killed for it)?"""
        with contextlib.suppress(OSError, ValueError):
            return int((self.folders["memory"] / "memory.failcnt").read_text()) > 0
        return False

    def peak_memory_bytes(self) -> int:
        with contextlib.suppress(OSError, ValueError):
            return int((self.folders["memory"] / "memory.max_usage_in_bytes").read_text())
        return 0

    def remove(self, seconds: float = 5.0) -> None:
        """Kill whatever is left in the group, then remove it (a group still busy after `seconds` is left)."""
        deadline = time.monotonic() + seconds
        for folder in self.folders.values():
            while True:
                for pid in _read_pids(folder):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        log.warning("could not remove the control group %s", folder)
                        break
                    time.sleep(0.02)

    def _write(self, controller: str, name: str, value: int) -> None:
        (self.folders[controller] / name).write_text(str(value))


def _read_pids(folder: Path) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(line) for line in (folder / "cgroup.procs").read_text().split()]
    return []


def _own_group(controller: str) -> Path:
    """The grader's own group in `controller`'s hierarchy (from /proc/self/cgroup)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            folder = ROOT / controller / path.lstrip("/")
            if folder.is_dir():
                return folder
            return ROOT / controller
    raise FileNotFoundError(f"no {controller} control group hierarchy is mounted")
