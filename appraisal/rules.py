"""The pure rules of democratic appraisal (民主评议党员, RULES.md). No ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

EXCELLENT = "excellent"


def excellent_allowed(excellent: int, graded: int, numerator: int, denominator: int) -> bool:
    """优秀 may be at most numerator/denominator of those graded (local, default 1/3).

    Integers only, so the boundary is exact: 1 of 3 is allowed at 1/3, 2 of 3 is not."""
    return excellent * denominator <= graded * numerator


def excellent_cap(graded: int, numerator: int, denominator: int) -> int:
    """The largest number of 优秀 the cap allows among `graded`."""
    return (graded * numerator) // denominator


def count_excellent(grades: Iterable[str]) -> int:
    return sum(1 for grade in grades if grade == EXCELLENT)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
