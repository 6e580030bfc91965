"""Grade a student's functions: run them in the sandbox, judge them here.

The student's code runs only in a StudentProcess; this module (in the grader's
process) builds the inputs, computes the expected answers with the reference
solutions, compares plain data, recognises classic mistakes, and writes a short
report per function.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import catalogue, references, suites
from .compare import compare
from .sandbox import CaseOutcome, CellsInterrupted, Limits, SandboxBroken, StudentProcess
from .sandbox_modules import sandbox_modules
from .suites import Case, FunctionSpec, case_arguments


@dataclass
class FunctionReport:
    """The hidden-check result of one function."""

    function: str
    passed: int = 0
    total: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def fraction(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def text(self) -> str:
        if self.total and self.passed == self.total:
            return f"{self.function}: passed all {self.total} hidden checks."
        lines = [f"{self.function}: passed {self.passed} of {self.total} hidden checks."]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


def grade_functions(course_root: Path, assignment: str, cells: list[dict], limits: Limits | None = None,
                    isolation: str = "auto") -> dict[str, FunctionReport]:
    """Grade every function of the assignment's suite defined by the student's solution `cells`.

    cells: [{"id": grade_id, "source": code}] in notebook order. The instructor's
    setup cells (imports) run first, taken from source/, not from the submission.
    """
    root = str(Path(course_root).resolve())
    reference = references.reference_namespace(root, assignment)
    cells = references.setup_cells(root, assignment) + cells
    specs = suites.load(assignment)
    reports: dict[str, FunctionReport] = {}
    process = None
    try:
        for spec in specs:
            if process is None:
                process, cell_errors = _start(root, assignment, cells, limits, isolation)
            cell_problem = _cell_problem(cell_errors.get(spec.name))
            try:
                reports[spec.name] = grade_one(spec, root, assignment, reference, process, cell_problem)
            except SandboxBroken as broken:
                reports[spec.name] = _all_failed(spec, f"{spec.name}: {broken}.")
                process.close()
                process = None
    finally:
        if process is not None:
            process.close()
    return reports


def _start(root, assignment, cells, limits, isolation):
    """Start the student's process; a cell that ends the process is left out and reported."""
    ended: dict[str, dict] = {}
    while True:
        process = StudentProcess(sandbox_modules(root, assignment), limits, isolation)
        try:
            report = process.start([cell for cell in cells if cell["id"] not in ended])
        except CellsInterrupted as stop:
            process.close()
            remaining = [cell for cell in cells if cell["id"] not in ended][len(stop.finished):]
            if not remaining:
                raise
            ended[remaining[0]["id"]] = {"type": "ProcessEnded", "message": str(stop)}
            continue
        errors = {item["id"]: item["error"] for item in report if item.get("error")}
        return process, {**errors, **ended}


def _cell_problem(error: dict | None) -> str | None:
    if not error:
        return None
    where = f" on line {error['line']}" if error.get("line") else ""
    text = f": {error['text']}" if error.get("text") else ""
    return f"the cell that defines it raised {error['type']}{where}{text} ({error.get('message', '')})."


def _all_failed(spec: FunctionSpec, problem: str) -> FunctionReport:
    return FunctionReport(spec.name, 0, len(spec.cases()), [problem])


def grade_one(spec: FunctionSpec, root: str, assignment: str, reference: dict, process: StudentProcess,
              cell_problem: str | None = None) -> FunctionReport:
    """Run spec's cases through the student's process and judge each result."""
    cases = spec.cases()
    arguments = [(case_arguments(case, reference), case.kwargs) for case in cases]
    outcome = process.run_task(spec.name, arguments, list(spec.deps), _oracle(reference, spec.deps))
    report = FunctionReport(spec.name, total=len(cases))
    for case, (args, kwargs), result in zip(cases, arguments, outcome.cases):
        if result.returned or result.error:
            problem = judge_case(spec, case, args, kwargs, result, root, assignment, reference)
        else:
            problem = f"on the case '{case.label}': {spec.name} {outcome.ended or 'gave no result'}."
        if problem is None:
            report.passed += 1
        elif len(report.problems) < 3 and problem not in report.problems:
            report.problems.append(problem)
    if cell_problem and report.passed < report.total:
        report.problems.insert(0, cell_problem)
    return report


def _oracle(reference: dict, allowed: tuple[str, ...]) -> Callable:
    def answer(name, args, kwargs):
        if name not in allowed:
            raise KeyError(f"{name} is not a helper of this function")
        return reference[name](*args, **kwargs)

    return answer


def judge_case(spec: FunctionSpec, case: Case, args, kwargs, result: CaseOutcome, root: str, assignment: str,
               reference: dict) -> str | None:
    """None if the student's result on this case is right, else a sentence for the feedback."""
    if result.error:
        return _error_sentence(spec.name, case, result.error)
    expected = reference[spec.name](*copy.deepcopy(args), **copy.deepcopy(kwargs))
    problem = compare_outputs(spec, expected, result.value)
    if problem is None and case.extra:
        problem = case.extra(result.value, reference)
    if problem is None and case.printed:
        problem = case.printed(result.stdout, expected)
    if problem is None and spec.must_not_mutate and result.mutated_inputs:
        problem = f"{spec.name} changed the arrays it was given; it must leave the caller's parameters unchanged"
    if problem is None:
        return None
    hint = recognise_mistake(spec, args, kwargs, result, root, assignment)
    detail = f" Likely cause: {hint}" if hint else ""
    return f"on the case '{case.label}': {problem}{detail}"


def compare_outputs(spec: FunctionSpec, expected, got) -> str | None:
    if len(spec.output_names) == 1:
        return compare(expected, got, spec.output_names[0])
    names = ", ".join(spec.output_names)
    if not isinstance(got, (tuple, list)) or len(got) != len(expected):
        return f"{spec.name} should return {len(expected)} values ({names})."
    for name, want, have in zip(spec.output_names, expected, got):
        problem = compare(want, have, name)
        if problem:
            return problem
    return None


def recognise_mistake(spec: FunctionSpec, args, kwargs, result: CaseOutcome, root: str, assignment: str) -> str:
    """The hint of the first catalogued mistake that gives exactly the student's result."""
    for mistake in catalogue.mistakes_of(assignment, spec.name):
        try:
            namespace = references.reference_namespace(root, assignment, (spec.name, mistake.patches))
            mistaken = namespace[spec.name](*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception:  # the mistake itself fails on this input: it cannot be the cause
            continue
        if compare_outputs(spec, mistaken, result.value) is None:
            if mistake.name != "mutates_caller" or result.mutated_inputs:
                return mistake.hint
    return ""


def _error_sentence(name: str, case: Case, error: dict) -> str:
    kind = error.get("type", "Exception")
    if kind == "NotImplementedError":
        return f"{name} is not written yet: replace `raise NotImplementedError()` with your code."
    if kind == "Missing":
        return f"{error.get('message')}: keep the function's name and its cell."
    where = f" (line {error['line']} of the cell {error['cell']})" if error.get("line") else ""
    return f"on the case '{case.label}': {name} raised {kind}: {error.get('message', '')}{where}"
