from __future__ import annotations

import datetime as dt

import pytest

from activities import rules
from config.periods import period_containing, periods_between, quarter


@pytest.mark.parametrize(
    ("entitled", "present", "met"),
    [(4, 2, False), (4, 3, True), (5, 3, True), (5, 2, False), (1, 1, True), (0, 0, False)],
)
def test_quorum_needs_more_than_half_of_those_entitled(entitled, present, met):
    assert rules.quorum_met(entitled=entitled, present=present) is met


def test_a_motion_needs_yes_from_more_than_half_of_those_entitled_not_of_those_present():
    # 10 entitled, 6 present, 5 yes: a majority of those present, not of those entitled.
    assert rules.quorum_met(entitled=10, present=6)
    assert not rules.motion_passes(entitled=10, yes=5)
    assert rules.motion_passes(entitled=10, yes=6)


def test_election_needs_more_than_four_fifths():
    assert not rules.election_quorum_met(entitled=10, present=8)
    assert rules.election_quorum_met(entitled=10, present=9)


def test_vote_figures_must_add_up():
    assert rules.vote_validation_errors(entitled=5, present=4, yes=3, no=1, abstain=1) == [
        "votes_over_present"
    ]
    assert rules.vote_validation_errors(entitled=5, present=4, yes=3, no=1, abstain=0) == []


@pytest.mark.parametrize(
    ("day", "granularity", "start", "end"),
    [
        (dt.date(2024, 2, 10), "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2026, 11, 21), "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 3, 31), "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 7, 1), "year", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_periods_of_the_party_calendar(day, granularity, start, end):
    period = period_containing(day, granularity)
    assert (period.start, period.end) == (start, end)


def test_periods_between_and_labels():
    months = periods_between(dt.date(2026, 1, 15), dt.date(2026, 3, 2), "month")
    assert [m.label for m in months] == ["2026-01", "2026-02", "2026-03"]
    assert quarter(2026, 4).label == "2026Q4"
    with pytest.raises(ValueError):
        quarter(2026, 5)
