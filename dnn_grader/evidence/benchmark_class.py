"""Class throughput: submissions autograded per minute with 1, 2 and N workers, SQLite and PostgreSQL.

    python -m dnn_grader.evidence.benchmark_class [--students 120] [--workers 1,2,4] [--no-postgres]

A scratch copy of the course gets a generated class of assignment 1 submissions,
in turn correct (the solution and the catalogue's correct variants), buggy (the
catalogue's classic mistakes) and blank. The class is then graded with
`python -m dnn_grader.commands.parallel`'s grade_class, once per worker count and
gradebook, each time into a fresh gradebook: the course's SQLite file and, when
PostgreSQL's server is installed, a database on a throw-away local server. Runs
alternate between the two gradebooks so that both see the same machine. Every
run must record a grade for every student. Timing belongs here, not in the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from pathlib import Path

from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli
from dnn_grader.commands.parallel import grade_class
from dnn_grader.evidence import postgres_server
from dnn_grader.evidence.scratch_course import copy_course
from dnn_grader.evidence.simulate import solved_notebook, submit
from dnn_grader.specs import CORRECT, MISTAKES


def make_class(course: Path, assignment: str, size: int) -> dict[str, str]:
    """`size` submissions of the assignment, a third each correct, buggy and blank; returns student -> kind."""
    correct = [None, *(v for v in CORRECT if v.assignment == assignment)]
    mistakes = [v for v in MISTAKES if v.assignment == assignment]
    kinds = {}
    for index in range(size):
        student, kind = f"student{index:03d}", ("correct", "buggy", "blank")[index % 3]
        variant = {"correct": correct, "buggy": mistakes}.get(kind, [None])
        notebook = solved_notebook(course, assignment, variant[(index // 3) % len(variant)], blank=kind == "blank")
        submit(course, student, assignment, notebook)
        kinds[student] = kind
    return kinds


def fresh_gradebook(course: Path, assignment: str, db_url: str) -> None:
    """Record the assignment in an empty gradebook, as `nbgrader generate_assignment` does for a course."""
    nbgrader_cli.run_checked(course, "generate_assignment", assignment, "--force", f"--CourseDirectory.db_url={db_url}")


def timed_run(course: Path, assignment: str, db_url: str, workers: int, students: int) -> float:
    """Grade the whole class into db_url with `workers` workers; returns submissions per minute."""
    fresh_gradebook(course, assignment, db_url)
    started = time.monotonic()
    result = grade_class(course, assignment, workers, db_url, quiet=True)
    seconds = time.monotonic() - started
    if result.failed or len(result.graded) != students:
        raise RuntimeError(f"{len(result.failed)} students got no grade: {sorted(result.failed)[:5]}")
    return 60 * students / seconds


def parse_workers(text: str) -> list[int]:
    counts = [int(n) for n in text.split(",")]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("workers: a comma-separated list of positive counts, e.g. 1,2,4")
    return sorted(set(counts))


def main(argv: list[str] | None = None) -> None:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=120, help="submissions in the class (default 120)")
    parser.add_argument("--workers", type=parse_workers, default=parse_workers(f"1,2,{cores}"),
                        help=f"worker counts to measure (default 1,2,{cores}: this machine's cores)")
    parser.add_argument("--no-postgres", action="store_true", help="measure the SQLite gradebook only")
    parser.add_argument("--course-root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--assignment", help="the assignment whose class is graded (default: the series' first)")
    args = parser.parse_args(argv)
    assignment = args.assignment or specs.known_assignments(args.course_root)[0]
    use_postgres = not args.no_postgres and postgres_server.server_binaries() is not None
    with tempfile.TemporaryDirectory(prefix="dnn-class-benchmark-") as scratch:
        course = copy_course(args.course_root.resolve(), Path(scratch) / "course", extra_config="")
        fresh_gradebook(course, assignment, f"sqlite:///{course / 'gradebook.db'}")
        print(f"Generating a class of {args.students} submissions of {assignment} ...", flush=True)
        kinds = make_class(course, assignment, args.students)
        print("  " + ", ".join(f"{k}: {list(kinds.values()).count(k)}" for k in ("correct", "buggy", "blank")))
        rates: dict[tuple[str, int], float] = {}
        with postgres_server.temporary_server("unused") if use_postgres else contextlib.nullcontext() as server:
            for workers in args.workers:
                books = {"SQLite": f"sqlite:///{course / f'gradebook-{workers}.db'}?timeout=300"}
                if server:
                    books["PostgreSQL"] = postgres_server.create_database(server.rsplit("/", 1)[0], f"run{workers}")
                for name, db_url in books.items():
                    print(f"Grading with {workers} worker(s) into {name} ...", flush=True)
                    rates[name, workers] = timed_run(course, assignment, db_url, workers, args.students)
                    print(f"  {rates[name, workers]:.1f} submissions per minute", flush=True)
    print(f"\nClass throughput, {args.students} submissions of {assignment}, {cores} cores "
          f"(speed-up against 1 worker with the same gradebook):")
    for (name, workers), rate in rates.items():
        base = rates.get((name, min(args.workers)))
        print(f"  {name:<11} {workers:>2} worker(s)  {rate:7.1f} per minute   {rate / base:5.2f} x")
    if not use_postgres:
        print("  (PostgreSQL not measured: --no-postgres, or its server is not installed)")


if __name__ == "__main__":
    main()
