"""Which version of the grader produced a grade: a digest of everything that can change a verdict or a sentence.

A grade is kept with the digest of what judged it, so that the class report can tell grades of several grader
versions apart and `dnn-grader regrade` can say what a change to the grader would change. The digest covers:
- "specs": the assignment's spec module and the specs package (hidden cases, mistakes, hints);
- "reference": the setup and solution cells of source/<assignment>/'s notebook (the reference solution);
- "course_modules": the .py files of source/<assignment>/ (checks.py's hints, public_tests.py's tolerances, dnn_utils.py,
  testCases.py, ...), links resolved;
- "engine": the grader's own code that draws, runs and judges (dnn_grader/engine/, dnn_grader/inside/ and the
  autograde preprocessor), the gradient checks' bounds included;
- "limits": the sandbox's limits (memory, CPU and wall-clock seconds), as configured.
Not covered: the course's secret and the per-student draws it seeds (the same at every regrade of a submission),
and the student's submission.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import cache
from pathlib import Path

import dnn_grader
from dnn_grader import course
from dnn_grader.engine import references

DIGEST_CHARS = 12  # shown to instructors; 48 bits tell a course's few grader versions apart
PACKAGE = Path(dnn_grader.__file__).resolve().parent
ENGINE_FILES = ("engine/*.py", "inside/*.py", "hooks/preprocessor.py")


def digest(parts: dict[str, str]) -> str:
    """A short hex digest of named texts, independent of their order."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:DIGEST_CHARS]


def files_text(paths: list[Path], root: Path) -> dict[str, str]:
    """Relative name -> content of each file (links resolved)."""
    return {str(path.relative_to(root)): path.resolve().read_text() for path in sorted(paths)}


def grader_parts(course_root: str, assignment: str, limits: dict) -> dict[str, str]:
    """Part name -> digest of that part of the grader (see the module's docstring)."""
    source = Path(course_root) / "source" / assignment
    specs = [PACKAGE / "specs" / "__init__.py", source / course.INSTRUCTOR_FOLDER / course.SPEC_FILE]
    engine = [path for pattern in ENGINE_FILES for path in PACKAGE.glob(pattern)]
    return {
        "specs": digest({"specs": files_text(specs[:1], PACKAGE), "spec": specs[1].read_text()}),
        "reference": digest(references.solution_sources(str(course_root), assignment)),
        "course_modules": digest(files_text(list(source.glob("*.py")), source)),
        "engine": digest(files_text(engine, PACKAGE)),
        "limits": digest({name: repr(value) for name, value in limits.items()}),
    }


@cache
def _cached(course_root: str, assignment: str, limits: tuple) -> dict:
    parts = grader_parts(course_root, assignment, dict(limits))
    return {"version": digest(parts), "parts": parts}


def grader_version(course_root: str | Path, assignment: str, limits=None) -> dict:
    """{"version": digest of the whole grader, "parts": digest of each part}; `limits` a sandbox Limits."""
    fields = tuple(sorted(dataclasses.asdict(limits).items())) if limits is not None else ()
    return dict(_cached(str(Path(course_root).resolve()), assignment, fields))
