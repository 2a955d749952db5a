from __future__ import annotations

import datetime as dt

import pytest

from committees import rules

TODAY = dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("sector", "years"), [("community", 5), ("village", 5), ("agency", 3), ("", 3)]
)
def test_term_length_depends_on_the_sector(sector, years):
    assert rules.planned_term_end(sector, dt.date(2024, 3, 1)) == dt.date(2024 + years, 3, 1)


def test_a_term_started_on_29_february_ends_on_28_february():
    assert rules.planned_term_end("agency", dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("days_left", "lead"),
    [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (1, 30), (0, 30), (-1, None)],
)
def test_the_most_urgent_reminder_is_due(days_left, lead):
    assert rules.reminder_due(TODAY + dt.timedelta(days=days_left), TODAY) == lead
