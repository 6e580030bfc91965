"""The late-submission policy configured in nbgrader_config.py (the whole path is in test_instructor_cycle)."""

from datetime import datetime

import pytest

from dnn_grader.hooks.late_policy import parse_due_date, penalty

HOUR, DAY = 3600, 86400


@pytest.mark.parametrize(("seconds_late", "expected"), [
    (0, 0.0),
    (10 * 60, 0.0),             # within the 15 minutes of grace
    (16 * 60, 2.0),             # the first day has started
    (DAY + 15 * 60, 2.0),       # exactly one day after the grace period
    (DAY + 16 * 60, 4.0),       # the second day has started
    (9 * DAY + 20 * 60, 20.0),  # ten days started: the whole score, and never more
    (30 * DAY, 20.0),
])
def test_penalty_is_a_tenth_of_the_score_per_day_started_after_the_grace(seconds_late, expected):
    assert penalty(20.0, seconds_late, per_day=0.1, grace_minutes=15) == pytest.approx(expected)


def test_due_dates_are_read_in_their_time_zone_and_kept_in_utc():
    assert parse_due_date("2026-12-11 23:59:00 UTC") == datetime(2026, 12, 11, 23, 59)
    assert parse_due_date("2026-12-11 23:59:00 Europe/Paris") == datetime(2026, 12, 11, 22, 59)


@pytest.mark.parametrize("text", ["2026-12-11 23:59:00", "2026-12-11 23:59:00 +01:00", "2026-12-11 23:59 Mars/Base"])
def test_a_due_date_without_a_time_zone_name_is_refused_with_a_clear_message(text):
    with pytest.raises(ValueError, match="time-zone name"):
        parse_due_date(text)
