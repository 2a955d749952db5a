"""The Party's calendar: months, quarters and years as date ranges. The one helper every app
uses for "this quarter" and friends, so a period means the same thing in every report."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

Granularity = Literal["month", "quarter", "year"]


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    granularity: Granularity

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.granularity == "month":
            return f"{self.start:%Y-%m}"
        if self.granularity == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def next(self) -> Period:
        return period_containing(self.end + dt.timedelta(days=1), self.granularity)

    def days_left(self, today: dt.date) -> int:
        return (self.end - today).days


def period_containing(day: dt.date, granularity: Granularity) -> Period:
    if granularity == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last), "month")
    if granularity == "quarter":
        first_month = (day.month - 1) // 3 * 3 + 1
        start = dt.date(day.year, first_month, 1)
        end_month = first_month + 2
        end = dt.date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])
        return Period(start, end, "quarter")
    if granularity == "year":
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year")
    raise ValueError(f"unknown granularity {granularity!r}")


def quarter(year: int, number: int) -> Period:
    if number not in (1, 2, 3, 4):
        raise ValueError("a quarter is numbered 1 to 4")
    return period_containing(dt.date(year, 3 * number - 2, 1), "quarter")


def periods_between(start: dt.date, end: dt.date, granularity: Granularity) -> list[Period]:
    """Every period of `granularity` that overlaps [start, end], in order."""
    periods = []
    current = period_containing(start, granularity)
    while current.start <= end:
        periods.append(current)
        current = current.next()
    return periods


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
