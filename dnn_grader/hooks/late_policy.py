"""Due dates (each assignment's spec, or nbgrader_config.py) and the late-submission penalty (nbgrader_config.py).

nbgrader keeps each assignment's due date in the gradebook and asks a
late-submission plugin for the penalty of a late notebook. Two pieces connect that
to the course's configuration:
- `RecordDueDates`, an autograde preprocessor, writes the assignment's due date
  (configured, else DUE_DATE in its instructor/spec.py) into the gradebook before nbgrader computes how late a
  submission is (from its timestamp.txt, which `nbgrader collect` and
  `nbgrader zip_collect` write); an extension granted in formgrader still counts;
- `LatePenaltyPolicy` takes a share of the notebook's score per day started after
  a grace period, up to the whole score.
"""

from __future__ import annotations

import math
from datetime import datetime

import dateutil.tz
from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import parse_utc
from traitlets import Dict, Float

from dnn_grader import course

SECONDS_PER_DAY = 24 * 60 * 60


class RecordDueDates(NbGraderPreprocessor):
    """Autograde step: store the assignment's due date in the gradebook: `due_dates[assignment]` if configured, else
    the DUE_DATE of its instructor/spec.py; with neither, the gradebook's own (none, by default)."""

    due_dates = Dict(
        {}, help='Due date of an assignment, overriding its spec\'s DUE_DATE: {"<assignment>": "2026-12-04 23:59:00 '
                 'Europe/Paris"} (a time-zone name, not an offset).',
    ).tag(config=True)

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        text = self.due_dates.get(assignment) or due_date_of(assignment)
        if text:
            due = parse_due_date(text)
            with Gradebook(resources["nbgrader"]["db_url"]) as gradebook:
                if gradebook.find_assignment(assignment).duedate != due:
                    gradebook.update_or_create_assignment(assignment, duedate=due)
        return nb, resources


class LatePenaltyPolicy(LateSubmissionPlugin):
    """Penalty = score x penalty_per_day x (days started after the grace period), at most the score."""

    penalty_per_day = Float(0.1, help="Share of the notebook's score lost per day started late (0.1 = 10%).").tag(
        config=True)
    grace_minutes = Float(15.0, help="Minutes after the due date that still count as on time.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        return penalty(score, total_seconds_late, self.penalty_per_day, self.grace_minutes)


def due_date_of(assignment: str) -> str | None:
    """The DUE_DATE its spec sets for this term, if the course has the assignment and the spec sets one."""
    try:
        return getattr(course.assignment(assignment).spec, "DUE_DATE", None)
    except KeyError:
        return None


def parse_due_date(text: str) -> datetime:
    """"2026-12-04 23:59:00 UTC" (a date, a time and a time-zone name) -> naive UTC, as the gradebook keeps it."""
    parts = str(text).split()
    if len(parts) != 3 or dateutil.tz.gettz(parts[2]) is None:
        raise ValueError(f"due date {text!r}: write it as 'YYYY-MM-DD HH:MM:SS ZONE' with a time-zone name, "
                         "e.g. '2026-12-04 23:59:00 UTC' or '2026-12-04 23:59:00 Europe/Paris'.")
    return parse_utc(text)


def penalty(score: float, seconds_late: float, per_day: float, grace_minutes: float) -> float:
    """Points taken off a notebook that scored `score` and came `seconds_late` seconds after the due date."""
    late = seconds_late - grace_minutes * 60
    if late <= 0:
        return 0.0
    days_started = math.ceil(late / SECONDS_PER_DAY)
    return min(score, score * per_day * days_started)
