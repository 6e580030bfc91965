"""Autograding cost per submission, measured in one run on this machine.

    python -m dnn_grader.evidence.benchmark_autograde [--students K]

Three ways of autograding K solved submissions of both assignments with
`nbgrader autograde`, in scratch copies of the course:
- sandboxed: the course's configuration (dnn_grader's IsolatedAutograde);
- in the kernel: nbgrader's default Execute preprocessor running the notebooks,
  hidden tests included (the design this course replaced);
- trivial floor: nbgrader's default Execute on a notebook with one trivial test
  cell, as many notebooks as the two assignments have: kernel start and imports.
The ways take turns, student after student, so that all of them see the same
machine. Prints seconds per submission and the ratios. Timing belongs here, not
in the tests. Set DNN_DATASETS to the course's data so that the in-kernel way
trains on the real pictures, as a class's notebooks would.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from dnn_grader import specs
from dnn_grader.commands import nbgrader_cli
from dnn_grader.evidence.scratch_course import copy_course
from dnn_grader.evidence.simulate import solved_notebook, submit

KERNEL_EXECUTION = """
from nbgrader.preprocessors import Execute, IgnorePattern
c.Autograde.autograde_preprocessors = [
    Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,
    CheckCellMetadata]
c.Autograde.pre_convert_hook = None
c.Autograde.exporter_class = "nbconvert.exporters.NotebookExporter"
"""


def trivial_notebook() -> nbformat.NotebookNode:
    cell = new_code_cell("assert 1 + 1 == 2", metadata={"nbgrader": {
        "grade": True, "grade_id": "test_trivial", "locked": True, "points": 1, "schema_version": 3,
        "solution": False, "task": False}})
    notebook = new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def timed_autograde(course: Path, assignments, student: str) -> float:
    """Seconds to autograde `assignments` for one student (one `nbgrader autograde` per assignment)."""
    started = time.monotonic()
    for assignment in assignments:
        nbgrader_cli.run_checked(course, "autograde", assignment, "--force", f"--student={student}")
    return time.monotonic() - started


def prepare(root: Path, workdir: Path, name: str, extra_config: str, students: int, trivial: bool = False) -> Path:
    course = copy_course(root, workdir / name, extra_config)
    assignments = [f"trivial{i}" for i in range(len(specs.known_assignments()))] if trivial else specs.known_assignments()
    for assignment in assignments:
        if trivial:
            (course / "source" / assignment).mkdir(parents=True)
            nbformat.write(trivial_notebook(), course / "source" / assignment / "trivial.ipynb")
        nbgrader_cli.run_checked(course, "generate_assignment", assignment, "--force")
        for index in range(students):
            notebook = (nbformat.read(next((course / "release" / assignment).glob("*.ipynb")), as_version=4)
                        if trivial else solved_notebook(course, assignment))
            submit(course, f"student{index:02d}", assignment, notebook)
    return course


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=4, help="solved submissions per way (default 4)")
    parser.add_argument("--course-root", type=Path, default=Path(__file__).resolve().parents[2])
    args = parser.parse_args(argv)
    root, k = args.course_root.resolve(), args.students
    with tempfile.TemporaryDirectory(prefix="dnn-benchmark-") as scratch:
        workdir = Path(scratch)
        print(f"Preparing three scratch courses with {k} solved submissions each ...", flush=True)
        sandboxed = prepare(root, workdir, "sandboxed", "", k)
        kernel = prepare(root, workdir, "kernel", KERNEL_EXECUTION, k)
        floor = prepare(root, workdir, "floor", KERNEL_EXECUTION, k, trivial=True)
        ways = {
            "sandboxed (this course)": (sandboxed, specs.known_assignments()),
            "in the kernel (nbgrader's Execute)": (kernel, specs.known_assignments()),
            "trivial floor (2 trivial notebooks)": (floor, ["trivial0", "trivial1"]),
        }
        totals = dict.fromkeys(ways, 0.0)
        for index in range(k):  # the ways take turns, student after student: all see the same machine
            for label, (course, assignments) in ways.items():
                totals[label] += timed_autograde(course, assignments, f"student{index:02d}")
        figures = {label: total / k for label, total in totals.items()}
    base = figures["trivial floor (2 trivial notebooks)"]
    print(f"\nAutograding one submission of both assignments, mean of {k} students:")
    for label, seconds in figures.items():
        print(f"  {label:<38} {seconds:7.2f} s   {seconds / base:5.2f} x floor")


if __name__ == "__main__":
    main()
