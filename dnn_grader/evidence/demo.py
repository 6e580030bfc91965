"""The course's main job on its embedded defaults: a demo class, graded end to end.

    python -m dnn_grader.evidence.demo [--course-root DIR] [--clean]

1. generates the student release of both assignments (nbgrader generate_assignment);
2. submits a small demo class: the instructor's solution, the blank release, and a
   submission with a classic mistake in each assignment;
3. autogrades it (nbgrader autograde), writes feedback (nbgrader generate_feedback),
   exports the grades (nbgrader export) and prints the grade table.
Only the demo students' folders are replaced; other students' work is left alone.
With --clean (`make clean`), the demo students are removed again: their folders, their gradebook entries, and
the files the demo and the tests wrote (see `clean`); a real student's work is never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from dnn_grader import course, specs
from dnn_grader.commands import nbgrader_cli
from dnn_grader.evidence.simulate import solved_notebook, submit

COURSE_ROOT = Path(__file__).resolve().parents[2]
# The demo's students, by id: `make clean` removes these and no other student.
DEMO_STUDENTS = ("demo-solution", "demo-blank", "demo-mistake")
# nbgrader's folders of students' work, each holding one folder per student.
STUDENT_FOLDERS = ("submitted", "autograded", "feedback")
# What the tests (`make test`) and the linter (`make lint`) write in the course folder; all git-ignored.
TOOL_OUTPUTS = ("tests/screenshots", ".pytest_cache", ".ruff_cache")


def nbgrader(course_root: Path, *args: str) -> None:
    """Run one nbgrader command in the course root; stop the demo if it fails."""
    print(f"$ nbgrader {' '.join(args)}", flush=True)
    result = nbgrader_cli.run(course_root, *args)
    if result.returncode != 0:
        sys.exit(f"nbgrader {args[0]} failed:\n{result.stdout}{result.stderr}")


def demo_mistake(course_root: Path, assignment: str):
    """The classic mistake demo-mistake makes: the spec's DEMO_MISTAKE ("function:name"), else its first one."""
    mistakes = [variant for spec in specs.load(assignment, course_root) for variant in spec.mistakes]
    named = getattr(course.assignment(assignment, course_root).spec, "DEMO_MISTAKE", None)
    return next((variant for variant in mistakes if variant.case_id == named), mistakes[0] if mistakes else None)


def submit_demo_class(course_root: Path, assignments: list[str]) -> list[str]:
    students = list(DEMO_STUDENTS)
    for assignment in assignments:
        mistake = demo_mistake(course_root, assignment)
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


def clean(course_root: Path) -> list[str]:
    """Remove what the demo and the tests wrote; return what was removed (paths relative to the course root).

    Removed: each demo student's folder in submitted/, autograded/ and feedback/, and the student in the gradebook
    (with their grades); grades.csv when it holds demo students only; feedback/_mathjax once no student's feedback is
    left beside it; nbgrader's folders of students' work once empty; the tests' screenshots and the caches of pytest
    and ruff. Kept: everything of any other student, source/, release/, the gradebook itself (the assignments that
    generate_assignment entered), the grading secret, reports/, and .venv.
    """
    removed = []
    for folder in STUDENT_FOLDERS:
        for student in DEMO_STUDENTS:
            path = course_root / folder / student
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
                removed.append(f"{folder}/{student}")
    gradebook = course_root / "gradebook.db"
    if demo_students_in(gradebook):  # nbgrader's Gradebook writes to the file on opening: only when there is work
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{gradebook}") as book:
            for student in demo_students_in(gradebook):
                book.remove_student(student)
                removed.append(f"gradebook.db: student {student}")
    grades = course_root / "grades.csv"
    if grades.is_file():
        with open(grades, newline="") as handle:
            ids = {row.get("student_id") for row in csv.DictReader(handle)}
        if ids <= set(DEMO_STUDENTS):
            grades.unlink()
            removed.append("grades.csv")
    mathjax = course_root / "feedback" / "_mathjax"
    if mathjax.is_dir() and [p.name for p in (course_root / "feedback").iterdir()] == ["_mathjax"]:
        shutil.rmtree(mathjax)
        removed.append("feedback/_mathjax")
    for folder in STUDENT_FOLDERS:
        path = course_root / folder
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()
            removed.append(f"{folder}/")
    for name in TOOL_OUTPUTS:
        path = course_root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
            removed.append(name)
    return removed


def demo_students_in(gradebook: Path) -> list[str]:
    """The demo students the SQLite gradebook holds, read without writing to it."""
    if not gradebook.is_file():
        return []
    with contextlib.closing(sqlite3.connect(f"{gradebook.resolve().as_uri()}?mode=ro", uri=True)) as db:
        rows = db.execute(f"SELECT id FROM student WHERE id IN ({','.join('?' * len(DEMO_STUDENTS))})",
                          DEMO_STUDENTS).fetchall()
    return sorted(row[0] for row in rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course-root", type=Path, default=COURSE_ROOT, help="the course folder (default: this checkout)")
    parser.add_argument("--clean", action="store_true", help="remove the demo students and what the demo and the tests "
                        "wrote, and nothing else (`make clean`)")
    args = parser.parse_args(argv)
    course_root = args.course_root.resolve()
    if args.clean:
        removed = clean(course_root)
        print("\n".join(f"removed {path}" for path in removed))
        print(f"Cleaned {course_root}: {len(removed)} items removed; other students' work, source/, release/, the "
              "gradebook and the grading secret kept.")
        return
    started = time.monotonic()
    assignments = specs.known_assignments(course_root)
    for assignment in assignments:
        nbgrader(course_root, "generate_assignment", assignment, "--force")
    students = submit_demo_class(course_root, assignments)
    print(f"Submitted {len(students)} demo students x {len(assignments)} assignments.", flush=True)
    for assignment in assignments:
        nbgrader(course_root, "autograde", assignment, "--student", "demo-*", "--force")
        nbgrader(course_root, "generate_feedback", assignment, "--student", "demo-*", "--force")
    nbgrader(course_root, "export", "--to", "grades.csv")
    print_grades(course_root / "grades.csv", students)
    print(f"\nDemo graded {len(students)} students in {time.monotonic() - started:.1f} s; "
          f"feedback in {course_root / 'feedback'}, grades in {course_root / 'grades.csv'}.")


if __name__ == "__main__":
    main()
