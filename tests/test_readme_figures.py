"""The README's figures that come from a command are that command's, so that they cannot go stale unnoticed.

Tied elsewhere: the demo's table (tests/test_demo.py runs `make demo`'s module and compares), the instructor block's
outputs (tests/test_readme_instructors.py), the course's published costs and accuracies (tests/test_published_results.py).
Tied here: the test count (pytest's collection), the number of crafted notebooks, the counts of the latest catalogue
figure (the catalogue's cases, by kind), the hint the class report section quotes (the catalogue's).
Not tied: the dated timings, throughputs and memory peaks under "Figures" and "Benchmarks" and in the protection
section, and the dated test counts and catalogue results of earlier days: measured on a shared machine on the dates
given, they are a record of those runs, not something a test can reproduce.
"""

import re
import subprocess
import sys
from collections import Counter

from conftest import REPO

from dnn_grader.evidence.scenarios import all_scenarios
from dnn_grader.specs import MISTAKES

README = (REPO / "README.md").read_text()


def test_the_readme_test_count_is_pytests():
    stated = re.search(r"The suite holds (\d+) tests", README)
    assert stated, "the README no longer states the suite's test count"
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                               cwd=REPO, capture_output=True, text=True, timeout=600)
    counted = re.search(r"^(\d+) tests? collected", collected.stdout, re.MULTILINE)
    assert counted, collected.stdout[-2000:] + collected.stderr[-2000:]
    assert int(stated.group(1)) == int(counted.group(1)), (
        f"README: 'The suite holds {stated.group(1)} tests'; pytest collects {counted.group(1)}: write that")


def test_the_latest_catalogue_figure_counts_todays_catalogue():
    figures = re.findall(r"(\d+) of (\d+) cases as expected\s+\(([^)]*)\)", README)
    assert figures, "the README shows no catalogue figure"
    passed, total, kinds = figures[-1]
    cases = Counter(scenario.kind for scenario in all_scenarios(REPO))
    stated = {kind: int(count) for kind, _, count in re.findall(r"(\w+) (\d+)/(\d+)", re.sub(r"\s+", " ", kinds))}
    assert passed == total, "the README's latest catalogue figure has unexpected cases"
    assert int(total) == sum(cases.values()) and stated == dict(cases), (
        f"the README's latest catalogue figure ({total}: {stated}) is not today's catalogue ({dict(cases)}): "
        "run `dnn-grader catalogue` and add its figures under Figures")


def test_the_class_report_section_quotes_the_catalogues_hint():
    quoted = re.search(r'\("no_mean_dW: 3 students — (.*?)"\)', re.sub(r"\s+", " ", README))
    assert quoted, "the class report section no longer quotes a mistake"
    hint = next(m.hint for m in MISTAKES if m.case_id == "linear_backward:no_mean_dW")
    assert quoted.group(1) == hint


def test_the_crafted_notebook_count_is_the_tests():
    from test_crafted_notebooks import CRAFTED

    stated = re.search(r"`tests/test_crafted_notebooks.py` grades (\d+) crafted notebooks", README)
    assert stated and int(stated.group(1)) == len(CRAFTED)
