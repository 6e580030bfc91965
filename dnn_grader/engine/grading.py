"""Grade a student's functions: run them in the sandbox, judge them here.

The student's code runs only in a StudentProcess; this module (in the grader's
process) builds the inputs, computes the expected answers with the reference
solutions, compares plain data, recognises classic mistakes, and writes a short
report per function.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import public_tests
from dnn_grader import specs
from dnn_grader.engine import gradients, references, secret
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
from dnn_grader.inside import wire
from dnn_grader.specs import Case, FunctionSpec, Variant, case_arguments

MAX_DRAWS = 20  # sets of hidden cases drawn for one function before the grader gives up (never seen above 2)


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


@dataclass(frozen=True)
class SubmissionGrading:
    """One grading of a student's submission: a report per function, or why the grader's own limits cut it short."""

    reports: dict[str, FunctionReport]  # function name -> its report ({} when cut short: nothing is scored)
    usage: list[SandboxUsage]  # what each sandbox of the grading used, in the order they ended
    cut_short: str | None = None  # the reason, when the grader's own limits stopped the grading (GradingCutShort)


def grade_functions(course_root: Path, assignment: str, cells: list[dict], limits: Limits | None = None,
                    isolation: str = "bwrap", student: str = "") -> SubmissionGrading:
    """Grade every function of the assignment's suite defined by the student's solution `cells`.

    cells: [{"id": grade_id, "source": code}] in notebook order. The instructor's
    setup cells (imports) run first, taken from source/, not from the submission.
    The hidden cases are drawn from the course's secret, for this student and these cells. When the grader's own
    limits stop the grading (GradingCutShort), the result says why and holds no report: nothing is scored then.
    """
    root = str(Path(course_root).resolve())
    limits = limits or Limits()
    reference = references.reference_namespace(root, assignment)
    submission = secret.submission_key(student, cells)
    cells = references.setup_cells(root, assignment) + cells
    course_secret = secret.course_secret(root)
    function_specs = specs.load(assignment, course_root)
    cases = {spec.name: hidden_cases(spec, course_secret, submission, reference) for spec in function_specs}
    deadline = time.monotonic() + limits.student_seconds
    budget = Budget(limits.submission_seconds)
    context = GradingContext(root, assignment, reference, {cell["id"]: cell["source"] for cell in cells})
    reports: dict[str, FunctionReport] = {}
    usage: list[SandboxUsage] = []
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
                usage.append(_close(process))
                process = None
    except GradingCutShort as cut_short:
        return SubmissionGrading({}, usage + _closed(process), str(cut_short))
    except BaseException:
        _closed(process)
        raise
    return SubmissionGrading(reports, usage + _closed(process))


def hidden_cases(spec: FunctionSpec, course_secret: bytes, submission: str = "",
                 reference: dict | None = None) -> list[Case]:
    """The function's hidden cases for one submission, drawn from the course's secret (the same at every regrade).

    submission: secret.submission_key of the student's submission ("" outside a grading).
    reference: the course's reference namespace. With it, no case is used on which the reference itself fails a
    check: every case with a check of its own (`Case.extra`, the gradient checks) is judged on the reference's
    result with bounds ten times tighter (gradients.strict), and the function's cases are drawn again from the
    same generator (so a regrade draws the same) until all pass. The other checks compare a result with the
    reference's own, which the reference cannot fail.
    """
    rng = secret.generator(course_secret, spec.assignment, spec.name, submission)
    for _ in range(MAX_DRAWS):
        cases = spec.cases(rng)
        if reference is None or all(_reference_passes(spec, case, reference) for case in cases if case.extra):
            return cases
    raise RuntimeError(f"the grader drew {MAX_DRAWS} sets of hidden cases for {spec.name} and the course's reference "
                       "failed a check on each: a bug of the grader's specs, not of any student")


def _reference_passes(spec: FunctionSpec, case: Case, reference: dict) -> bool:
    args = case_arguments(case, reference)
    result = call_on_copies(reference[spec.name], args, case.kwargs, spec.must_not_mutate)
    with gradients.strict():
        return judge_case(spec, case, args, case.kwargs, result, GradingContext("", spec.assignment, reference)) is None


def hidden_arguments(cases: list[Case], reference: dict) -> list[tuple[tuple, dict]]:
    """(args, kwargs) of each case, built with the reference where a case needs it (caches of a forward pass)."""
    return [(case_arguments(case, reference), case.kwargs) for case in cases]


def _close(process: StudentProcess) -> SandboxUsage:
    """End the student's process; what it used, read once it ended."""
    process.close()
    return SandboxUsage(process.peak_memory_bytes, process.cpu_seconds)


def _closed(process: StudentProcess | None) -> list[SandboxUsage]:
    """[what the process used] once it is ended; [] without a process."""
    return [] if process is None else [_close(process)]


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
    if error.get("type") in ("Stopped", "Timeout"):  # stopped by the grader, or by the sandbox's own CPU timer
        return f"the cell that defines it was stopped: {error.get('message', '')}."
    if error.get("type") == "CellTooLarge":
        return f"the cell that defines it was not run: {error.get('message', '')}."
    where = f" on line {error['line']}" if error.get("line") else ""
    text = f": {error['text']}" if error.get("text") else ""
    return f"the cell that defines it raised {error['type']}{where}{text} ({error.get('message', '')})."


def grade_one(spec: FunctionSpec, cases: list[Case], context: GradingContext, process: StudentProcess,
              cell_problem: str | None = None) -> FunctionReport:
    """Run the cases through the student's process and judge each result."""
    arguments = hidden_arguments(cases, context.reference)
    outcome = process.run_task(spec.name, arguments, list(spec.deps), _oracle(context.reference, spec.deps),
                               watch=spec.must_not_mutate)
    try:
        return judge_function(spec, context, cases, arguments, outcome.cases, outcome.ended, cell_problem)
    except Exception as error:  # a result built to break the comparison (an int of 400 digits, ...) is the student's
        return FunctionReport(spec.name, 0, len(cases), [(f"{spec.name}: its result could not be compared with the "
                                                         f"course's ({type(error).__name__}).")])


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
        problem = _mutation_problem(spec, reference[spec.name], args, kwargs, result.after)
    return None if problem is None else f"on the case '{case.label}': {problem}"


def _mutation_problem(spec: FunctionSpec, reference_function: Callable, args, kwargs,
                      after: list[np.ndarray] | None) -> str | None:
    """A sentence if an array the function was given holds other contents after the call, else None.

    after: the argument arrays as the function left them, in the order of wire.argument_arrays(args, kwargs).
    Only the arrays are compared: a dictionary whose entries were replaced by new arrays changed no array.
    """
    if after is None:
        raise ValueError(f"the outcome of {spec.name} does not say what its arguments held after the call")
    names = list(inspect.signature(reference_function).parameters)
    for (path, given), now in zip(wire.argument_arrays(args, kwargs), after):
        change = _array_change(given, now)
        if change:
            return (f"{spec.name} changed the arrays it was given: after the call, {_path_text(path, names)} no "
                    f"longer holds the values it was given ({change}). It must leave the caller's arrays "
                    "unchanged: work on copies.")
    return None


def _array_change(given: np.ndarray, now: np.ndarray) -> str | None:
    """How `now` differs from `given` (exactly: shape, kind of values, or the first value that differs), or None."""
    if now.shape != given.shape:
        return f"its shape was {given.shape}, it is now {now.shape}"
    if now.dtype != given.dtype:
        return f"it held {given.dtype} values, it now holds {now.dtype} values"
    same = given == now
    if given.dtype.kind in "fc":
        same |= np.isnan(given) & np.isnan(now)
    if np.all(same):
        return None
    index = tuple(int(i) for i in np.argwhere(~same)[0])
    return f"at index {index} it held {float(given[index]):.8g}, it now holds {float(now[index]):.8g}"


def _path_text(path: tuple, names: list[str]) -> str:
    """params["W1"] for the path (0, "W1") of wire.argument_arrays, with the function's parameter names."""
    first, *steps = path
    if isinstance(first, str):
        text = first
    else:
        text = names[first] if first < len(names) else f"argument {first + 1}"
    return text + "".join(f'["{step}"]' if isinstance(step, str) else f"[{step}]" for step in steps)


def call_on_copies(function: Callable, args, kwargs, watch: bool = False) -> CaseOutcome:
    """Call a trusted function in this process on copies of the arguments; describe the outcome as the sandbox does.

    Its errors become the outcome's error; what it prints, the outcome's stdout; with `watch`, `after` holds
    its argument arrays as the call left them (CaseOutcome.after).
    """
    printed = io.StringIO()
    try:
        value, after = _on_copies(function, args, kwargs, watch, printed)
    except Exception as error:  # the function may be a mistaken reference, or the instructor's code
        return CaseOutcome(error={"type": type(error).__name__, "message": str(error)}, stdout=printed.getvalue())
    return CaseOutcome(value=value, stdout=printed.getvalue(), returned=True, after=after)


def quietly(function: Callable, args, kwargs):
    """What a course function returns on copies of the arguments; what it prints is discarded, its errors raised."""
    return _on_copies(function, args, kwargs, False, io.StringIO())[0]


def _on_copies(function: Callable, args, kwargs, watch: bool, printed: io.StringIO) -> tuple:
    """(value, the argument arrays after the call or None) of one call on deep copies of the arguments."""
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    given = [array for _, array in wire.argument_arrays(args, kwargs)] if watch else None
    with contextlib.redirect_stdout(printed):
        value = function(*args, **kwargs)
    return value, given


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
    """Does the mistaken function do what the student's did on this case (value and, for a function that must
    leave its arguments unchanged, what its argument arrays held after the call; or the kind of error)?"""
    if not (result.returned or result.error):
        return True  # a timeout or a crash says nothing either way
    mine = call_on_copies(mistaken, args, kwargs, spec.must_not_mutate)
    if mine.error:
        return bool(result.error) and result.error.get("type") == mine.error["type"]
    if not result.returned or compare_outputs(spec, mine.value, result.value) is not None:
        return False
    return not spec.must_not_mutate or public_tests.difference("after", result.after, mine.after) is None


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
