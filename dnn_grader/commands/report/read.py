"""The class report's values, read from the gradebook and from what the autograder recorded.

Points come from nbgrader's gradebook (so a score changed by hand in formgrader counts); the recognised
classic mistake and whether a function was left unwritten come from the autograded notebooks, where the
autograder keeps them in each graded test cell's metadata (key "dnn_grader"). Nothing is re-run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from dnn_grader import specs
from dnn_grader.engine.cells import grade_id_of
from dnn_grader.hooks.preprocessor import RECORD_KEY, TEST_PREFIX

FULL, PARTIAL, NONE, UNWRITTEN = "full marks", "partial", "none", "unwritten"
UNKNOWN_VERSION = "unknown version"  # autograded before grades kept their grader's version, or no notebook
OUTCOMES = (FULL, PARTIAL, NONE, UNWRITTEN)


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
class ClassReport:
    """What the report shows of one assignment: every graded submission, and the roster's students without one."""

    assignment: str
    functions: list[str]  # graded functions, in notebook order
    students: list[StudentResult]
    not_submitted: list[str]  # in the gradebook's roster, without a submission
    db_url: str = ""
    hints: dict[str, str] = field(default_factory=dict)  # catalogued mistake's case id -> its words (the spec's)

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


def mistake_hints(course_root: Path, assignment: str) -> dict[str, str]:
    """case id -> words of every catalogued mistake of the assignment; {} for an assignment the course has no spec of."""
    try:
        return {mistake.case_id: mistake.hint for spec in specs.load(assignment, course_root) for mistake in spec.mistakes}
    except KeyError:
        return {}


def read_class(course_root: Path, assignment: str, db_url: str, course_id: str = "default_course") -> ClassReport:
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
    return ClassReport(assignment, ordered, students, not_submitted, db_url, mistake_hints(course_root, assignment))
