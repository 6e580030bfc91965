"""Regrade a class with the current grader and show what would change; with --apply, write it.

    dnn-grader regrade ASSIGNMENT [--apply] [--workers N] [--db-url URL] [--course-root DIR]

Every stored submission is graded again by nbgrader's own autograde (with the course's configuration, through
dnn_grader.commands.parallel) in a scratch copy of the course: the grader (nbgrader_config.py, the top-level
modules, source/, dnn_grader/ if the course folder holds it, the grading secret so that every submission draws
the same hidden cases), a copy of submitted/ and a scratch SQLite gradebook. Nothing of the course is written. The
printed table lists every student and function whose points or feedback sentence would change (old -> new).
--apply then writes, for the students who change and for them only, the new autograded notebooks and their
scores in the course's gradebook, with nbgrader's own SaveAutoGrades and AssignLatePenalties (so manual scores
and comments given in formgrader stay, and the late penalty follows the same lateness). A student the grader could
not regrade is reported as "not graded" and keeps the old grade.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from dnn_grader.commands import nbgrader_cli, parallel
from dnn_grader.commands.report.read import UNKNOWN_VERSION, configured_gradebook
from dnn_grader.engine.cells import grade_id_of
from dnn_grader.engine.secret import FILE_NAME as SECRET_FILE
from dnn_grader.hooks.preprocessor import RECORD_KEY, TEST_PREFIX

SCRATCH_DB = "gradebook.db"
SHORT = 90  # characters of a feedback line shown in the table


@dataclass(frozen=True)
class Verdict:
    """One graded function of one student, as graded: its autograde points and its feedback text."""

    points: float | None
    max_points: float
    feedback: str | None  # the test cell's printed text; None when the autograded notebook is missing


@dataclass(frozen=True)
class Change:
    """A function whose regrade differs from the stored grade."""

    student: str
    notebook: str
    function: str
    old: Verdict
    new: Verdict
    manual_score: float | None = None  # given in formgrader: kept, and still counts instead of the points

    @property
    def points_change(self) -> bool:
        return self.old.points != self.new.points


@dataclass
class Regrade:
    """What regrading a class found."""

    students: list[str]  # every student regraded
    changes: list[Change]
    not_graded: dict[str, str]  # student -> the reason; their old grade stays
    old_versions: dict[str, dict]  # student -> the grader version the stored notebook records ({} if none)
    new_versions: dict[str, dict]  # student -> the current grader's version (from the scratch notebooks)
    scratch: Path | None = None

    @property
    def changed_students(self) -> list[str]:
        return sorted({change.student for change in self.changes})


# ---------------------------------------------------------------- reading grades


def test_cell_text(cell) -> str:
    """What a graded test cell printed: its stream outputs and its result, as the feedback shows them."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", "") if output.get("output_type") == "stream"
                     else output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def notebook_texts(path: Path) -> tuple[dict[str, str], dict]:
    """(grade_id -> printed text of each graded test cell, the grader version it records: {"grader", "grader_parts"}
    or {}) of one autograded notebook."""
    if not path.exists():
        return {}, {}
    notebook = nbformat.read(path, as_version=4)
    texts = {grade_id_of(cell): test_cell_text(cell) for cell in notebook.cells
             if grade_id_of(cell).startswith(TEST_PREFIX)}
    version = notebook.metadata.get(RECORD_KEY)
    return texts, version if isinstance(version, dict) else {}


def read_verdicts(course_root: Path, assignment: str, db_url: str,
                  students: list[str] | None = None) -> tuple[dict, dict, dict]:
    """({student: {(notebook, function): Verdict}}, {student: {(notebook, function): manual score}},
    {student: the grader version its notebook records}) for the graded submissions of `assignment` (or of `students` only)."""
    verdicts, manual, versions = {}, {}, {}
    with Gradebook(db_url) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            student = submission.student.id
            if students is not None and student not in students:
                continue
            verdicts[student], manual[student] = {}, {}
            for notebook in submission.notebooks:
                path = course_root / "autograded" / student / assignment / f"{notebook.name}.ipynb"
                texts, versions[student] = notebook_texts(path)
                for grade in notebook.grades:
                    if grade.name.startswith(TEST_PREFIX):
                        key = (notebook.name, grade.name.removeprefix(TEST_PREFIX))
                        verdicts[student][key] = Verdict(grade.auto_score, float(grade.max_score),
                                                         texts.get(grade.name) if texts else None)
                        if grade.manual_score is not None:
                            manual[student][key] = float(grade.manual_score)
    return verdicts, manual, versions


def compare(old: dict, new: dict, manual: dict) -> list[Change]:
    """Every (student, function) whose points or feedback differ; a feedback not stored is not compared."""
    changes = []
    for student in sorted(new):
        for key, verdict in sorted(new[student].items()):
            before = old.get(student, {}).get(key)
            if before is None:
                continue
            sentence = before.feedback is not None and before.feedback != verdict.feedback
            if before.points != verdict.points or sentence:
                changes.append(Change(student, *key, before, verdict, manual.get(student, {}).get(key)))
    return changes


# ---------------------------------------------------------------- the scratch course


def copy_grader(course_root: Path, scratch: Path, db_url: str) -> None:
    """The course's grader into `scratch`: its configuration (pointed at `scratch` and `db_url`), the top-level
    modules, source/, dnn_grader/ if the course folder holds it, the grading secret and the course data."""
    for path in course_root.glob("*.py"):
        shutil.copy(path, scratch / path.name)
    shutil.copytree(course_root / "source", scratch / "source", symlinks=True)
    if (course_root / "dnn_grader").is_dir():
        shutil.copytree(course_root / "dnn_grader", scratch / "dnn_grader", ignore=shutil.ignore_patterns("__pycache__"))
    if (course_root / SECRET_FILE).exists():
        shutil.copy2(course_root / SECRET_FILE, scratch / SECRET_FILE)
    data = data_folder(course_root)
    if data is not None and not (scratch / "datasets").exists():
        (scratch / "datasets").symlink_to(data)
    with open(scratch / "nbgrader_config.py", "a") as config:
        config.write(f"\n# dnn-grader regrade: a scratch copy of {course_root}\n"
                     f"c.CourseDirectory.root = {str(scratch)!r}\nc.CourseDirectory.db_url = {db_url!r}\n"
                     f"c.IsolatedAutograde.course_root = {str(scratch)!r}\n")


def data_folder(course_root: Path) -> Path | None:
    """The course's data folder by the notebooks' own rule, or None."""
    try:
        import dnn_utils
    except ImportError:
        return None
    return dnn_utils.find_data_dir(course_root)


def copy_submissions(course_root: Path, scratch: Path, assignment: str, students: list[str]) -> list[str]:
    """Copy submitted/<student>/<assignment>/ of each student (links copied as links, never followed; anything
    but files, folders and links left out: reading a pipe could block); returns the students who have one."""
    copied = []
    for student in students:
        folder = course_root / "submitted" / student / assignment
        if folder.is_dir() and not folder.is_symlink():
            shutil.copytree(folder, scratch / "submitted" / student / assignment, symlinks=True,
                            ignore=special_files)
            copied.append(student)
    return copied


def special_files(folder: str, names: list[str]) -> list[str]:
    """The names in `folder` that are neither a regular file, a folder nor a link (pipes, sockets, devices)."""
    kinds = (stat.S_ISREG, stat.S_ISDIR, stat.S_ISLNK)
    return [name for name in names if not any(kind(os.lstat(os.path.join(folder, name)).st_mode) for kind in kinds)]


def regrade(course_root: Path, assignment: str, db_url: str, workers: int, scratch: Path,
            quiet: bool = False) -> Regrade:
    """Grade every stored submission again in `scratch` and compare with the course's stored grades."""
    old, manual, old_versions = read_verdicts(course_root, assignment, db_url)
    scratch_db = f"sqlite:///{scratch / SCRATCH_DB}?timeout={parallel.SQLITE_WAIT_SECONDS}"
    copy_grader(course_root, scratch, scratch_db)
    students = copy_submissions(course_root, scratch, assignment, sorted(old))
    nbgrader_cli.run_checked(scratch, "generate_assignment", assignment, "--force")
    result = parallel.grade_class(scratch, assignment, workers, scratch_db, students=students, quiet=quiet)
    new, _, new_versions = read_verdicts(scratch, assignment, scratch_db, result.graded)
    not_graded = dict(result.failed)
    not_graded.update({s: "no submitted/ folder to regrade" for s in old if s not in students})
    return Regrade(sorted(old), compare(old, new, manual), not_graded, old_versions, new_versions, scratch)


# ---------------------------------------------------------------- writing (--apply)


def course_config(course_root: Path):
    """The course's nbgrader configuration, as nbgrader loads it from nbgrader_config.py."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    if not (course_root / "nbgrader_config.py").exists():
        return Config()
    return PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()


def apply(result: Regrade, course_root: Path, assignment: str, db_url: str) -> list[str]:
    """Write the regrade of the students who change: their autograded notebooks, and their scores through
    nbgrader's SaveAutoGrades and AssignLatePenalties (as `nbgrader autograde` writes them); returns them."""
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    config = course_config(course_root)
    written = []
    for student in result.changed_students:
        for new_path in sorted((result.scratch / "autograded" / student / assignment).glob("*.ipynb")):
            notebook = nbformat.read(new_path, as_version=4)
            resources = {"nbgrader": {"notebook": new_path.stem, "assignment": assignment, "student": student,
                                      "db_url": db_url}}
            for step in (SaveAutoGrades, AssignLatePenalties):
                step(config=config).preprocess(notebook, resources)
            replace_file(new_path, course_root / "autograded" / student / assignment / new_path.name)
        written.append(student)
    return written


def replace_file(source: Path, destination: Path) -> None:
    """Put a copy of `source` at `destination` in one step (a reader sees the old file or the new one)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    draft = destination.with_name(f".{destination.name}.regrade-{os.getpid()}")
    shutil.copyfile(source, draft)
    os.replace(draft, destination)


# ---------------------------------------------------------------- printing


def points_text(verdict: Verdict) -> str:
    return "not graded" if verdict.points is None else f"{verdict.points:g}"


def first_difference(old: str | None, new: str | None) -> tuple[str, str]:
    """The first line where two feedback texts differ (shortened), or ('', '')."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    for index in range(max(len(old_lines), len(new_lines))):
        before = old_lines[index] if index < len(old_lines) else ""
        after = new_lines[index] if index < len(new_lines) else ""
        if before != after:
            return shorten(before), shorten(after)
    return "", ""


def shorten(line: str) -> str:
    line = line.strip()
    return line if len(line) <= SHORT else line[:SHORT - 1] + "…"


def table(changes: list[Change]) -> list[str]:
    """One line per change: student, function, points old -> new, then the feedback line that differs."""
    if not changes:
        return []
    width_s = max(len("student"), *(len(c.student) for c in changes))
    width_f = max(len("function"), *(len(c.function) for c in changes))
    lines = [f"{'student':<{width_s}}  {'function':<{width_f}}  points (of max)   feedback (first line that differs)"]
    for change in changes:
        points = f"{points_text(change.old)} → {points_text(change.new)} (of {change.new.max_points:g})"
        before, after = first_difference(change.old.feedback, change.new.feedback)
        feedback = f"{before!r} → {after!r}" if before or after else "same"
        lines.append(f"{change.student:<{width_s}}  {change.function:<{width_f}}  {points:<16}  {feedback}")
        if change.manual_score is not None:
            lines.append(f"{'':<{width_s}}  {'':<{width_f}}  manual score {change.manual_score:g} given in formgrader "
                         "stays and still counts")
    return lines


def summary(result: Regrade) -> str:
    """e.g. '3 of 40 students change: 5 functions; 2 sentences only; 1 not graded (old grade kept)'."""
    points = sum(change.points_change for change in result.changes)
    sentences = len(result.changes) - points
    text = (f"{len(result.changed_students)} of {len(result.students)} students change: "
            f"{points} function{'s' * (points != 1)}; {sentences} sentence{'s' * (sentences != 1)} only")
    if result.not_graded:
        text += f"; {len(result.not_graded)} not graded (old grade kept)"
    return text


def versions_line(result: Regrade) -> str:
    """Which grader versions the stored grades come from (and which parts of the grader differ since), and the
    current grader's."""
    current = next(iter(result.new_versions.values()), {})
    stored: dict[str, list] = {}
    for record in result.old_versions.values():
        entry = stored.setdefault(str(record.get("grader") or UNKNOWN_VERSION), [0, record.get("grader_parts")])
        entry[0] += 1
    texts = []
    for version, (count, parts) in sorted(stored.items(), key=lambda item: -item[1][0]):
        text = f"{version} ({count} student{'s' * (count != 1)}"
        if isinstance(parts, dict) and current.get("grader_parts") and version != current.get("grader"):
            changed = sorted(name for name, value in current["grader_parts"].items() if parts.get(name) != value)
            text += f"; changed since: {', '.join(changed)}"
        texts.append(text + ")")
    return (f"Stored grades by grader version: {', '.join(texts) or 'none'}; "
            f"current grader: {current.get('grader', UNKNOWN_VERSION)}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--apply", action="store_true",
                        help="write the new grades and autograded notebooks of the students who change")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel graders (default: cores)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the gradebook (default: as nbgrader_config.py sets it)")
    parser.add_argument("--course-root", type=Path, default=Path.cwd(), help="the course folder (default: here)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    course_root = args.course_root.resolve()
    db_url = args.db_url or configured_gradebook(course_root)[0]
    with tempfile.TemporaryDirectory(prefix="dnn-grader-regrade-") as scratch:
        print(f"Regrading every stored submission of {args.assignment} in a scratch copy of the course ...",
              flush=True)
        try:
            result = regrade(course_root, args.assignment, db_url, args.workers, Path(scratch))
        except MissingEntry as missing:
            print(f"Nothing to regrade: {missing}")
            return 1
        print(versions_line(result))
        print("\n".join(table(result.changes)) or "No student's points or feedback would change.")
        for student, reason in sorted(result.not_graded.items()):
            print(f"  {student}: not graded ({reason.strip()}); the old grade stays.")
        written = apply(result, course_root, args.assignment, db_url) if args.apply else []
    seconds = time.monotonic() - started
    action = (f"wrote the new grades of {len(written)} students" if args.apply
              else "nothing written (run again with --apply to write)")
    print(f"Regrade of {args.assignment}: {summary(result)}; {action} ({seconds:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
