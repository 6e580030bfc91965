"""nbgrader configuration of "Deep Neural Networks, Step by Step".

Run nbgrader's commands in this folder (the course root). Autograding never
executes a student's notebook in a kernel: dnn_grader's IsolatedAutograde runs
the student's functions in a sandboxed process (bubblewrap) that cannot see this
folder, and judges the results here. See README.md, "What grading protects".
"""

import sys
import warnings
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent
if str(COURSE_ROOT) not in sys.path:
    sys.path.insert(0, str(COURSE_ROOT))  # so that a plain checkout finds dnn_grader

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from sqlalchemy.exc import SAWarning

from dnn_grader.course import INSTRUCTOR_FOLDER
from dnn_grader.hooks.feedback import DropScoreOutputs, FeedbackExporter, QuietClearHiddenTests
from dnn_grader.hooks.late_policy import LatePenaltyPolicy, RecordDueDates
from dnn_grader.hooks.overwrite_cells import OverwriteReleasedCells
from dnn_grader.hooks.preprocessor import IsolatedAutograde

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# nbgrader 0.9's Gradebook.add_submission (nbgrader/api.py) builds a new submission's rows, linked to their assignment
# and student, before adding the submission to the session; SQLAlchemy 2 then warns, once per new submission, that
# the links "will not proceed" on its own. nbgrader adds the submission itself right after, so nothing is lost: the
# warning is nbgrader's, and only it is silenced, only where nbgrader emits it.
warnings.filterwarnings("ignore", message=r"Object of type <Submitted(Assignment|Notebook)> not in session",
                        category=SAWarning, module=r"nbgrader\.api")

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = "dnn-step-by-step"
# source/<assignment>/instructor/ holds how it is graded (dnn_grader.course): never copied into release/ or autograded/.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "datasets", ".*", INSTRUCTOR_FOLDER]

# What students see in place of each solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# `nbgrader validate` (the Validate button) runs the whole notebook in the student's kernel,
# training included: allow a slow laptop five minutes per cell.
c.Execute.timeout = 300

# Sanitizing a submission: nbgrader's default steps, with OverwriteCells quiet about test cells that are exactly as
# released (nbgrader's own warns "Attribute 'checksum' ... has changed!" for every cell with hidden tests).
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteReleasedCells, CheckCellMetadata]
# Autograde: nbgrader's default pipeline, with kernel execution replaced by the sandboxed grader.
c.Autograde.autograde_preprocessors = [
    IsolatedAutograde, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, RecordDueDates,
    AssignLatePenalties, CheckCellMetadata]
# Unreadable, renamed, crafted or duplicated-cell notebooks are graded from stand-ins (the files stay untouched);
# a notebook over c.IntakeExporter.max_notebook_mb (default 32) is not read: it gets 0 with a note.
c.Autograde.pre_convert_hook = "dnn_grader.hooks.intake.prepare_submissions"
c.Autograde.exporter_class = "dnn_grader.hooks.intake.IntakeExporter"
c.IsolatedAutograde.course_root = str(COURSE_ROOT)
# The sandbox's limits (memory, /tmp, processes, CPU seconds) are the defaults of dnn_grader.engine.sandbox.Limits;
# set c.IsolatedAutograde.memory_limit_mb, tmp_limit_mb, max_processes, function_cpu_seconds or cell_cpu_seconds
# here to change one. Grading refuses to run without bubblewrap (c.IsolatedAutograde.isolation = "bwrap").

# Due dates and late penalties: edit them for your term. A submission's time is its timestamp.txt (written by
# `nbgrader collect` and `nbgrader zip_collect`); extensions granted in formgrader are honoured.
c.RecordDueDates.due_dates = {}  # "<assignment>": "YYYY-MM-DD HH:MM:SS ZONE"; else DUE_DATE in its instructor/spec.py
c.AssignLatePenalties.plugin_class = LatePenaltyPolicy
c.LatePenaltyPolicy.penalty_per_day = 0.10  # a tenth of the notebook's score per day started late ...
c.LatePenaltyPolicy.grace_minutes = 15  # ... after a quarter of an hour of grace; never below zero

# Collecting from an LMS download (`nbgrader zip_collect ASSIGNMENT`, archives in downloaded/ASSIGNMENT/archive/):
# files named "<student id>_<notebook>.ipynb" or "<student id>_<YYYYMMDDTHHMMSS>_<notebook>.ipynb" (a UTC time,
# e.g. s1024_20261212T083000_...ipynb, which becomes the submission's timestamp). Student ids are letters, digits and
# ".@+-" only (no "_"; and no markup: formgrader prints a student id unescaped in its student page).
# Adapt it to your LMS's file names.
c.FileNameCollectorPlugin.named_regexp = (
    r".*/(?P<student_id>[A-Za-z0-9.@+-]+)_(?:(?P<timestamp>\d{8}T\d{6})_)?"
    r"(?P<file_id>[^/]+)$")

# Feedback shows what passed and failed, never the hidden test code; each test is named after its function, the
# points are in words (the bare partial-credit number goes), and MathJax comes from a copy in feedback/_mathjax/ (so
# the math renders offline where that folder travels with the pages). See dnn_grader/hooks/feedback.py.
c.GenerateFeedback.preprocessors = [QuietClearHiddenTests, GetGrades, DropScoreOutputs, CSSHTMLHeaderPreprocessor]
c.GenerateFeedback.exporter_class = FeedbackExporter
c.FeedbackExporter.mathjax_folder = str(COURSE_ROOT / "feedback" / "_mathjax")
# Student content is inert in every page that shows it: the feedback HTML and formgrader's submission view are both
# HTMLExporter renderings. sanitize_html drops script outputs and widgets and cleans HTML and markdown outputs; the
# filters clean markdown cells too (nbgrader's templates print them raw) with an allowlist that keeps honest
# markdown; formgrader's header escapes the student's id and name. See dnn_grader/hooks/inert_html.py.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"markdown2html": "dnn_grader.hooks.inert_html.markdown2html",
                          "clean_html": "dnn_grader.hooks.inert_html.clean_html"}
c.HTMLExporter.preprocessors = ["dnn_grader.hooks.inert_html.EscapeResources"]

# The class report (`dnn-grader report`) links into formgrader at the Jupyter server running in this folder, if any;
# otherwise here (default http://localhost:8888), e.g. on a hub:
# c.ClassReport.formgrader_url = "https://hub.example.org/user/NAME"
