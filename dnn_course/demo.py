"""The course's main job on its embedded defaults: a demo class, graded end to end.

    python -m dnn_course.demo [--course-root DIR]

1. generates the student release of both assignments (nbgrader generate_assignment);
2. submits a small demo class: the instructor's solution, the blank release, and a
   submission with a classic mistake in each assignment;
3. autogrades it (nbgrader autograde), writes feedback (nbgrader generate_feedback),
   exports the grades (nbgrader export) and prints the grade table.
Only the demo students' folders are replaced; other students' work is left alone.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from dnn_grader.commands import nbgrader_cli
from dnn_grader.evidence.simulate import solved_notebook, submit
from dnn_grader.specs import MISTAKES

COURSE_ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ("step_by_step", "application")
DEMO_MISTAKES = {"step_by_step": "linear_backward:no_mean_dW", "application": "two_layer_model:fixed_learning_rate"}


def nbgrader(course_root: Path, *args: str) -> None:
    """Run one nbgrader command in the course root; stop the demo if it fails."""
    print(f"$ nbgrader {' '.join(args)}", flush=True)
    result = nbgrader_cli.run(course_root, *args)
    if result.returncode != 0:
        sys.exit(f"nbgrader {args[0]} failed:\n{result.stdout}{result.stderr}")


def submit_demo_class(course_root: Path) -> list[str]:
    students = ["demo-solution", "demo-blank", "demo-mistake"]
    for assignment in ASSIGNMENTS:
        mistake = next(v for v in MISTAKES if v.assignment == assignment and v.case_id == DEMO_MISTAKES[assignment])
        submit(course_root, "demo-solution", assignment, solved_notebook(course_root, assignment))
        submit(course_root, "demo-blank", assignment, solved_notebook(course_root, assignment, blank=True))
        submit(course_root, "demo-mistake", assignment, solved_notebook(course_root, assignment, mistake))
    return students


def print_grades(csv_path: Path, students: list[str]) -> None:
    with open(csv_path, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["student_id"] in students]
    print(f"\n{'student':<16}{'assignment':<16}{'score':>8}{'max':>8}")
    for row in sorted(rows, key=lambda r: (r["student_id"], r["assignment"])):
        print(f"{row['student_id']:<16}{row['assignment']:<16}{float(row['score']):>8.2f}{float(row['max_score']):>8.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course-root", type=Path, default=COURSE_ROOT, help="the course folder (default: this checkout)")
    course_root = parser.parse_args(argv).course_root.resolve()
    started = time.monotonic()
    for assignment in ASSIGNMENTS:
        nbgrader(course_root, "generate_assignment", assignment, "--force")
    students = submit_demo_class(course_root)
    print(f"Submitted {len(students)} demo students x {len(ASSIGNMENTS)} assignments.", flush=True)
    for assignment in ASSIGNMENTS:
        nbgrader(course_root, "autograde", assignment, "--student", "demo-*", "--force")
        nbgrader(course_root, "generate_feedback", assignment, "--student", "demo-*", "--force")
    nbgrader(course_root, "export", "--to", "grades.csv")
    print_grades(course_root / "grades.csv", students)
    print(f"\nDemo graded {len(students)} students in {time.monotonic() - started:.1f} s; "
          f"feedback in {course_root / 'feedback'}, grades in {course_root / 'grades.csv'}.")


if __name__ == "__main__":
    main()
