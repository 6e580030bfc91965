"""One submission's time, counted from outside: whose fault a limit is, the student's code's or the machine's.

Every phase of a grading (one cell, or all the cases of one function) has three bounds:
- a CPU limit, for all the sandbox's processes together (the control group's
  `cpuacct.usage`, or the processes under the sandbox in /proc without one);
- a wall-clock limit on the phase's *charged* time: the time that passed, less the
  time the machine kept the student's code waiting for a processor;
- a backstop on the time that passed, several times longer.

The charged time is what sleeping, waiting and computing cost; only a busy machine
does not count. The kernel says how long each thread waited, runnable, for a core
(`/proc/<pid>/task/<tid>/schedstat`, second field: its run-queue delay); the
machine's delay of a phase is the longest such wait of any one thread of the
sandbox during the phase. So:
- code that sleeps or waits uses charged time at the speed of the clock: it ends at
  the phase's wall-clock limit, and that is the student's;
- code that computes uses CPU time: it ends at the CPU limit, and that is the
  student's (a student's own threads or processes competing for the sandbox's one
  core add run-queue delay, but they use the CPU limit at the same time);
- the time the grader spends answering the student's code (a helper call computed
  by the course's reference) is not charged either;
- code that gets no core while it wants one adds the same amount to the machine's
  delay as to the time that passed, so it never reaches its wall-clock limit; if
  the backstop passes first, the machine was too busy: `MachineTooBusy`, never
  scored, retried once.

The submission as a whole has one budget of charged time (`Budget`), shared by all its
phases and sandboxes: sleeping in every cell and every function cannot stretch a
submission's grading beyond it.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field

from dnn_grader.engine import process_tree
from dnn_grader.engine.control_group import ControlGroup


class StudentLimit(RuntimeError):
    """The student's code reached a limit of its phase (CPU time, or charged wall-clock time): the student's."""


class MachineTooBusy(RuntimeError):
    """The backstop passed while the student's code was still within its limits: the machine's, never scored."""


@dataclass
class Budget:
    """The charged wall-clock seconds that one submission may use, in all its phases and sandboxes together."""

    seconds: float
    used: float = 0.0

    @property
    def left(self) -> float:
        return max(0.0, self.seconds - self.used)


class Meter:
    """Reads a sandbox's CPU time and the machine's delays from outside (the kernel's numbers, never the student's)."""

    def __init__(self, root_pid: int, group: ControlGroup | None):
        self.root_pid, self.group = root_pid, group
        self._first_delay: dict[int, float] = {}
        self._last_delay: dict[int, float] = {}

    def cpu_seconds(self) -> float:
        """CPU time of all the sandbox's processes so far."""
        if self.group is not None:
            with contextlib.suppress(OSError, ValueError):
                return self.group.cpu_seconds()
        return process_tree.cpu_seconds(process_tree.descendants(self.root_pid))

    def start_phase(self) -> None:
        self._first_delay.clear()
        self._last_delay.clear()
        self.machine_delay()

    def machine_delay(self) -> float:
        """The longest time any one thread of the sandbox waited for a core since the phase started (seconds)."""
        for tid, delay in _run_queue_delays(self._threads()).items():
            self._first_delay.setdefault(tid, delay)
            self._last_delay[tid] = delay
        return max((self._last_delay[tid] - self._first_delay[tid] for tid in self._last_delay), default=0.0)

    def _threads(self) -> list[int]:
        if self.group is not None:
            return self.group.tasks()
        threads = []
        for pid in process_tree.descendants(self.root_pid):
            with contextlib.suppress(OSError, ValueError):
                threads += [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
        return threads


@dataclass
class Phase:
    """One cell or one function: its limits, and what it has used so far."""

    meter: Meter
    budget: Budget
    cpu_limit: float
    wall_limit: float  # charged seconds, before the submission's budget caps it
    backstop: float  # seconds that may pass before the machine is blamed
    when: str  # "while running the cell linear_forward", for the sentences
    started: float = field(default_factory=time.monotonic)
    charged: float = 0.0
    grader_seconds: float = 0.0  # time the grader spent answering the student's code (its helper calls): not charged

    def __post_init__(self):
        self.cpu_at_start = self.meter.cpu_seconds()
        self.meter.start_phase()
        self.charged_before = self.budget.used
        self.charged_limit = min(self.wall_limit, self.budget.left)  # the budget may leave less than the phase's own

    def check(self, grace: float = 1.0) -> None:
        """Raise StudentLimit or MachineTooBusy if the phase is over one of its bounds; count its charged time.

        grace: CPU seconds over the limit before the grader stops the phase itself, so that the sandbox's own
        timers (which stop the student's code more gently, keeping what it finished) act first.
        """
        elapsed = time.monotonic() - self.started
        cpu = self.meter.cpu_seconds() - self.cpu_at_start
        delay = min(elapsed, self.meter.machine_delay())
        self.charged = max(0.0, elapsed - delay - self.grader_seconds)
        self.budget.used = self.charged_before + self.charged
        if cpu > self.cpu_limit + grace:
            raise StudentLimit(f"did not finish within {self.cpu_limit:g} s of CPU time (its processes used "
                               f"{cpu:.1f} s {self.when})")
        if self.charged > self.charged_limit:
            raise StudentLimit(self._wall_sentence(cpu))
        if elapsed > self.backstop:
            raise MachineTooBusy(f"the machine was too busy: {self.when}, the student's code got {cpu:.1f} s of "
                                 f"CPU time and waited {delay:.0f} s for a processor in {elapsed:.0f} s")

    def _wall_sentence(self, cpu: float) -> str:
        if self.charged_limit < self.wall_limit:
            return (f"did not finish within the submission's time budget of {self.budget.seconds:g} s (all its "
                    f"cells and functions together; it used {cpu:.1f} s of CPU time {self.when})")
        return (f"did not finish within {self.wall_limit:g} s of wall-clock time {self.when} (it used {cpu:.1f} s "
                "of CPU time in that time: it was waiting or sleeping)")


def _run_queue_delays(threads: list[int]) -> dict[int, float]:
    """Seconds each thread has waited, runnable, for a core (the kernel's schedstat); unreadable threads are left out."""
    delays = {}
    for tid in threads[:10_000]:
        with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{tid}/schedstat") as handle:
            delays[tid] = int(handle.read().split()[1]) / 1e9
    return delays
