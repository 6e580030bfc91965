"""nbgrader's OverwriteCells, without the false alarm about the release's own test cells.

When autograding, nbgrader's OverwriteCells compares every locked cell of a submission with the
instructor's version in the gradebook and warns "Attribute 'checksum' for cell ... has changed!" when
they differ, before putting the instructor's version back. The gradebook holds each test cell *with*
its hidden tests (nbgrader saves the cells before ClearHiddenTests runs), while the release hands
students the cell without them: so every test cell with hidden tests differs, in every submission,
even an untouched release. This subclass still puts the instructor's version back, and still warns
about a cell a student changed, but says nothing when the cell holds exactly what the release gave out.
"""

from __future__ import annotations

import copy

from nbformat.notebooknode import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells

from dnn_grader.engine.cells import grade_id_of


class OverwriteReleasedCells(OverwriteCells):
    """OverwriteCells that knows a released test cell is its source cell minus the hidden tests."""

    _as_released = False

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int) -> tuple[NotebookNode, dict]:
        self._as_released = self.holds_release_version(cell)
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name: str, attr: str, old, new) -> None:
        if attr == "checksum" and self._as_released:
            self.log.debug("Cell %s is as released; its hidden tests are put back", name)
            return
        super().report_change(name, attr, old, new)

    def holds_release_version(self, cell: NotebookNode) -> bool:
        """Is the cell's source what `nbgrader generate_assignment` released (the source minus hidden tests)?"""
        grade_id = grade_id_of(cell)
        if not grade_id:
            return False
        try:
            source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            return False
        released = copy.deepcopy(cell)
        released.source = source_cell.source
        try:  # the same delimiters as generate_assignment's (they are configurable)
            ClearHiddenTests(config=self.config).preprocess_cell(released, {}, 0)
        except RuntimeError:  # e.g. a student turned the test cell into a plain cell: not as released
            return False
        return released.source == cell.source
