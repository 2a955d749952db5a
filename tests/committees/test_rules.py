from __future__ import annotations

import datetime as dt

import pytest

from committees import rules

TODAY = dt.date(2026, 11, 21)


OPINION = dt.date(2018, 7, 1)
TABLE = [
    rules.TermRule(dt.date(1900, 1, 1), "committee", False, 5),
    rules.TermRule(dt.date(1900, 1, 1), "branch", False, 3),
    rules.TermRule(dt.date(1900, 1, 1), "branch", True, 3),
    rules.TermRule(OPINION, "committee", False, 5),
    rules.TermRule(OPINION, "branch", False, 3),
    rules.TermRule(OPINION, "branch", True, 5),
]


@pytest.mark.parametrize(
    ("kind", "sector", "started_on", "years"),
    [
        ("branch", "community", OPINION - dt.timedelta(days=1), 3),
        ("branch", "community", OPINION, 5),
        ("branch", "village", OPINION, 5),
        ("branch", "agency", OPINION, 3),
        ("committee", "agency", dt.date(2016, 1, 1), 5),
        ("work_committee", "", dt.date(2020, 1, 1), 5),
        ("branch", "", dt.date(2020, 1, 1), 3),
    ],
)
def test_the_rule_in_force_on_the_day_the_term_began_gives_its_length(
    kind, sector, started_on, years
):
    rule = rules.term_rule(TABLE, organization_kind=kind, sector=sector, started_on=started_on)
    assert rule.years == years


def test_no_rule_before_the_table_begins():
    assert (
        rules.term_rule(
            TABLE, organization_kind="branch", sector="", started_on=dt.date(1899, 12, 31)
        )
        is None
    )


def test_a_term_started_on_29_february_ends_on_28_february():
    assert rules.planned_term_end(3, dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)


def test_an_extension_reaches_one_year_after_the_regular_end_to_the_day():
    assert rules.latest_extension_end(dt.date(2026, 3, 1)) == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("days_left", "lead"),
    [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (1, 30), (0, 30), (-1, None)],
)
def test_the_most_urgent_reminder_is_due(days_left, lead):
    assert rules.reminder_due(TODAY + dt.timedelta(days=days_left), TODAY) == lead
