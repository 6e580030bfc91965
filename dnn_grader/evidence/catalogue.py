"""Autograde every scenario through nbgrader in one batch; print case, expected, got.

    python -m dnn_grader.evidence.catalogue [--course-root DIR] [--keep DIR] [--only TEXT]

The course (source/, the helper modules and nbgrader_config.py) is copied to a
scratch folder, the release is generated there, each scenario is submitted by its
own simulated student, and `nbgrader autograde <assignment>` grades them all at
once, as an instructor would. Run it after editing the course: every row should
say "ok".
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli
from dnn_grader.evidence.scenarios import Scenario, all_scenarios, describe_scores
from dnn_grader.evidence.scratch_course import autograded_text, copy_course, fingerprint, scores_of
from dnn_grader.evidence.simulate import submit


@dataclass
class Row:
    scenario: Scenario
    got: str
    ok: bool


def student_id(index: int, scenario: Scenario) -> str:
    return f"case{index:03d}-{scenario.kind}"


def submit_all(course_root: Path, scenarios: list[Scenario]) -> dict[str, Scenario]:
    students = {}
    for index, scenario in enumerate(scenarios):
        student = student_id(index, scenario)
        path = submit(course_root, student, scenario.assignment, scenario.build(course_root), scenario.filename)
        for name, text in (scenario.files or {}).items():
            (path.parent / name).write_text(text)
        students[student] = scenario
    return students


def run_scenarios(course_root: Path, scenarios: list[Scenario]) -> tuple[list[Row], dict]:
    """Submit and autograde the scenarios in one nbgrader batch per assignment."""
    students = submit_all(course_root, scenarios)
    submitted_before = fingerprint(course_root / "submitted")
    stats = {"seconds": 0.0, "submissions": len(students), "returncodes": {}, "students": students}
    for assignment in sorted({s.assignment for s in scenarios}):
        started = time.monotonic()
        result = nbgrader_cli.run(course_root, "autograde", assignment, "--force")
        stats["seconds"] += time.monotonic() - started
        stats["returncodes"][assignment] = result.returncode
        stats.setdefault("log", "")
        stats["log"] += result.stdout + result.stderr
    stats["submitted_unchanged"] = fingerprint(course_root / "submitted") == submitted_before
    rows = []
    for student, scenario in students.items():
        scores = scores_of(course_root, scenario.assignment, student)
        ok = scenario.check(scores)
        if scenario.note:
            ok = ok and scenario.note in autograded_text(course_root, scenario.assignment, student)
        rows.append(Row(scenario, describe_scores(scores), ok))
    return rows, stats


def prepare(course_root: Path, workdir: Path) -> Path:
    course = copy_course(course_root, workdir / "course")
    for assignment in specs.known_assignments(course):
        nbgrader_cli.run_checked(course, "generate_assignment", assignment, "--force")
    return course


def print_table(rows: list[Row]) -> None:
    width = max(len(row.scenario.case_id) for row in rows)
    print(f"{'case':<{width}}  {'kind':<10}  {'expected':<42}  {'got':<44}  result")
    for row in rows:
        print(f"{row.scenario.case_id:<{width}}  {row.scenario.kind:<10}  {row.scenario.expected:<42}  "
              f"{row.got:<44}  {'ok' if row.ok else 'UNEXPECTED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--course-root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--only", default="", help="only the cases whose id contains this text")
    args = parser.parse_args(argv)
    every = all_scenarios(args.course_root.resolve())  # the cases are built later, from the scratch course
    chosen = [s.case_id for s in every if args.only in s.case_id]
    if not chosen:
        print(f"No catalogued case id contains {args.only!r}. The {len(every)} cases:\n  "
              + "\n  ".join(s.case_id for s in every), file=sys.stderr)
        return 2
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="dnn-catalogue-"))
    try:
        print(f"Preparing a scratch course in {workdir} ...", flush=True)
        course = prepare(args.course_root.resolve(), workdir)
        scenarios = [s for s in all_scenarios(course) if s.case_id in chosen]
        print(f"Autograding {len(scenarios)} simulated submissions with nbgrader ...", flush=True)
        rows, stats = run_scenarios(course, scenarios)
        print_table(rows)
        by_kind = {}
        for row in rows:
            passed, total = by_kind.get(row.scenario.kind, (0, 0))
            by_kind[row.scenario.kind] = (passed + row.ok, total + 1)
        kinds = ", ".join(f"{kind} {p}/{t}" for kind, (p, t) in by_kind.items())
        print(f"\n{sum(r.ok for r in rows)} of {len(rows)} cases as expected ({kinds}); "
              f"submitted files unchanged: {stats['submitted_unchanged']}; "
              f"autograde {stats['seconds']:.1f} s for {stats['submissions']} submissions "
              f"({stats['seconds'] / max(1, stats['submissions']):.2f} s each).")
        return 0 if all(r.ok for r in rows) and stats["submitted_unchanged"] else 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
