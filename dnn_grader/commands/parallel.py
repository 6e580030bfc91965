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
gets a second chance. At the end every student's grade is read back from the
gradebook; a student without one is reported as "not graded, regrade", with the
reason from that student's own nbgrader log.
The gradebook is the course's SQLite file by default (writers wait for each other)
or any SQLAlchemy URL, e.g. postgresql://user@host/dbname for graders on several
machines.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from tqdm import tqdm

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.sandbox import Limits
from dnn_grader.hooks.preprocessor import NOT_GRADED

SQLITE_WAIT_SECONDS = 300
SECONDS_PER_STUDENT = Limits.student_seconds  # the sandbox's own guard on one student's whole grading
GROUP_START_SECONDS = 300  # nbgrader's start-up and the gradebook, per group


@dataclass
class GroupResult:
    """What one nbgrader autograde process did for a group of students."""

    students: list[str]
    returncode: int
    seconds: float
    log_tail: str = ""


@dataclass
class ClassResult:
    graded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def default_db_url(course_root: Path) -> str:
    """The course's SQLite gradebook, with writers waiting for each other instead of failing."""
    return f"sqlite:///{course_root / 'gradebook.db'}?timeout={SQLITE_WAIT_SECONDS}"


def submitted_students(course_root: Path, assignment: str) -> list[str]:
    submitted = course_root / "submitted"
    return sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())


def autograde_group(course_root: str, assignment: str, students: list[str], db_url: str,
                    others: list[str]) -> GroupResult:
    """Run one `nbgrader autograde` for `students` (everyone else in `others` is excluded)."""
    command = nbgrader_cli.command("autograde", assignment, "--force", f"--CourseDirectory.db_url={db_url}")
    if len(students) == 1:
        command.append(f"--student={students[0]}")
    else:
        command.append(f"--CourseDirectory.student_id_exclude={','.join(others)}")
    started = time.monotonic()
    deadline = GROUP_START_SECONDS + SECONDS_PER_STUDENT * len(students)
    process = subprocess.Popen(command, cwd=course_root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=nbgrader_cli.environment(PYTHONUNBUFFERED="1"), start_new_session=True)
    try:
        log, _ = process.communicate(timeout=deadline)
        returncode = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        log, _ = process.communicate()
        log += f"\n{NOT_GRADED}the group's grading was stopped after {deadline} s\n"
        returncode = -signal.SIGKILL
    return GroupResult(students, returncode, time.monotonic() - started, log[-20_000:])


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


def grade_class(course_root: Path, assignment: str, workers: int, db_url: str | None = None,
                dask: str | None = None, students: list[str] | None = None, quiet: bool = False) -> ClassResult:
    course_root = Path(course_root).resolve()
    db_url = db_url or default_db_url(course_root)
    students = students if students is not None else submitted_students(course_root, assignment)
    everyone = submitted_students(course_root, assignment)
    started = time.monotonic()
    jobs = [(str(course_root), assignment, group, db_url, [s for s in everyone if s not in group])
            for group in groups_of(students, workers)]
    with tqdm(total=len(students), desc=assignment, unit="student", file=sys.stderr, disable=quiet) as progress:
        results = run_jobs(jobs, workers, dask, progress)
    failed = [s for r in results if r.returncode != 0 for s in r.students]
    retry = sorted(set(failed) - graded_students(db_url, assignment, failed))
    if retry:  # alone this time, whatever the size of the group they were in
        results += run_jobs([(str(course_root), assignment, [s], db_url, []) for s in retry], workers, dask, None)
    graded = graded_students(db_url, assignment, students)
    logs = {s: r.log_tail for r in results for s in r.students}  # a student's last run: alone, if retried
    return ClassResult(sorted(graded), {s: failure_reason(logs.get(s, "")) for s in students if s not in graded},
                       time.monotonic() - started)


def failure_reason(log: str) -> str:
    """What to tell the instructor about a student without a grade: the grader's reason, else the log's end."""
    reasons = [line[line.index(NOT_GRADED):] for line in log.splitlines() if NOT_GRADED in line]
    return reasons[-1] if reasons else f"{NOT_GRADED}nbgrader failed; the end of its log:\n{log[-1500:]}"


def run_jobs(jobs: list[tuple], workers: int, dask: str | None, progress: tqdm | None) -> list[GroupResult]:
    if dask is not None:
        return _run_on_dask(jobs, workers, dask, progress)
    results = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in as_completed([pool.submit(autograde_group, *job) for job in jobs]):
            results.append(future.result())
            if progress is not None:
                progress.update(len(results[-1].students))
    return results


def _run_on_dask(jobs, workers, address, progress):
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if address in ("", "local"):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        futures = [client.submit(autograde_group, *job, pure=False) for job in jobs]
        results = []
        for future in dask_completed(futures):
            results.append(future.result())
            if progress is not None:
                progress.update(len(results[-1].students))
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel graders (default: cores)")
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
          f"({rate:.1f} per minute, {args.workers} workers); {len(result.failed)} failed.")
    for student, reason in result.failed.items():
        print(f"  {student}: {reason}")
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
