"""Autograde a whole class in parallel, with nbgrader's own autograde for every student.

    python -m dnn_grader.commands.parallel ASSIGNMENT [--workers N] [--db-url URL] [--dask [ADDRESS]]

The class is split into small groups of students; each group is graded by one
`nbgrader autograde ASSIGNMENT` process (with the course's nbgrader_config.py, so
the sandboxed grading and its protections apply), several groups at a time:
- on this machine's cores (the default), or
- on Dask distributed workers (--dask: a local cluster of N worker processes, or
  the scheduler at ADDRESS for a real cluster whose workers share the course folder).
Every group has a deadline (a generous one per student; a group over it is
stopped). Every student of a group that failed or ran out of time is regraded
alone, once, so one broken submission never stops the rest and a busy machine
gets a second chance. A group whose grading did not end by itself (stopped at its
deadline, or lost with its Dask worker once Dask gives up on it) is regraded in
full, each student alone, even the students who look graded: nbgrader writes a
student's grades cell by cell, and a grading cut short over an earlier grade would
look complete. An nbgrader dies with the worker that started it, so that Dask's
re-run of a lost worker's group never grades beside it. At the end every student's
grade is read back from the gradebook; a student without one is reported as "not
graded, regrade", with the reason the grader handed over as data (dnn_grader.hooks.verdicts:
one small file per notebook, in a folder of this command's), or the one this command
knows (a group stopped at its deadline, a Dask task lost); only when nbgrader itself
failed before the grader could say anything, with the end of nbgrader's log.
The gradebook is the course's SQLite file by default (writers wait for each other)
or any SQLAlchemy URL, e.g. postgresql://user@host/dbname for graders on several
machines.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from tqdm import tqdm

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.sandbox import Limits
from dnn_grader.hooks import verdicts
from dnn_grader.hooks.verdicts import NOT_GRADED  # the words of every reason a student has no grade

SQLITE_WAIT_SECONDS = 300
SECONDS_PER_STUDENT = Limits.student_seconds  # the sandbox's own guard on one student's whole grading
GROUP_START_SECONDS = 300  # nbgrader's start-up and the gradebook, per group
# The Dask event each group's task logs when it starts. The scheduler keeps the last 1,000 events of a topic
# (distributed.admin.low-level-log-length): past that many groups in one run, re-runs may go uncounted.
STARTED_TOPIC = "dnn-grader-group-started"
# Runs nbgrader with PR_SET_PDEATHSIG: the kernel kills it when the thread that started it ends, that is when its
# grader (a Dask worker, this command) dies, since that thread waits for nbgrader until it ends. Without it a killed
# worker's nbgrader, in a session of its own, would go on grading beside Dask's re-run of the same group: two
# nbgrader runs removing and rewriting the same students' autograded folders, the dead one still writing when the
# command has reported the class graded. (prctl in the child, before exec: preexec_fn is unsafe in a threaded
# worker.)
DIE_WITH_PARENT = """import ctypes, os, signal, sys
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
if os.getppid() != int(sys.argv[1]):
    os._exit(1)
os.execvp(sys.argv[2], sys.argv[2:])
"""


@dataclass
class GroupResult:
    """What one nbgrader autograde process did for a group of students."""

    students: list[str]
    returncode: int
    seconds: float
    log_tail: str = ""
    stopped: str = ""  # why this command ended the group's grading itself (its deadline, a lost Dask task)


@dataclass
class ClassGrading:
    graded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    workers: int = 0
    rerun: list[list[str]] = field(default_factory=list)  # groups Dask started again after losing their worker


def default_db_url(course_root: Path) -> str:
    """The course's SQLite gradebook, with writers waiting for each other instead of failing."""
    return f"sqlite:///{course_root / 'gradebook.db'}?timeout={SQLITE_WAIT_SECONDS}"


def submitted_students(course_root: Path, assignment: str) -> list[str]:
    submitted = course_root / "submitted"
    return sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())


def autograde_group(course_root: str, assignment: str, students: list[str], db_url: str,
                    others: list[str], verdict_folder: str) -> GroupResult:
    """Run one `nbgrader autograde` for `students` (everyone else in `others` is excluded).

    The grader writes its verdict on each notebook into `verdict_folder` (dnn_grader.hooks.verdicts); the
    students' earlier verdicts are removed first, so that what is there describes this run only.
    """
    for student in students:
        verdicts.forget(verdict_folder, student)
    command = nbgrader_cli.command("autograde", assignment, "--force", f"--CourseDirectory.db_url={db_url}",
                                   f"--IsolatedAutograde.verdict_folder={verdict_folder}")
    if len(students) == 1:
        command.append(f"--student={students[0]}")
    else:
        command.append(f"--CourseDirectory.student_id_exclude={','.join(others)}")
    command = [sys.executable, "-c", DIE_WITH_PARENT, str(os.getpid()), *command]
    started = time.monotonic()
    deadline = GROUP_START_SECONDS + SECONDS_PER_STUDENT * len(students)
    process = subprocess.Popen(command, cwd=course_root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=nbgrader_cli.environment(PYTHONUNBUFFERED="1"), start_new_session=True)
    stopped = ""
    try:
        log, _ = process.communicate(timeout=deadline)
        returncode = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        log, _ = process.communicate()
        stopped = f"the group's grading was stopped after {deadline} s"
        returncode = -signal.SIGKILL
    return GroupResult(students, returncode, time.monotonic() - started, log[-20_000:], stopped)


def groups_of(students: list[str], workers: int, size: int | None = None) -> list[list[str]]:
    """Small groups (about four per worker): big enough to share nbgrader's start-up, small enough to balance."""
    size = size or max(1, min(25, math.ceil(len(students) / (workers * 4))))
    return [students[i:i + size] for i in range(0, len(students), size)]


def graded_students(db_url: str, assignment: str, students: list[str]) -> set[str]:
    """The students whose submission has an autograde score in the gradebook."""
    graded = set()
    with Gradebook(db_url) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            if all(grade.auto_score is not None for notebook in submission.notebooks for grade in notebook.grades):
                graded.add(student)
    return graded


def grade_class(course_root: Path, assignment: str, workers: int | None = None, db_url: str | None = None,
                dask: str | None = None, students: list[str] | None = None, quiet: bool = False) -> ClassGrading:
    """Grade the class; `workers` sizes the groups (default: this machine's cores, or a Dask cluster's threads)."""
    course_root = Path(course_root).resolve()
    db_url = db_url or default_db_url(course_root)
    students = students if students is not None else submitted_students(course_root, assignment)
    everyone = submitted_students(course_root, assignment)
    started = time.monotonic()
    # The graders' verdicts: in the course folder, which a real cluster's workers share; removed at the end
    verdict_folder = tempfile.mkdtemp(prefix=".dnn-grader-verdicts-", dir=course_root)
    try:
        with dask_client(dask, workers) as client:
            workers = workers or (cluster_threads(client) if client else os.cpu_count() or 1)
            jobs = [(str(course_root), assignment, group, db_url, [s for s in everyone if s not in group],
                     verdict_folder) for group in groups_of(students, workers)]
            with tqdm(total=len(students), desc=assignment, unit="student", file=sys.stderr,
                      disable=quiet) as progress:
                results, rerun = run_jobs(jobs, workers, client, progress)
            failed = [s for r in results if r.returncode != 0 for s in r.students]
            unfinished = {s for r in results if r.returncode < 0 for s in r.students}  # killed: trust none of it
            retry = sorted(set(failed) - graded_students(db_url, assignment, failed) | unfinished)
            if retry:  # alone this time, whatever the size of the group they were in
                alone = [(str(course_root), assignment, [s], db_url, [], verdict_folder) for s in retry]
                more, rerun_alone = run_jobs(alone, workers, client, None)
                results, rerun = results + more, rerun + rerun_alone
        graded = graded_students(db_url, assignment, students)
        last_runs = {s: r for r in results for s in r.students}  # a student's last run: alone, if retried
        reasons = {s: failure_reason(verdicts.read(verdict_folder, s), last_runs.get(s))
                   for s in students if s not in graded}
    finally:
        shutil.rmtree(verdict_folder, ignore_errors=True)
    return ClassGrading(sorted(graded), reasons, time.monotonic() - started, workers, rerun)


def failure_reason(student_verdicts: list[verdicts.Verdict], last_run: GroupResult | None) -> str:
    """What to tell the instructor about a student without a grade.

    The reason this command stopped the student's last run, else the grader's verdicts on the student's notebooks,
    else (nbgrader failed before the grader could say anything) the end of nbgrader's log.
    """
    if last_run is not None and last_run.stopped:
        return NOT_GRADED + last_run.stopped
    reasons = [verdict.reason for verdict in student_verdicts if not verdict.graded]
    if reasons:
        return NOT_GRADED + "; ".join(reasons)
    log = last_run.log_tail if last_run is not None else ""
    return f"{NOT_GRADED}nbgrader failed; the end of its log:\n{log[-1500:]}"


def run_jobs(jobs: list[tuple], workers: int, client, progress: tqdm | None) -> tuple[list[GroupResult], list]:
    """Every job's GroupResult, and the groups a Dask cluster started more than once (it lost their worker)."""
    if client is not None:
        return _run_on_dask(jobs, client, progress)
    results = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in as_completed([pool.submit(autograde_group, *job) for job in jobs]):
            results.append(future.result())
            if progress is not None:
                progress.update(len(results[-1].students))
    return results, []


@contextlib.contextmanager
def dask_client(address: str | None, workers: int | None):
    """None without --dask; else a Client of the scheduler at `address`, or of a local cluster of `workers`."""
    if address is None:
        yield None
        return
    from dask.distributed import Client, LocalCluster

    if address in ("", "local"):
        with LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
    else:
        with Client(address) as client:
            yield client


def cluster_threads(client) -> int:
    """The threads of the cluster's workers now: each grades one group at a time."""
    return max(1, sum(client.nthreads().values()))


def _dask_task(*job) -> GroupResult:
    """One group on a Dask worker; logs its start, so that a start on a second worker (a re-run) shows."""
    from dask.distributed import get_worker

    worker = get_worker()
    worker.log_event(STARTED_TOPIC, {"key": str(worker.get_current_task()), "worker": worker.address})
    return autograde_group(*job)


def _run_on_dask(jobs, client, progress):
    from dask.distributed import as_completed as dask_completed

    futures = {client.submit(_dask_task, *job, pure=False): job for job in jobs}
    groups = {str(future.key): job[2] for future, job in futures.items()}
    results = []
    for future in dask_completed(list(futures)):
        try:
            results.append(future.result())
        except Exception as error:  # KilledWorker (its workers kept dying), or the cluster went away
            results.append(GroupResult(futures[future][2], -1, 0.0, stopped=f"its Dask task failed: {error!r}"))
        # Let go of the result at once: Dask recomputes a result still wanted when the worker holding it is lost,
        # and that would grade a finished group again.
        del futures[future]
        future.release()
        if progress is not None:
            progress.update(len(results[-1].students))
    starts = [event["key"] for _, event in client.get_events(STARTED_TOPIC)]
    return results, [group for key, group in groups.items() if starts.count(key) > 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--workers", type=int, help="parallel graders (default: this machine's cores; with a Dask "
                        "scheduler, its workers' threads)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the gradebook (default: the course's SQLite file)")
    parser.add_argument("--dask", nargs="?", const="local", help="grade on Dask: 'local' or a scheduler address")
    parser.add_argument("--course-root", type=Path, default=Path.cwd(), help="the course folder (default: here)")
    args = parser.parse_args(argv)
    known = nbgrader_cli.known_assignments(args.course_root, args.db_url)
    if args.assignment not in known:
        print(nbgrader_cli.unknown_assignment(args.assignment, known), file=sys.stderr)
        return 2
    if not submitted_students(args.course_root.resolve(), args.assignment):
        print(f"No submission of {args.assignment} to grade: submitted/<student>/{args.assignment}/ is empty or absent "
              f"(`nbgrader collect {args.assignment}` or `nbgrader zip_collect {args.assignment}` puts them there).",
              file=sys.stderr)
        return 1
    result = grade_class(args.course_root, args.assignment, args.workers, args.db_url, args.dask)
    total = len(result.graded) + len(result.failed)
    rate = 60 * total / max(result.seconds, 1e-9)
    print(f"Graded {len(result.graded)} of {total} students of {args.assignment} in {result.seconds:.1f} s "
          f"({rate:.1f} per minute, {result.workers} workers); {len(result.failed)} failed.")
    if result.rerun:
        print(f"Dask lost a worker and graded {len(result.rerun)} group(s) again elsewhere "
              f"({sum(map(len, result.rerun))} students): {'; '.join(' '.join(g) for g in result.rerun)}.")
    for student, reason in result.failed.items():
        print(f"  {student}: {reason}")
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
