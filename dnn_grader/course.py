"""The course's assignments, discovered from its folder: an assignment is a folder of source/ and nothing else.

    source/<name>/<one notebook>.ipynb   the instructor notebook (nbgrader's source: solutions, hidden tests)
    source/<name>/checks.py              its public checks (released): `<function>_test(target)`, the inputs
                                         `<function>_test_case()`, and HINTS, each catalogued mistake's words
    source/<name>/*.py                   the assignment's helper modules (released; placed in the sandbox); a
                                         module's name is its own in the course, or a link to the same file
    source/<name>/instructor/            what only the instructor has (never released: nbgrader_config.py ignores it):
        spec.py                          how it is graded: SPECS (one FunctionSpec per graded function, in grading
                                         order), POSITION (its place in the series), TITLE, DATA (the data files
                                         its notebook reads); optional: DUE_DATE, DEMO_MISTAKE
        figures.py                       optional: FIGURES, file name in images/ -> a function drawing that figure
        materials.py                     optional: make(folder), what is made from the course's data (make release)

No other file names an assignment: every command takes a name or loops over `assignments(root)`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

CHECKS_FILE = "checks.py"  # the assignment's public checks, shipped in its handout
INSTRUCTOR_FOLDER = "instructor"  # nbgrader_config.py keeps it out of release/ (CourseDirectory.ignore)
SPEC_FILE = "spec.py"
ROOT_ENV_VAR = "DNN_COURSE_ROOT"
CONFIG_FILE = "nbgrader_config.py"  # marks the course folder
REPOSITORY = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Assignment:
    """One assignment of the series: its folder under source/ and its spec module (how it is graded)."""

    name: str
    folder: Path  # source/<name>
    spec: ModuleType  # source/<name>/instructor/spec.py, loaded

    @property
    def position(self) -> int:
        return int(getattr(self.spec, "POSITION", 0))

    @property
    def title(self) -> str:
        return str(getattr(self.spec, "TITLE", self.name))

    def instructor_module(self, name: str) -> ModuleType | None:
        """source/<name>/instructor/<name>.py, loaded; None if the assignment has no such file."""
        path = self.folder / INSTRUCTOR_FOLDER / f"{name}.py"
        return _load_module(path) if path.is_file() else None

    @property
    def checks(self) -> ModuleType | None:
        """source/<name>/checks.py, the public checks students run, loaded; None if the assignment has none."""
        path = self.folder / CHECKS_FILE
        return handout_module(path) if path.is_file() else None

    @property
    def data_files(self) -> tuple[str, ...]:
        """The course data files (in the data folder) the assignment's notebook reads; () if none."""
        return tuple(getattr(self.spec, "DATA", ()))


def course_root_above(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding nbgrader_config.py (nbgrader runs its commands there); None if
    there is none. `start` is taken as given (no link is resolved): a caller that wants the real folder resolves it."""
    for folder in [start, *start.parents]:
        if (folder / CONFIG_FILE).exists():
            return folder
    return None


def root(start: str | Path | None = None) -> Path:
    """The course folder: `start` if given; else $DNN_COURSE_ROOT; else the course at or above the working folder;
    else the repository this package was installed from."""
    if start is not None:
        return Path(start).resolve()
    if os.environ.get(ROOT_ENV_VAR):
        return Path(os.environ[ROOT_ENV_VAR]).resolve()
    return course_root_above(Path.cwd().resolve()) or REPOSITORY


def assignments(course_root: str | Path | None = None) -> list[Assignment]:
    """Every assignment of the course, in series order (POSITION, then name)."""
    found = _discover(str(root(course_root)))
    return sorted(found, key=lambda assignment: (assignment.position, assignment.name))


def names(course_root: str | Path | None = None) -> list[str]:
    return [assignment.name for assignment in assignments(course_root)]


def assignment(name: str, course_root: str | Path | None = None) -> Assignment:
    """One assignment by name; KeyError naming the known ones otherwise."""
    for candidate in assignments(course_root):
        if candidate.name == name:
            return candidate
    known = ", ".join(names(course_root)) or "none"
    raise KeyError(f"no assignment {name!r} in the course (source/<name>/instructor/spec.py); it has: {known}")


@cache
def _discover(course_root: str) -> tuple[Assignment, ...]:
    source = Path(course_root) / "source"
    return tuple(Assignment(spec_path.parent.parent.name, spec_path.parent.parent, _load_module(spec_path))
                 for spec_path in sorted(source.glob(f"*/{INSTRUCTOR_FOLDER}/{SPEC_FILE}")))


@cache
def _load_module(path: Path) -> ModuleType:
    """Import source/<name>/[instructor/]<module>.py as a module of its own (its folder is not a package)."""
    assignment_folder = path.parent.parent if path.parent.name == INSTRUCTOR_FOLDER else path.parent
    module_name = f"dnn_course_{assignment_folder.name}_{path.stem}_{abs(hash(str(path))):x}"
    loaded = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(loaded)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up by name
    loaded.loader.exec_module(module)
    return module


@cache
def handout_module(path: Path) -> ModuleType:
    """Import a module of a handout (source/<name>/<module>.py) as a module of its own.

    Its folder is searched last, while it loads, for what it imports: the course's top-level modules (public_tests,
    testCases, dnn_utils) are the ones already imported, and the folder's own helpers are found there. The helpers
    it imported are then forgotten by name, so that another assignment's helper of the same name is its own.
    """
    folder = str(path.parent)
    already_imported = set(sys.modules)
    sys.path.append(folder)
    try:
        module = _load_module(path)
    finally:
        sys.path.remove(folder)
        for name in set(sys.modules) - already_imported:
            if Path(getattr(sys.modules[name], "__file__", None) or "/").parent == path.parent:
                del sys.modules[name]
    return module


if __name__ == "__main__":  # the Makefile loops over this list: one name a line
    print("\n".join(names()))
