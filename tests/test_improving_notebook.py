"""Assignment 3's instructor notebook runs from start to end, and what it prints is what the README says.

The README's block of the notebook's numbers (under "Improving your Deep Network: the numbers") is copied from this
notebook's output; each of its lines must be printed by a run of the notebook (the words as they are, the numbers
to a relative 1e-6). The time its training cells take is a measurement of one run, quoted in the README, not a test: a test must not depend on the machine's speed.
"""

import re

import pytest
from conftest import REPO
from printouts import executed, same_line, stdout_of

from dnn_grader.engine.references import notebook_path

README = (REPO / "README.md").read_text()
BLOCK = re.compile(r"### Improving your Deep Network: the numbers.*?```text\n(.*?)```", re.DOTALL)


def readme_lines() -> list[str]:
    found = BLOCK.search(README)
    assert found, "the README has no block of the third notebook's numbers"
    return [line for line in found.group(1).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def printed(cat_data) -> list[str]:
    """The lines the notebook prints, run with the course's cat data."""
    notebook = executed(notebook_path(REPO, "improving"), cat_data)
    return [line for cell in notebook.cells if cell.cell_type == "code" for line in stdout_of(cell).splitlines()]


def test_every_line_of_the_readme_block_is_printed_by_the_notebook(printed):
    missing = [line for line in readme_lines() if not any(same_line(line, said) for said in printed)]
    assert not missing, f"README lines the notebook did not print: {missing}\n--- printed ---\n" + "\n".join(printed)


def difference_after(message: str, printed: list[str]) -> float:
    """The difference the gradient check printed after `message` (its message when print_msg=True)."""
    said = [line for line in printed if line.startswith(message)]
    assert len(said) == 1, f"the notebook printed {len(said)} lines starting {message!r}"
    return float(said[0].rsplit("=", 1)[1])


def test_the_gradient_check_finds_the_planted_bug_and_passes_once_fixed(printed):
    assert difference_after("There is a mistake in the backward propagation!", printed) > 2e-7
    fixed = difference_after("Your backward propagation works perfectly fine!", printed)
    assert 1e-10 < fixed < 1e-8, f"the README says the fixed backward pass's difference is near 1e-9, not {fixed}"
    assert sum("passed all" in line for line in printed) == 8, "every graded function passes its hidden checks"
