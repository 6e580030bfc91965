"""A control group (cgroup v1) per sandbox: one bound on memory, files in /tmp included, and on processes.

RLIMIT_AS bounds each process's address space, but not the memory of the files it
writes to a tmpfs, nor how many processes it starts. Where the machine lets the
grader create control groups (root, or a delegated hierarchy), every sandbox runs
in a group of its own under the grader's: `memory.limit_in_bytes` (and
`memory.memsw.limit_in_bytes`, so nothing spills to swap) counts its processes and
its tmpfs pages together, and `pids.max` caps its processes. Only the grader writes
these files; the sandbox sees no /sys.
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
CONTROLLERS = ("memory", "pids")


class ControlGroup:
    """A memory and a pids group holding one sandbox; `create` returns None where the machine does not allow it."""

    def __init__(self, folders: dict[str, Path]):
        self.folders = folders

    @classmethod
    def create(cls, memory_bytes: int, max_processes: int) -> ControlGroup | None:
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
            return group
        except OSError as error:
            cls(folders).remove()
            log.debug("no control group for the sandbox (%s)", error)
            return None

    def join_command(self) -> list[str]:
        """A prefix that moves the command's process into this group before it runs (exec keeps the pid)."""
        targets = " ".join(f"'{folder / 'cgroup.procs'}'" for folder in self.folders.values())
        return ["/bin/sh", "-c", f'for f in {targets}; do echo $$ > "$f" || exit 111; done; exec "$@"', "sh"]

    def pids(self) -> list[int]:
        return _read_pids(self.folders["pids"])

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
