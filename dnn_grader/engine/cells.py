"""What the grader reads from a cell's nbgrader metadata that nbgrader.utils has no helper for.

nbgrader.utils answers "is this a grade cell, a solution cell, a locked cell?" (is_grade,
is_solution, is_locked); every module of the grader asks it that. It has no helper for a
cell's grade_id or points: they are read here, and only here.
"""

from __future__ import annotations

from nbformat.notebooknode import NotebookNode


def grade_id_of(cell: NotebookNode) -> str:
    """The cell's nbgrader grade_id, as text; "" for a cell nbgrader does not track."""
    return str(_nbgrader(cell).get("grade_id", ""))


def points_of(cell: NotebookNode) -> float:
    """The points nbgrader gives the cell (0 for a cell without points)."""
    return float(_nbgrader(cell).get("points", 0))


def _nbgrader(cell: NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})
