"""Text a notebook prints, run with its reference solutions, and the text the course quotes of it.

A quoted printout (a notebook's "Expected output" block, a README block) must read as the run printed it: the
words exactly (runs of spaces count as one), the numbers to a relative 1e-6, since the last printed digit of
a float may differ between CPUs (NumPy's exp and log, BLAS summation order) without the figure going stale.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NUMBER = re.compile(r"[-+]?(?:inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
EXPECTED = re.compile(r"\*\*Expected output\*\*\s*```text\n(.*?)```", re.DOTALL)

_executed: dict[tuple[Path, Path | None], nbformat.NotebookNode] = {}


def executed(path: Path, data: Path | None) -> nbformat.NotebookNode:
    """The notebook at `path` run top to bottom (once per test session), on one BLAS thread, with the course's
    data folder `data` (None: the notebook's fallback data)."""
    if (path, data) not in _executed:
        notebook = nbformat.read(path, as_version=4)
        wanted = {"OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
        if data is not None:
            wanted["DNN_DATASETS"] = str(data)
        saved = {name: os.environ.get(name) for name in (*wanted, "DNN_DATASETS")}
        os.environ.pop("DNN_DATASETS", None)
        os.environ.update(wanted)  # the kernel inherits them
        try:
            NotebookClient(notebook, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        _executed[path, data] = notebook
    return _executed[path, data]


def stdout_of(cell) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output.get("name") == "stdout")


def same_line(quoted: str, printed: str) -> bool:
    """Do the two lines have the same words and numbers equal to a relative 1e-6?"""
    words = [" ".join(part.split()) for part in NUMBER.split(quoted)]
    if words != [" ".join(part.split()) for part in NUMBER.split(printed)]:
        return False
    return all(math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-12) or a == b
               for a, b in zip(NUMBER.findall(quoted), NUMBER.findall(printed)))


def stale_expected_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Each "Expected output" block that is not what the code cell just above it printed, with what it printed."""
    stale = []
    for index, cell in enumerate(notebook.cells):
        block = EXPECTED.search(cell.source) if cell.cell_type == "markdown" else None
        if block is None:
            continue
        above = next((c for c in reversed(notebook.cells[:index]) if c.cell_type == "code"), None)
        quoted, printed = block.group(1).splitlines(), stdout_of(above).splitlines() if above else []
        if len(quoted) != len(printed) or not all(map(same_line, quoted, printed)):
            stale.append(f"cell {index}: quotes\n{block.group(1)}but the cell above printed\n" + "\n".join(printed))
    return stale
