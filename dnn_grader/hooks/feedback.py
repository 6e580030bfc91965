"""The feedback page (`nbgrader generate_feedback`), as nbgrader_config.py sets it up.

- `QuietClearHiddenTests`: nbgrader's ClearHiddenTests (the hidden tests never reach feedback) without its warning.
  nbconvert's HTMLExporter configures `NbConvertBase.display_data_priority` for every preprocessor it runs, and
  nbgrader's preprocessors re-declare that trait without `config=True` (nbgrader/preprocessors/base.py), so traitlets
  warned "Config option `display_data_priority` not recognized by `ClearHiddenTests`" at every generate_feedback.
  nbgrader's own GetGrades declares it configurable; this does the same.
- `DropScoreOutputs`: a graded test cell's result is the number nbgrader reads as partial credit; the feedback shows
  the points in the cell's heading and in words ("Score: 1 of 3 points"), so the bare `Out[ ]: 0.0` goes.
- `FeedbackExporter`: nbgrader's feedback page with each test entry named after its function, and MathJax from a copy
  beside the feedback (jupyter-server-mathjax's MathJax 2.7, the version nbconvert's pages are written for) rather
  than from a CDN, so that the math renders offline. The copy is `feedback/_mathjax/` (no student id holds "_", see
  FileNameCollectorPlugin.named_regexp), linked as `../../_mathjax/` from `feedback/<student>/<assignment>/`: it
  travels with the feedback/ folder. A page opened without that folder beside it (nbgrader's `release_feedback`
  hands out the .html files alone) falls back to the CDN nbconvert uses, and shows the TeX as written when offline.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.preprocessors.base import NbGraderPreprocessor
from traitlets import Bool, List, Unicode

from dnn_grader.hooks.preprocessor import tested_function

MATHJAX_FOLDER = "_mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # the combined configuration jupyter-server-mathjax ships
CDN_MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full,Safe"
# jupyter-server-mathjax ships the STIX web fonts only (as Jupyter's classic notebook configures them).
FONTS = '<script>window.MathJax = {"HTML-CSS": {availableFonts: [], webFont: "STIX-Web", imageFont: null}};</script>'
# What a page needs from MathJax's folder for TeX in HTML-CSS output: no translations, accessibility or SVG output.
NOT_COPIED = ("localization", "a11y", "SVG")
TOC_ENTRY = re.compile(r'<a href="#test_(\w+)">Test cell</a>')
CELL_HEADING = re.compile(r'<span class="nbgrader-label">Grade cell: <code>test_(\w+)</code></span>')


class QuietClearHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, accepting the exporter's display_data_priority as nbgrader's GetGrades does."""

    display_data_priority = List(NbGraderPreprocessor.display_data_priority.default_value).tag(config=True)


class DropScoreOutputs(Preprocessor):
    """Remove the partial-credit number (an execute_result) from every graded test cell; its text stays."""

    enabled = Bool(True).tag(config=True)  # nbconvert's preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if tested_function(cell):
            cell.outputs = [output for output in cell.get("outputs", []) if output.output_type != "execute_result"]
        return cell, resources


def mathjax_source() -> Path:
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


def copy_mathjax(folder: Path) -> None:
    """MathJax's files for the feedback pages into `folder`, once (a copy already there is kept)."""
    if (folder / "MathJax.js").exists():
        return
    partial = folder.with_name(f"{folder.name}.partial-{os.getpid()}")  # whole or absent, even for two writers
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(mathjax_source(), partial, ignore=shutil.ignore_patterns(*NOT_COPIED))
    try:
        partial.rename(folder)
    except OSError:  # another generate_feedback put its copy there first
        shutil.rmtree(partial, ignore_errors=True)


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback page, with the test entries named and MathJax served from beside the feedback."""

    mathjax_folder = Unicode("", help="where the copy of MathJax goes (feedback/_mathjax of the course); "
                             "'' to keep nbgrader's CDN").tag(config=True)
    local_mathjax_url = Unicode(f"../../{MATHJAX_FOLDER}/MathJax.js?config={MATHJAX_CONFIG}",
                                help="the copy's URL, relative to feedback/<student>/<assignment>/").tag(config=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        output, resources = super().from_notebook_node(nb, resources, **kw)
        output = TOC_ENTRY.sub(r'<a href="#test_\1">Test of <code>\1</code></a>', output)
        output = CELL_HEADING.sub(r'<span class="nbgrader-label">Test of <code>\1</code></span>', output)
        if self.mathjax_folder and f'<script src="{CDN_MATHJAX}"> </script>' in output:
            copy_mathjax(Path(self.mathjax_folder))
            fallback = (f"var s = document.createElement('script'); s.src = '{CDN_MATHJAX}'; "
                        "document.head.appendChild(s);")
            output = output.replace(f'<script src="{CDN_MATHJAX}"> </script>',
                                    f'{FONTS}\n<script src="{self.local_mathjax_url}" onerror="{fallback}"></script>', 1)
        return output, resources
