"""The class report: where a class went wrong, read from the gradebook and from what the autograder recorded.

    dnn-grader report ASSIGNMENT [--out DIR] [--db-url URL] [--course-root DIR] [--formgrader-url URL]

Points come from nbgrader's gradebook (so a score changed by hand in formgrader counts); the recognised
classic mistake and whether a function was left unwritten come from the autograded notebooks, where the
autograder keeps them in each graded test cell's metadata (key "dnn_grader"). Nothing is re-run.
Writes DIR/index.html (open it in a browser), its figures beside it, and DIR/class_report.csv with one row
per student and graded function.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from dnn_grader.commands import nbgrader_cli
from dnn_grader.engine.cells import grade_id_of
from dnn_grader.hooks.preprocessor import RECORD_KEY, TEST_PREFIX
from dnn_grader.specs import MISTAKES

FULL, PARTIAL, NONE, UNWRITTEN = "full marks", "partial", "none", "unwritten"
UNKNOWN_VERSION = "unknown version"  # autograded before grades kept their grader's version, or no notebook
OUTCOMES = (FULL, PARTIAL, NONE, UNWRITTEN)
HINTS = {mistake.case_id: mistake.hint for mistake in MISTAKES}
CSV_NAME = "class_report.csv"


@dataclass(frozen=True)
class FunctionResult:
    """One student's result on one graded function."""

    student: str
    function: str
    points: float
    max_points: float
    mistake: str | None = None  # catalogue case id, e.g. "linear_backward:no_mean_dW"
    unwritten: bool = False
    recorded: bool = True  # False: the autograded notebook holds no record (graded by an older grader?)

    @property
    def outcome(self) -> str:
        if self.max_points > 0 and self.points >= self.max_points:
            return FULL
        if self.points > 0:
            return PARTIAL
        return UNWRITTEN if self.unwritten else NONE

    @property
    def unexplained(self) -> bool:
        """A failure that no catalogued mistake explains: worth reading by hand."""
        return self.outcome in (PARTIAL, NONE) and self.recorded and self.mistake is None


@dataclass
class StudentResult:
    student: str
    name: str
    submission_ids: list[str]  # formgrader's ids of the student's submitted notebooks
    functions: list[FunctionResult] = field(default_factory=list)
    grader_version: str = UNKNOWN_VERSION  # dnn_grader.engine.version digest of the grader that graded them
    late_penalty: float = 0.0  # the gradebook's late_submission_penalty of the submission (sum over its notebooks)

    @property
    def score(self) -> float:
        """The functions' points, before any late penalty."""
        return sum(result.points for result in self.functions)

    @property
    def final_score(self) -> float:
        """The score after the late penalty, as `nbgrader export` computes it: max(0, score - penalty)."""
        return max(0.0, self.score - self.late_penalty)

    @property
    def max_score(self) -> float:
        return sum(result.max_points for result in self.functions)

    @property
    def lost(self) -> float:
        return self.max_score - self.score

    @property
    def unwritten(self) -> list[str]:
        return [result.function for result in self.functions if result.outcome == UNWRITTEN]


@dataclass
class FunctionSummary:
    """How the class did on one graded function."""

    function: str
    max_points: float
    outcomes: Counter = field(default_factory=Counter)  # outcome -> students
    mistakes: Counter = field(default_factory=Counter)  # catalogue case id -> students
    unexplained: list[str] = field(default_factory=list)  # students whose failure no catalogued mistake explains


@dataclass
class ClassResult:
    assignment: str
    functions: list[str]  # graded functions, in notebook order
    students: list[StudentResult]
    not_submitted: list[str]  # in the gradebook's roster, without a submission
    db_url: str = ""

    @property
    def late(self) -> list[StudentResult]:
        return [student for student in self.students if student.late_penalty > 0]

    def summaries(self) -> list[FunctionSummary]:
        by_function = {name: FunctionSummary(name, 0.0) for name in self.functions}
        for student in self.students:
            for result in student.functions:
                summary = by_function[result.function]
                summary.max_points = max(summary.max_points, result.max_points)
                summary.outcomes[result.outcome] += 1
                if result.mistake and result.outcome != FULL:
                    summary.mistakes[result.mistake] += 1
                if result.unexplained:
                    summary.unexplained.append(student.student)
        return list(by_function.values())

    @property
    def unrecorded(self) -> int:
        return sum(not result.recorded for student in self.students for result in student.functions)

    def grader_versions(self) -> Counter:
        """Grader version -> students graded by it (UNKNOWN_VERSION for notebooks that do not say)."""
        return Counter(student.grader_version for student in self.students)


def versions_sentence(versions: Counter) -> str:
    """'' for one known version, else e.g. 'grades from 2 grader versions: 3 students 1a2b..., 1 unknown version'."""
    if len(versions) == 1 and UNKNOWN_VERSION not in versions:
        return ""
    counts = ", ".join(f"{count} student{'s' * (count != 1)} {version}" for version, count in versions.most_common())
    return f"grades from {len(versions)} grader version{'s' * (len(versions) != 1)}: {counts}"


def needs_help(student: StudentResult, lost_share: float, unwritten: int) -> list[str]:
    """Why this student may need help (empty: no reason): most points lost, or several functions unwritten."""
    reasons = []
    if student.max_score and student.lost >= lost_share * student.max_score:
        reasons.append(f"lost {student.lost:g} of {student.max_score:g} points")
    if len(student.unwritten) >= unwritten:
        reasons.append(f"{len(student.unwritten)} functions unwritten")
    return reasons


# ---------------------------------------------------------------- reading


def course_config(course_root: Path):
    """The course's nbgrader_config.py, loaded (an empty configuration without one)."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    if (course_root / "nbgrader_config.py").exists():
        return PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()
    return Config()


def configured_gradebook(course_root: Path) -> tuple[str, str]:
    """(db_url, course_id) as the course's nbgrader_config.py sets them (nbgrader's defaults otherwise)."""
    from nbgrader.coursedir import CourseDirectory

    config = course_config(course_root)
    coursedir = CourseDirectory(config=config)
    if "root" not in config.get("CourseDirectory", {}):
        coursedir.root = str(course_root)
    return coursedir.db_url, coursedir.course_id


DEFAULT_FORMGRADER = "http://localhost:8888"  # where `jupyter lab` serves formgrader when its port is free


def formgrader_location(course_root: Path) -> tuple[str, str]:
    """(URL, where it comes from) of the formgrader the report's links open.

    A running Jupyter server whose root holds the course folder (formgrader is at its URL); else
    c.ClassReport.formgrader_url in nbgrader_config.py; else DEFAULT_FORMGRADER.
    """
    from jupyter_server.serverapp import list_running_servers

    try:
        servers = list(list_running_servers())
    except Exception as error:  # an unreadable runtime folder: fall back on the configuration
        print(f"(could not list the running Jupyter servers: {error})", file=sys.stderr)
        servers = []
    for server in servers:
        root = Path(server.get("root_dir", "")).resolve()
        if server.get("url") and (course_root == root or root in course_root.parents):
            return server["url"].rstrip("/"), f"a Jupyter server running on this machine in {root.name or root}"
    configured = course_config(course_root).get("ClassReport", {}).get("formgrader_url")
    if isinstance(configured, str):
        return configured.rstrip("/"), "c.ClassReport.formgrader_url in nbgrader_config.py"
    return DEFAULT_FORMGRADER, "the default, where `jupyter lab` serves it when port 8888 is free"


def test_cell_order(course_root: Path, assignment: str) -> list[str]:
    """The graded functions in the order of the release notebook's test cells."""
    order = []
    for path in sorted((course_root / "release" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = grade_id_of(cell)
            if grade_id.startswith(TEST_PREFIX):
                order.append(grade_id.removeprefix(TEST_PREFIX))
    return order


def notebook_version(notebook: nbformat.NotebookNode) -> str:
    """The version of the grader that graded an autograded notebook (UNKNOWN_VERSION if it does not say)."""
    record = notebook.metadata.get(RECORD_KEY)
    version = record.get("grader") if isinstance(record, dict) else None
    return version if isinstance(version, str) and version else UNKNOWN_VERSION


def recorded_outcomes(path: Path, versions: list[str] | None = None) -> dict[str, dict]:
    """grade_id -> what the autograder recorded in that test cell, from one autograded notebook.

    versions, if given, receives the notebook's grader version (UNKNOWN_VERSION without a notebook).
    """
    if not path.exists():
        if versions is not None:
            versions.append(UNKNOWN_VERSION)
        return {}
    notebook = nbformat.read(path, as_version=4)
    if versions is not None:
        versions.append(notebook_version(notebook))
    records = {}
    for cell in notebook.cells:
        record = cell.get("metadata", {}).get(RECORD_KEY)
        grade_id = grade_id_of(cell)
        if isinstance(record, dict) and grade_id:
            records[grade_id] = record
    return records


def read_class(course_root: Path, assignment: str, db_url: str, course_id: str = "default_course") -> ClassResult:
    """Every submission of `assignment`: points from the gradebook, mistakes from the autograded notebooks."""
    order = {name: index for index, name in enumerate(test_cell_order(course_root, assignment))}
    students, functions = [], set()
    with Gradebook(db_url, course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            known = sorted(a.name for a in gradebook.assignments)
            raise SystemExit(f"No assignment {assignment!r} in the gradebook; it holds: {', '.join(known) or 'none'}. "
                             f"For a folder of source/, run `nbgrader generate_assignment {assignment} --force`, "
                             "then autograde.") from None
        submitted = set()
        for submission in sorted(gradebook.assignment_submissions(assignment), key=lambda s: s.student.id):
            student = submission.student
            submitted.add(student.id)
            name = " ".join(filter(None, (student.first_name, student.last_name)))
            result = StudentResult(student.id, name, [notebook.id for notebook in submission.notebooks],
                                   late_penalty=float(submission.late_submission_penalty or 0.0))
            versions: list[str] = []
            for notebook in submission.notebooks:
                autograded = course_root / "autograded" / student.id / assignment / f"{notebook.name}.ipynb"
                records = recorded_outcomes(autograded, versions)
                for grade in notebook.grades:
                    if not grade.name.startswith(TEST_PREFIX):
                        continue
                    function = grade.name.removeprefix(TEST_PREFIX)
                    functions.add(function)
                    record = records.get(grade.name)
                    result.functions.append(FunctionResult(
                        student.id, function, float(grade.score), float(grade.max_score),
                        mistake=record.get("mistake") if record else None,
                        unwritten=bool(record and record.get("unwritten")), recorded=record is not None))
            result.functions.sort(key=lambda r: order.get(r.function, len(order)))
            result.grader_version = "+".join(sorted(set(versions))) or UNKNOWN_VERSION
            students.append(result)
        not_submitted = sorted(s.id for s in gradebook.students if s.id not in submitted)
    ordered = sorted(functions, key=lambda name: (order.get(name, len(order)), name))
    return ClassResult(assignment, ordered, students, not_submitted, db_url)


# ---------------------------------------------------------------- writing


def write_csv(result: ClassResult, path: Path) -> None:
    """One row per student and graded function, for the instructor's own analysis."""
    names = {student.student: student.name for student in result.students}
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name", "assignment", "function", "points", "max_points", "outcome",
                         "mistake", "mistake_hint", "late_penalty", "score_after_late_penalty"])
        for student in result.students:
            for row in student.functions:  # the penalty is the submission's, not the function's: repeated per row
                writer.writerow([row.student, names[row.student], result.assignment, row.function, f"{row.points:g}",
                                 f"{row.max_points:g}", row.outcome, row.mistake or "",
                                 HINTS.get(row.mistake, "") if row.mistake else "", f"{student.late_penalty:g}",
                                 f"{student.final_score:g}"])


def write_report(result: ClassResult, out: Path, formgrader_url: str = "", lost_share: float = 0.5,
                 unwritten: int = 3, formgrader_source: str = "--formgrader-url") -> Path:
    """Write out/index.html, its figures and out/class_report.csv; returns the page's path."""
    from dnn_grader.commands.class_report_page import render_page

    out.mkdir(parents=True, exist_ok=True)
    write_csv(result, out / CSV_NAME)
    helped = [(student, needs_help(student, lost_share, unwritten)) for student in result.students]
    helped = sorted(((s, why) for s, why in helped if why), key=lambda item: (-item[0].lost, item[0].student))
    page = out / "index.html"
    page.write_text(render_page(result, out, helped, formgrader_url.rstrip("/"), CSV_NAME, lost_share, unwritten,
                                formgrader_source))
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--out", type=Path, help="folder for index.html (default: reports/ASSIGNMENT)")
    parser.add_argument("--course-root", type=Path, default=Path.cwd(), help="the course folder (default: here)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the gradebook (default: as nbgrader_config.py sets it)")
    parser.add_argument("--formgrader-url",
                        help="where Jupyter serves formgrader, for links to submissions (default: a Jupyter server "
                             "running in the course folder, else c.ClassReport.formgrader_url in nbgrader_config.py, "
                             f"else {DEFAULT_FORMGRADER}; on a hub e.g. https://hub.example.org/user/NAME; '' for none)")
    parser.add_argument("--lost-share", type=float, default=0.5,
                        help="list a student who lost at least this share of the points (default: %(default)s)")
    parser.add_argument("--unwritten", type=int, default=3,
                        help="list a student who left at least this many functions unwritten (default: %(default)s)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    course_root = args.course_root.resolve()
    db_url, course_id = configured_gradebook(course_root)
    db_url = args.db_url or db_url
    known = nbgrader_cli.known_assignments(course_root, db_url)
    if args.assignment not in known:
        print(nbgrader_cli.unknown_assignment(args.assignment, known), file=sys.stderr)
        return 2
    print(f"Reading the gradebook and the autograded notebooks of {args.assignment} ...", flush=True)
    result = read_class(course_root, args.assignment, db_url, course_id)
    if not result.students:
        print(f"No submission of {args.assignment} is graded yet: run `nbgrader autograde {args.assignment}` first.")
        return 1
    print(f"Writing the report for {len(result.students)} students ...", flush=True)
    formgrader_url, source = ((args.formgrader_url, "--formgrader-url") if args.formgrader_url is not None
                              else formgrader_location(course_root))
    page = write_report(result, args.out or course_root / "reports" / args.assignment, formgrader_url,
                        args.lost_share, args.unwritten, source)
    summaries = result.summaries()
    recognised = sum(sum(s.mistakes.values()) for s in summaries)
    unexplained = sum(len(s.unexplained) for s in summaries)
    versions = versions_sentence(result.grader_versions())
    print(f"Class report of {args.assignment}: {len(result.students)} students, {recognised} recognised mistakes, "
          f"{unexplained} failures no catalogued mistake explains; {versions + '; ' if versions else ''}{page} "
          f"({time.monotonic() - started:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
