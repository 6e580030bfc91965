"""The nbgrader preprocessor that replaces execution in the student's kernel.

nbgrader's own Execute preprocessor runs the hidden tests in the student's
kernel, where the student's code can change what the tests see. This one never
runs the notebook: it hands the setup and solution cells to a sandboxed process
(grading.py), judges the returned data in the grader, and writes each test
cell's outcome as that cell's output, which nbgrader's SaveAutoGrades then
scores: no output for full marks, an execute_result with the points earned
otherwise (nbgrader's partial credit), and the explanation as text.
"""

from __future__ import annotations

import dataclasses
import resource
from pathlib import Path

from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Float, Integer, Unicode

from dnn_grader import specs
from dnn_grader.engine.cells import grade_id_of, points_of
from dnn_grader.engine.grading import FunctionReport, SubmissionGrading, grade_functions
from dnn_grader.engine.sandbox import Limits, SandboxUsage
from dnn_grader.engine.version import grader_version
from dnn_grader.hooks import verdicts

DEFAULT = Limits()

TEST_PREFIX = "test_"
# Each graded test cell of an autograded notebook keeps what the grader found, for the class report, and which
# version of the grader found it (dnn_grader.engine.version); the notebook's metadata keeps the version too.
RECORD_KEY = "dnn_grader"


class IsolatedAutograde(NbGraderPreprocessor):
    """Grade the test cells of a sanitized submission without running the student's kernel."""

    course_root = Unicode("", help="The course directory (holding source/ and dnn_utils.py).").tag(config=True)
    isolation = Unicode("bwrap", help="'bwrap' (the sandbox, required to grade students) or 'none' (no sandbox: "
                        "only to develop the grader).").tag(config=True)
    memory_limit_mb = Integer(DEFAULT.memory_bytes // 1024**2, help="Memory of the student's sandbox: all its "
                              "processes and the files in its /tmp with a control group, else each process's "
                              "address space.").tag(config=True)
    tmp_limit_mb = Integer(DEFAULT.tmp_bytes // 1024**2, help="Size of the sandbox's private /tmp.").tag(config=True)
    max_processes = Integer(DEFAULT.max_processes, help="Processes the sandbox may run while it starts (with a control "
                            "group, the student's code may then start none of its own).").tag(config=True)
    function_cpu_seconds = Float(DEFAULT.task_cpu_seconds, help="CPU seconds allowed for all the cases of one "
                                 "function, all the sandbox's processes together.").tag(config=True)
    cell_cpu_seconds = Float(DEFAULT.cell_cpu_seconds, help="CPU seconds allowed for one cell's top-level "
                             "code, all the sandbox's processes together.").tag(config=True)
    function_wall_seconds = Float(DEFAULT.task_wall_seconds, help="Wall-clock seconds allowed for all the cases of "
                                  "one function, less the time a busy machine kept it waiting.").tag(config=True)
    cell_wall_seconds = Float(DEFAULT.cell_wall_seconds, help="Wall-clock seconds allowed for one cell's top-level "
                              "code, less the time a busy machine kept it waiting.").tag(config=True)
    submission_seconds = Float(DEFAULT.submission_seconds, help="Wall-clock seconds allowed for all the cells and "
                               "functions of one submission together, less the time a busy machine kept them "
                               "waiting.").tag(config=True)
    backstop_factor = Float(DEFAULT.backstop_factor, help="After this multiple of a cell's or a function's wall-clock "
                            "limit (plus backstop_margin_seconds), a grading still within its limits is blamed on a "
                            "busy machine and retried.").tag(config=True)
    backstop_margin_seconds = Float(DEFAULT.backstop_margin, help="Added to every backstop.").tag(config=True)
    verdict_folder = Unicode("", help="A folder for the verdict on each notebook (graded, or not and why), as "
                             "data for the command that started nbgrader (dnn_grader.hooks.verdicts); '' writes "
                             "none. Never a folder the student's process can write.").tag(config=True)
    attempts = Integer(2, help="Gradings of one notebook before it is reported as not graded, when the grader's own "
                       "limits (not the student's code) cut it short.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        assignment = resources.get("nbgrader", {}).get("assignment", "")
        if assignment not in specs.known_assignments(self.course_root or Path.cwd()):
            raise ValueError(f"IsolatedAutograde has no hidden checks for the assignment {assignment!r}")
        student = str(resources.get("nbgrader", {}).get("student", ""))
        notebook = str(resources.get("nbgrader", {}).get("notebook", ""))
        try:
            grading = self._grade(assignment, student, student_cells(nb))
        except NotGraded as not_graded:
            self._hand_over(verdicts.Verdict(student, notebook, graded=False, reason=not_graded.reason))
            raise
        version = grader_version(self.course_root or Path.cwd(), assignment, self._limits())
        nb.metadata[RECORD_KEY] = {"grader": version["version"], "grader_parts": version["parts"]}
        peaks = [item.peak_memory_bytes for item in grading.usage if item.peak_memory_bytes]
        cpu = sum(item.cpu_seconds or 0.0 for item in grading.usage)
        self.log.info("dnn-grader: peak resident memory of the grader so far: %d MB; of this notebook's sandboxes: "
                      "%s; their CPU time: %.1f s", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      f"{max(peaks) // 1024**2} MB" if peaks else "unknown (no control group)", cpu)
        for cell in nb.cells:
            function = tested_function(cell)
            if function is not None:
                report = grading.reports.get(function)
                cell.outputs = test_cell_outputs(report, function, points_of(cell))
                cell.execution_count = None
                if report is not None:
                    cell.metadata[RECORD_KEY] = {**report.record(), "grader": version["version"]}
        self._hand_over(verdicts.Verdict(student, notebook, graded=True))
        return nb, resources

    def _hand_over(self, verdict: verdicts.Verdict) -> None:
        """Write the verdict for the command that started nbgrader, if it asked for one."""
        if self.verdict_folder:
            verdicts.write(self.verdict_folder, verdict)

    def _grade(self, assignment: str, student: str, cells: list[dict]) -> SubmissionGrading:
        """Grade, again when the grader's own limits cut the grading short; NotGraded if they always do.

        The result's usage is that of every attempt's sandboxes, those of attempts cut short included.
        """
        reasons: list[str] = []
        usage: list[SandboxUsage] = []
        for attempt in range(1, max(1, self.attempts) + 1):
            grading = grade_functions(Path(self.course_root or Path.cwd()), assignment, cells, self._limits(),
                                      self.isolation, student)
            usage += grading.usage
            if grading.cut_short is None:
                return dataclasses.replace(grading, usage=usage)
            reasons.append(grading.cut_short)
            self.log.warning("dnn-grader: grading attempt %d was cut short by the grader: %s", attempt,
                             grading.cut_short)
        raise NotGraded("; ".join(reasons))

    def _limits(self) -> Limits:
        return dataclasses.replace(
            DEFAULT, memory_bytes=self.memory_limit_mb * 1024**2, tmp_bytes=self.tmp_limit_mb * 1024**2,
            max_processes=self.max_processes, task_cpu_seconds=self.function_cpu_seconds,
            cell_cpu_seconds=self.cell_cpu_seconds, task_wall_seconds=self.function_wall_seconds,
            cell_wall_seconds=self.cell_wall_seconds, submission_seconds=self.submission_seconds,
            backstop_factor=self.backstop_factor,
            backstop_margin=self.backstop_margin_seconds)


class NotGraded(RuntimeError):
    """The grader could not grade this notebook (never the student's code): nbgrader records no score for it."""

    def __init__(self, reason: str):
        super().__init__(verdicts.NOT_GRADED + reason)  # the sentence nbgrader logs
        self.reason = reason


def student_cells(nb: NotebookNode) -> list[dict]:
    """The student's solution cells, in notebook order, as [{"id", "source"}]."""
    return [{"id": grade_id_of(cell), "source": cell.source}
            for cell in nb.cells if cell.cell_type == "code" and is_solution(cell)]


def tested_function(cell) -> str | None:
    """The function a graded test cell (grade_id test_<function>) tests; None for any other cell."""
    grade_id = grade_id_of(cell)
    if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell) and grade_id.startswith(TEST_PREFIX):
        return grade_id.removeprefix(TEST_PREFIX)
    return None


def test_cell_outputs(report: FunctionReport | None, function: str, max_points: float) -> list:
    if report is None:
        text = f"{function}: the course has no hidden checks for this function; ask your instructor."
        return [new_output("stream", name="stdout", text=text + "\n"),
                new_output("execute_result", data={"text/plain": "0.0"}, execution_count=None)]
    if report.passed == report.total:
        return [new_output("stream", name="stdout", text=f"{report.text()}\nScore: {max_points:g} of {max_points:g} "
                                                          "points.\n")]
    earned = round(max_points * report.fraction, 2)
    text = f"{report.text()}\nScore: {earned:g} of {max_points:g} points ({report.passed} of {report.total} hidden checks).\n"
    # nbgrader reads the partial credit from the cell's result: the number shown as Out[ ] beside the text.
    return [new_output("stream", name="stdout", text=text),
            new_output("execute_result", data={"text/plain": repr(earned)}, execution_count=None)]
