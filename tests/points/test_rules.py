"""The pure rules of member points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from config.periods import period_containing
from points import rankings, rules

DEFAULT = [Decimal(x) for x in (60, 70, 80, 85, 90)]


@pytest.mark.parametrize(
    ("total", "stars"),
    [(None, 0), (0, 0), (Decimal("59.9"), 0), (60, 1), (Decimal("84.9"), 3), (90, 5), (400, 5)],
)
def test_stars_are_reached_at_each_threshold(total, stars):
    assert rules.stars_for(total, DEFAULT) == stars


def test_a_recomputation_covers_whole_years():
    assert rules.whole_years(dt.date(2026, 3, 5), dt.date(2027, 1, 2)) == (
        dt.date(2026, 1, 1),
        dt.date(2027, 12, 31),
    )
    with pytest.raises(ValueError):
        rules.whole_years(dt.date(2026, 3, 5), dt.date(2026, 3, 4))


def test_thresholds_are_five_and_ascending():
    assert rules.thresholds_valid([])
    assert rules.thresholds_valid(DEFAULT)
    assert not rules.thresholds_valid(DEFAULT[:4])
    assert not rules.thresholds_valid([60, 60, 70, 80, 90])


def test_periods_are_read_from_their_labels():
    today = dt.date(2026, 7, 15)
    assert rankings.parse_period("2026-03", today) == period_containing(
        dt.date(2026, 3, 1), "month"
    )
    assert rankings.parse_period("2026Q2", today).granularity == "quarter"
    assert rankings.parse_period("2025", today).start == dt.date(2025, 1, 1)
    for bad in ("2026-13", "2026Q5", "2027", "1999", "soon", "", None):
        assert rankings.parse_period(bad, today) is None


def test_every_default_rule_names_a_known_event():
    from points.models import EVENT_LABELS

    assert {rule.event for rule in rules.DEFAULT_RULES} <= set(EVENT_LABELS)
