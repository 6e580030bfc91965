"""No draw of the hidden cases hides a catalogued mistake, and none fails correct code.

The rule (README, "How a function is scored"): a catalogued mistake fails every hidden case that can show it: all
of them, or, for a mistake confined to one branch, every case of that branch (and passes the other branch's, which
keep their points). The hidden cases are drawn from the course's secret, so the rule must hold for every secret:
a degenerate draw (a relu layer whose Z has no negative entry, so that relu(Z) = Z; labels of one class only; a
square weight matrix) would let a mistake pass a case for some courses and not for others.

For every function of every discovered assignment, the hidden cases of SECRETS secrets are drawn as the grader
draws them (grading.hidden_cases, with the reference's checks), pooled, and each case is judged as the grader
judges it (grading.judge_case) on the results of the reference, of each known correct variant and of each
catalogued mistake (the reference solution cell patched, references.reference_namespace), all run in-process.

Left out, with their reasons:
- mistakes recognised by resemblance (`Variant.resembles`, a random initialization without the course's seed):
  no code reproduces their results, so there is nothing to run on a case;
- functions that train a model (their cases set `num_iterations`): a draw trains 7 functions on 3 cases of up to
  3,000 iterations each (3 to 5 s a draw on one core, 15 to 25 minutes for SECRETS secrets); what their mistakes
  could hide behind (learning rates, numbers of iterations, print_cost) is fixed in their specs, not drawn, and
  tests/test_specs.py checks their mistakes on four secrets, tests/test_correct_never_loses.py their correct
  code on 500 draws.
"""

import warnings
from collections import Counter

import numpy as np
import pytest
from conftest import REPO

from dnn_grader import specs
from dnn_grader.engine import references
from dnn_grader.engine.grading import GradingContext, call_on_copies, hidden_arguments, hidden_cases, judge_case

SECRETS = 300  # 300 course secrets: 600 to 1,200 cases per function, pooled (about 20 s on one core in all)


def trains_a_model(spec) -> bool:
    return any("num_iterations" in case.kwargs for case in spec.cases(np.random.default_rng(0)))


def _param(spec):
    marks = [pytest.mark.skip(reason=f"{spec.name} trains a model on each case (up to 3,000 iterations): too slow "
                                     f"for {SECRETS} draws; its mistakes' settings are fixed in its spec, not drawn")
             ] if trains_a_model(spec) else []
    return pytest.param(spec, marks=marks, id=f"{spec.assignment}:{spec.name}")


def pooled_cases(spec, reference):
    """The hidden cases of SECRETS course secrets, as the grader draws them: (secret number, case)."""
    return [(number, case) for number in range(SECRETS)
            for case in hidden_cases(spec, f"every draw {number}".encode(), "student/submission", reference)]


def must_fail(variant, case) -> bool:
    """Does the rule say this variant fails this case? Correct code fails none; a mistake all, or its branch's."""
    return variant is not None and variant.is_mistake and (not variant.branch or variant.branch == case.branch)


@pytest.mark.parametrize("spec", [_param(spec) for spec in specs.all_specs()])
def test_every_draw_shows_every_mistake_and_passes_correct_code(spec):
    root = str(REPO)
    reference = references.reference_namespace(root, spec.assignment)
    pooled = pooled_cases(spec, reference)
    cases = [case for _, case in pooled]
    arguments = hidden_arguments(cases, reference)
    context = GradingContext(root, spec.assignment, reference)
    functions = [("reference", None, reference[spec.name])] + [
        (variant.name, variant, references.reference_namespace(root, spec.assignment,
                                                               (spec.name, variant.patches))[spec.name])
        for variant in spec.correct + spec.mistakes if variant.resembles is None]
    wrong, judged, first = Counter(), Counter(), {}
    for name, variant, function in functions:
        for (number, case), (args, kwargs) in zip(pooled, arguments):
            with warnings.catch_warnings():  # gradient ascent overflows, as it should
                warnings.simplefilter("ignore")
                result = call_on_copies(function, args, kwargs, spec.must_not_mutate)
                failed = judge_case(spec, case, args, kwargs, result, context) is not None
            key = (name, "fail" if must_fail(variant, case) else "pass", case.branch)
            judged[key] += 1
            if failed != must_fail(variant, case):
                wrong[key] += 1
                first.setdefault(key, f"secret {number}, case '{case.label}'")
    assert not wrong, "\n".join(
        f"{spec.name}: {name} {'passed' if rule == 'fail' else 'failed'} {count} of the {judged[name, rule, branch]} "
        f"{branch + ' ' if branch else ''}cases it must {rule} (first: {first[name, rule, branch]})"
        for (name, rule, branch), count in wrong.items())
