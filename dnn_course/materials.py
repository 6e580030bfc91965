"""Make every assignment's material that comes from the course's data (run by `make release`, before nbgrader).

    python -m dnn_course.materials [ASSIGNMENT ...]

An assignment that has such material says how to make it in source/<assignment>/instructor/materials.py, a
function make(folder) writing into its folder (for the application: its sample picture).
"""

from __future__ import annotations

import argparse

from dnn_grader import course


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="the assignments (default: every one)")
    chosen = parser.parse_args(argv).assignments
    for assignment in course.assignments():
        materials = assignment.instructor_module("materials")
        if materials is not None and (not chosen or assignment.name in chosen):
            materials.make(assignment.folder)


if __name__ == "__main__":
    main()
