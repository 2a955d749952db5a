"""The shape every chart shares: the chosen year and its day, and the JSON a chart answers
with (categories and series for ECharts, the same figures as a table)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Chart = dict[str, Any]


@dataclass(frozen=True)
class AsOf:
    """The chosen year, and the day its figures are read on: the year's last day, or today
    while the year runs."""

    year: int
    day: dt.date

    @classmethod
    def for_year(cls, year: int, today: dt.date) -> AsOf:
        return cls(year=year, day=min(dt.date(year, 12, 31), today))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def months(self) -> list[dt.date]:
        """First days of the year's months up to the day (the months that have begun)."""
        return [dt.date(self.year, m, 1) for m in range(1, self.day.month + 1)]


def chart(
    key: str,
    title: str | Promise,
    kind: str,
    categories: list[str],
    series: list[dict[str, Any]],
    columns: list[str],
    rows: list[list[Any]],
    *,
    note: str = "",
    y_categories: list[str] | None = None,
    unit: str = "",
) -> Chart:
    return {
        "key": key,
        "title": str(title),
        "kind": kind,
        "categories": categories,
        "y_categories": y_categories or [],
        "series": series,
        "columns": columns,
        "rows": rows,
        "note": note,
        "unit": unit,
    }


def month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"
