"""The pure rules of member points: the default rule table of RULES.md (all local figures, so
each sub-district gets them as editable rows), stars from thresholds, the widening of a
recomputation to whole years. No ORM."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# Rules start from this day when seeded: before any record the portal holds.
DEFAULT_VALID_FROM = dt.date(2000, 1, 1)

# Meeting kinds whose attendance earns and loses points by default (RULES.md → Member points:
# 支部党员大会 / 党小组会 / 党课 / theme day +2, absence without leave −3; the committee and the
# organisational life meeting are treated alike).
_ATTENDED_KINDS = (
    "general_meeting",
    "committee_meeting",
    "group_meeting",
    "lecture",
    "theme_day",
    "life_meeting",
)


@dataclass(frozen=True)
class DefaultRule:
    event: str
    points: Decimal
    cap_month: Decimal | None = None
    cap_year: Decimal | None = None
    needs_approval: bool = False


DEFAULT_RULES: tuple[DefaultRule, ...] = (
    DefaultRule("base", Decimal(60)),
    *(DefaultRule(f"attendance.{kind}.present", Decimal(2)) for kind in _ATTENDED_KINDS),
    *(DefaultRule(f"attendance.{kind}.absent", Decimal(-3)) for kind in _ATTENDED_KINDS),
    DefaultRule("make_up_done", Decimal(1)),
    DefaultRule("make_up_overdue", Decimal(-2)),
    DefaultRule("volunteer_hours", Decimal(1), cap_month=Decimal(10)),
    DefaultRule("community_service", Decimal(3)),
    DefaultRule("wish_fulfilled", Decimal(2)),
    DefaultRule("good_deed", Decimal(2), needs_approval=True),
    DefaultRule("dues_on_time", Decimal(1)),
    DefaultRule("dues_three_months_late", Decimal(-5)),
    DefaultRule("manual_award", Decimal(1), needs_approval=True),
    DefaultRule("manual_deduction", Decimal(-1), needs_approval=True),
    # The appraisal grade: RULES.md gives no figures, so 0 points (no entry) until the
    # sub-district sets them in its rule table.
    *(
        DefaultRule(f"appraisal.{grade}", Decimal(0))
        for grade in ("excellent", "qualified", "basically_qualified", "unqualified")
    ),
)

STARS = 5


def stars_for(total: Decimal | float | int | None, thresholds: Sequence[Decimal]) -> int:
    """How many stars a total earns: the number of (ascending) thresholds it reaches, at most
    five. A total exactly at a threshold reaches it (≥ 90 is five stars with the defaults)."""
    if total is None:
        return 0
    return min(bisect_right(sorted(thresholds), Decimal(str(total))), STARS)


def whole_years(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """A recomputation covers whole calendar years: a yearly cap counts every entry of the year,
    so a month cannot be capped right without the months before it."""
    if last < first:
        raise ValueError("the period ends before it starts")
    return dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)


def thresholds_valid(values: Sequence[Decimal]) -> bool:
    """Five thresholds (or none, for the defaults), strictly ascending."""
    if not values:
        return True
    return len(values) == STARS and all(a < b for a, b in zip(values, values[1:], strict=False))
