"""Grade a student's functions: run them in the sandbox, judge them here.

The student's code runs only in a StudentProcess; this module (in the grader's
process) builds the inputs, computes the expected answers with the reference
solutions, compares plain data, recognises classic mistakes, and writes a short
report per function.
"""

from __future__ import annotations

import contextlib
import copy
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import public_tests
from dnn_grader import specs
from dnn_grader.engine import references, secret
from dnn_grader.engine.budget import Budget
from dnn_grader.engine.sandbox import (
    CaseOutcome,
    CellsInterrupted,
    GradingCutShort,
    Limits,
    SandboxBroken,
    SandboxUsage,
    StudentProcess,
)
from dnn_grader.engine.sandbox_modules import sandbox_modules
from dnn_grader.specs import Case, FunctionSpec, Variant, case_arguments


@dataclass
class FunctionReport:
    """The hidden-check result of one function."""

    function: str
    passed: int = 0
    total: int = 0
    problems: list[str] = field(default_factory=list)
    mistake: str | None = None  # case id of the catalogued mistake that explains every result, if one does
    unwritten: bool = False  # the function was left as the release's stub (or not defined at all)

    def record(self) -> dict:
        """Plain data for the class report: what happened to this function, without re-running anything."""
        return {"function": self.function, "passed": self.passed, "total": self.total,
                "mistake": self.mistake, "unwritten": self.unwritten}

    @property
    def fraction(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def text(self) -> str:
        if self.total and self.passed == self.total:
            return f"{self.function}: passed all {self.total} hidden checks."
        lines = [f"{self.function}: passed {self.passed} of {self.total} hidden checks."]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class GradingContext:
    """What judging one student's notebook needs besides the results: the course and the student's code."""

    root: str
    assignment: str
    reference: dict  # the course's reference namespace (solutions and helpers)
    cell_sources: dict[str, str] = field(default_factory=dict)  # cell id -> the code the sandbox ran

    def line_of(self, error: dict) -> str:
        """The text of the student's line where `error` was raised, or ''."""
        lines = self.cell_sources.get(str(error.get("cell")), "").splitlines()
        number = error.get("line")
        number = int(number) if str(number).isdigit() else 0
        return lines[number - 1].strip()[:200] if 0 < number <= len(lines) else ""


def grade_functions(course_root: Path, assignment: str, cells: list[dict], limits: Limits | None = None,
                    isolation: str = "bwrap", usage: list[SandboxUsage] | None = None,
                    student: str = "") -> dict[str, FunctionReport]:
    """Grade every function of the assignment's suite defined by the student's solution `cells`.

    cells: [{"id": grade_id, "source": code}] in notebook order. The instructor's
    setup cells (imports) run first, taken from source/, not from the submission.
    The hidden cases are drawn from the course's secret, for this student and these cells. Raises
    GradingCutShort when the grader's own limits stop the grading (nothing is scored then).
    `usage`, if given, receives what each sandbox used (memory with a control group, CPU time).
    """
    root = str(Path(course_root).resolve())
    limits = limits or Limits()
    reference = references.reference_namespace(root, assignment)
    submission = secret.submission_key(student, cells)
    cells = references.setup_cells(root, assignment) + cells
    course_secret = secret.course_secret(root)
    function_specs = specs.load(assignment)
    cases = {spec.name: hidden_cases(spec, course_secret, submission, reference) for spec in function_specs}
    deadline = time.monotonic() + limits.student_seconds
    budget = Budget(limits.submission_seconds)
    context = GradingContext(root, assignment, reference, {cell["id"]: cell["source"] for cell in cells})
    reports: dict[str, FunctionReport] = {}
    process = None
    try:
        for spec in function_specs:
            if time.monotonic() > deadline:
                raise GradingCutShort(f"grading this student took longer than {limits.student_seconds:g} s")
            if budget.left <= 0:
                reports[spec.name] = FunctionReport(spec.name, 0, len(cases[spec.name]), [
                    (f"{spec.name} was not run: the submission's time budget of {budget.seconds:g} s (all its cells "
                    "and functions together) was used up before it.")])
                continue
            if process is None:
                process, cell_errors = _start(root, assignment, cells, limits, isolation, budget)
            cell_problem = _cell_problem(cell_errors.get(spec.name))
            try:
                reports[spec.name] = grade_one(spec, cases[spec.name], context, process, cell_problem)
            except SandboxBroken as broken:
                reports[spec.name] = FunctionReport(spec.name, 0, len(cases[spec.name]), [f"{spec.name}: {broken}."])
                _close(process, usage)
                process = None
    finally:
        if process is not None:
            _close(process, usage)
    return reports


def hidden_cases(spec: FunctionSpec, course_secret: bytes, submission: str = "",
                 reference: dict | None = None) -> list[Case]:
    """The function's hidden cases for one submission, drawn from the course's secret (the same at every regrade).

    submission: secret.submission_key of the student's submission ("" outside a grading).
    reference: the course's reference namespace (used to check each drawn case).
    """
    return spec.cases(secret.generator(course_secret, spec.assignment, spec.name, submission))


def hidden_arguments(cases: list[Case], reference: dict) -> list[tuple[tuple, dict]]:
    """(args, kwargs) of each case, built with the reference where a case needs it (caches of a forward pass)."""
    return [(case_arguments(case, reference), case.kwargs) for case in cases]


def _close(process: StudentProcess, usage: list[SandboxUsage] | None) -> None:
    process.close()
    if usage is not None:
        usage.append(SandboxUsage(process.peak_memory_bytes, process.cpu_seconds))


def _start(root, assignment, cells, limits, isolation, budget):
    """Start the student's process; a cell that ends the process or is stopped is left out and reported."""
    ended: dict[str, dict] = {}
    while True:
        process = StudentProcess(sandbox_modules(root, assignment), limits, isolation, budget)
        try:
            to_run = [cell for cell in cells if cell["id"] not in ended]
            report = process.start(to_run, sum(cell["id"].startswith(references.SETUP_PREFIX) for cell in to_run))
        except CellsInterrupted as stop:
            process.close()
            remaining = [cell for cell in cells if cell["id"] not in ended][len(stop.finished):]
            if not remaining or remaining[0]["id"].startswith(references.SETUP_PREFIX):
                # no student code had run yet: the grader's problem, not the student's
                raise GradingCutShort(f"the course's set-up cell could not run ({stop})") from None
            ended[remaining[0]["id"]] = {"type": "Stopped", "message": str(stop)}
            continue
        except BaseException:
            process.close()
            raise
        errors = {item["id"]: item["error"] for item in report if item.get("error")}
        return process, {**errors, **ended}


def _cell_problem(error: dict | None) -> str | None:
    """The sentence for the cell that defines a function, when that cell did not run to its end."""
    if not error:
        return None
    if error.get("type") == "Stopped":
        return f"the cell that defines it was stopped: {error.get('message', '')}."
    if error.get("type") == "CellTooLarge":
        return f"the cell that defines it was not run: {error.get('message', '')}."
    if error.get("type") == "Timeout":
        return f"the cell that defines it was stopped: {error.get('message', '')}."
    where = f" on line {error['line']}" if error.get("line") else ""
    text = f": {error['text']}" if error.get("text") else ""
    return f"the cell that defines it raised {error['type']}{where}{text} ({error.get('message', '')})."


def grade_one(spec: FunctionSpec, cases: list[Case], context: GradingContext, process: StudentProcess,
              cell_problem: str | None = None) -> FunctionReport:
    """Run the cases through the student's process and judge each result."""
    arguments = hidden_arguments(cases, context.reference)
    outcome = process.run_task(spec.name, arguments, list(spec.deps), _oracle(context.reference, spec.deps),
                               repeat=spec.must_not_mutate)
    return judge_function(spec, context, cases, arguments, outcome.cases, outcome.ended, cell_problem)


def judge_function(spec: FunctionSpec, context: GradingContext, cases: list[Case], arguments: list,
                   results: list[CaseOutcome], ended: str | None = None,
                   cell_problem: str | None = None) -> FunctionReport:
    """Judge every case, then name the catalogued mistake that explains all of the student's results."""
    report = FunctionReport(spec.name, total=len(cases))
    for case, (args, kwargs), result in zip(cases, arguments, results):
        if result.returned or result.error:
            problem = judge_case(spec, case, args, kwargs, result, context)
        else:
            problem = f"on the case '{case.label}': {spec.name} {ended or 'gave no result'}."
        if problem is None:
            report.passed += 1
        elif len(report.problems) < 3 and problem not in report.problems:
            report.problems.append(problem)
    report.unwritten = (report.passed == 0 and not cell_problem
                        and all(_is_unwritten(result) for result in results))
    if report.passed < report.total and not report.unwritten:
        mistake = recognise_mistake(spec, arguments, results, context)
        if mistake is not None:
            report.mistake = mistake.case_id
            report.problems.append(f"Likely cause: {mistake.hint}")
        if cell_problem and all(_is_missing(result) for result in results):
            report.problems = [cell_problem]  # the function was never defined because its cell did not run
        elif cell_problem:  # first: what follows may be its consequence
            report.problems.insert(0, cell_problem)
    return report


def _oracle(reference: dict, allowed: tuple[str, ...]) -> Callable:
    def answer(name, args, kwargs):
        if name not in allowed:
            raise KeyError(f"{name} is not a helper of this function")
        return reference[name](*args, **kwargs)

    return answer


def judge_case(spec: FunctionSpec, case: Case, args, kwargs, result: CaseOutcome,
               context: GradingContext) -> str | None:
    """None if the student's result on this case is right, else a sentence for the feedback."""
    reference = context.reference
    if result.error:
        return _error_sentence(spec.name, case, result.error, context.line_of(result.error))
    expected = quietly(reference[spec.name], args, kwargs)
    problem = compare_outputs(spec, expected, result.value)
    if problem is None and case.extra:
        problem = case.extra(result.value, reference)
    if problem is None and case.printed:
        problem = case.printed(result.stdout, expected)
    if problem is None and spec.must_not_mutate:
        problem = _repeat_problem(spec, expected, result)
    return None if problem is None else f"on the case '{case.label}': {problem}"


def _repeat_problem(spec: FunctionSpec, expected, result: CaseOutcome) -> str | None:
    """Called a second time on the very same arguments, the function must give the same, right result."""
    if result.again_error:
        second = f"raised {result.again_error.get('type', 'an error')}"
    else:
        second = compare_outputs(spec, expected, result.again)
        if second is None:
            return None
    return (f"{spec.name} changed the arrays it was given: called a second time on the same arguments, "
            f"its result is wrong ({second}). It must leave the caller's parameters unchanged: work on copies.")


def quietly(function: Callable, args, kwargs):
    """Call a course function on copies of the arguments, discarding what it prints."""
    with contextlib.redirect_stdout(io.StringIO()):
        return function(*copy.deepcopy(args), **copy.deepcopy(kwargs))


def quietly_twice(function: Callable, args, kwargs) -> tuple:
    """Two calls on the same copies of the arguments, as the sandbox makes them for repeat tasks."""
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    with contextlib.redirect_stdout(io.StringIO()):
        first = function(*args, **kwargs)
        first = copy.deepcopy(first)
        return first, function(*args, **kwargs)


def compare_outputs(spec: FunctionSpec, expected, got) -> str | None:
    """The first difference, in the words of the public checks (public_tests.difference, the same tolerance)."""
    if len(spec.output_names) == 1:
        return public_tests.difference(spec.output_names[0], got, expected)
    names = ", ".join(spec.output_names)
    if not isinstance(got, (tuple, list)) or len(got) != len(expected):
        return f"{spec.name} should return {len(expected)} values ({names})."
    for name, want, have in zip(spec.output_names, expected, got):
        problem = public_tests.difference(name, have, want)
        if problem:
            return problem
    return None


def _is_missing(result: CaseOutcome) -> bool:
    return bool(result.error) and result.error.get("type") == "Missing"


def _is_unwritten(result: CaseOutcome) -> bool:
    return bool(result.error) and result.error.get("type") in ("NotImplementedError", "Missing")


def recognise_mistake(spec: FunctionSpec, arguments: list, results: list[CaseOutcome],
                      context: GradingContext) -> Variant | None:
    """The first catalogued mistake that explains every result of the student's function, or None.

    A mistake explains a result when its code reproduces it, or, for a mistake whose
    results cannot be reproduced (random numbers without the given seed), when its
    `resembles` test accepts the student's result next to the course's.
    """
    if not any(result.returned or result.error for result in results):
        return None  # a function that gave no result at all (stopped, crashed) says nothing about its mistake
    for mistake in spec.mistakes:
        if mistake.resembles is not None:
            explained = all(result.returned and mistake.resembles(quietly(context.reference[spec.name], *case),
                                                                  result.value)
                            for case, result in zip(arguments, results))
        else:
            namespace = references.reference_namespace(context.root, context.assignment,
                                                       (spec.name, mistake.patches))
            explained = all(_reproduces(spec, namespace[spec.name], args, kwargs, result)
                            for (args, kwargs), result in zip(arguments, results))
        if explained:
            return mistake
    return None


def _reproduces(spec, mistaken, args, kwargs, result: CaseOutcome) -> bool:
    """Does the mistaken function give what the student's gave on this case (value, or kind of error)?"""
    if not (result.returned or result.error):
        return True  # a timeout or a crash says nothing either way
    try:
        if spec.must_not_mutate:
            value, again = quietly_twice(mistaken, args, kwargs)
        else:
            value, again = quietly(mistaken, args, kwargs), None
    except Exception as error:
        return bool(result.error) and result.error.get("type") == type(error).__name__
    if not result.returned or compare_outputs(spec, value, result.value) is not None:
        return False
    return not spec.must_not_mutate or (result.again_error is None and
                                        compare_outputs(spec, again, result.again) is None)


def _error_sentence(name: str, case: Case, error: dict, line: str = "") -> str:
    kind = error.get("type", "Exception")
    if kind == "NotImplementedError":
        return f"{name} is not written yet: replace `raise NotImplementedError()` with your code."
    if kind == "Missing":
        return f"{error.get('message')}: keep the function's name and its cell."
    message = error.get("message", "")
    if kind == "AssertionError" and not message and line:
        message = f"the check `{line}` failed"
        line = ""
    # the student's own line is quoted (it was written before any hidden case was drawn); a cell is named only if
    # the grader sent it (a name the student's code made up could carry data)
    where = f" (line {error['line']} of the cell {error['cell']}{f': `{line}`' if line else ''})" \
        if error.get("line") and line else ""
    return f"on the case '{case.label}': {name} raised {kind}{': ' + message if message else ''}{where}"
