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

from pathlib import Path

from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Integer, Unicode

from . import suites
from .grading import FunctionReport, grade_functions
from .sandbox import Limits

TEST_PREFIX = "test_"
# Each graded test cell of an autograded notebook keeps what the grader found, for the class report.
RECORD_KEY = "dnn_grader"


class IsolatedAutograde(NbGraderPreprocessor):
    """Grade the test cells of a sanitized submission without running the student's kernel."""

    course_root = Unicode("", help="The course directory (holding source/ and dnn_utils.py).").tag(config=True)
    isolation = Unicode("auto", help="'bwrap' (required), 'auto' (bwrap if installed) or 'none'.").tag(config=True)
    memory_limit_mb = Integer(2048, help="Address-space limit of the student's process.").tag(config=True)
    function_timeout = Float(60.0, help="Seconds allowed for all the cases of one function.").tag(config=True)
    cell_timeout = Float(30.0, help="Seconds allowed for one cell's top-level code.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        assignment = resources.get("nbgrader", {}).get("assignment", "")
        if assignment not in suites.known_assignments():
            raise ValueError(f"IsolatedAutograde has no hidden checks for the assignment {assignment!r}")
        reports = grade_functions(Path(self.course_root or Path.cwd()), assignment, student_cells(nb),
                                  self._limits(), self.isolation)
        for cell in nb.cells:
            function = tested_function(cell)
            if function is not None:
                report = reports.get(function)
                cell.outputs = test_cell_outputs(report, function, points(cell))
                cell.execution_count = None
                if report is not None:
                    cell.metadata[RECORD_KEY] = report.record()
        return nb, resources

    def _limits(self) -> Limits:
        return Limits(memory_bytes=self.memory_limit_mb * 1024**2, task_timeout=self.function_timeout,
                      cell_timeout=self.cell_timeout)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def student_cells(nb: NotebookNode) -> list[dict]:
    """The student's solution cells, in notebook order, as [{"id", "source"}]."""
    return [{"id": str(nbgrader_meta(cell).get("grade_id", "")), "source": cell.source}
            for cell in nb.cells if cell.cell_type == "code" and nbgrader_meta(cell).get("solution")]


def tested_function(cell) -> str | None:
    meta = nbgrader_meta(cell)
    grade_id = str(meta.get("grade_id", ""))
    if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution") and grade_id.startswith(TEST_PREFIX):
        return grade_id[len(TEST_PREFIX):]
    return None


def points(cell) -> float:
    return float(nbgrader_meta(cell).get("points", 0))


def test_cell_outputs(report: FunctionReport | None, function: str, max_points: float) -> list:
    if report is None:
        text = f"{function}: the course has no hidden checks for this function; ask your instructor."
        return [new_output("stream", name="stdout", text=text + "\n"),
                new_output("execute_result", data={"text/plain": "0.0"}, execution_count=None)]
    outputs = [new_output("stream", name="stdout", text=report.text() + "\n")]
    if report.passed < report.total:
        earned = round(max_points * report.fraction, 2)
        outputs.append(new_output("execute_result", data={"text/plain": repr(earned)}, execution_count=None))
    return outputs
