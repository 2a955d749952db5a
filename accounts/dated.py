"""Dated rows: a seat, an appointment, a pairing, a registration, a committee position.

Such a row is in force from its first day until its last (or still, with no last day); it is
never deleted, so the state "as of" any past day can be shown; and it ends in one way
(`close_span`). `DatedSpan` gives the two fields, their constraints and the reads; a model whose
columns are named otherwise (`joined_on` / `left_on`) uses `DatedSpanQuerySet` and `close_span`
with its own field names (`span_start` / `span_end`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import DomainError

__all__ = [
    "DatedSpan",
    "DatedSpanQuerySet",
    "SpanAlreadyEnded",
    "SpanDateRefused",
    "close_span",
    "in_force_q",
    "span_constraints",
]


class SpanAlreadyEnded(DomainError):
    """The row has already ended; it ends once."""


class SpanDateRefused(DomainError):
    """The end day is before the row began, or in the future."""


def in_force_q(day: dt.date, *, start: str = "started_on", end: str = "ended_on") -> Q:
    """Rows in force on `day`: begun on or before it, not ended before it."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def span_constraints(
    prefix: str,
    *,
    open_per: list[str] | None = None,
    start: str = "started_on",
    end: str = "ended_on",
) -> list[models.BaseConstraint]:
    """The database's guard of a dated row: it ends on or after it begins, and (with `open_per`)
    at most one row per those fields is open at a time."""
    constraints: list[models.BaseConstraint] = [
        models.CheckConstraint(
            name=f"{prefix}_in_order",
            condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        )
    ]
    if open_per:
        constraints.append(
            models.UniqueConstraint(
                fields=open_per, condition=Q(**{f"{end}__isnull": True}), name=f"{prefix}_one_open"
            )
        )
    return constraints


class DatedSpanQuerySet(models.QuerySet):
    """Reads of dated rows; the model names its fields by `span_start` / `span_end`."""

    def _fields(self) -> tuple[str, str]:
        return (
            getattr(self.model, "span_start", "started_on"),
            getattr(self.model, "span_end", "ended_on"),
        )

    def on(self, day: dt.date) -> DatedSpanQuerySet:
        """Rows in force on `day`."""
        start, end = self._fields()
        return self.filter(in_force_q(day, start=start, end=end))

    def open(self) -> DatedSpanQuerySet:
        """Rows with no last day yet."""
        return self.filter(**{f"{self._fields()[1]}__isnull": True})


class DatedSpan(models.Model):
    """The two fields of a dated row: in force from `started_on` until `ended_on` (or still)."""

    span_start: ClassVar[str] = "started_on"
    span_end: ClassVar[str] = "ended_on"

    started_on = models.DateField(gettext_lazy("from"))
    ended_on = models.DateField(gettext_lazy("until"), null=True, blank=True)

    class Meta:
        abstract = True

    def in_force_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


_Row = TypeVar("_Row", bound=models.Model)


def close_span(
    row: _Row,
    *,
    day: dt.date,
    already: str | None = None,
    before: str | None = None,
    allow_future: bool = False,
    extra: dict[str, Any] | None = None,
) -> _Row:
    """End a dated row on `day`: the one way such a row ends. Locks the row, refuses a row already
    ended, a day before it began or (unless `allow_future`) after today, and keeps the row as
    history. `extra` are further fields written with the end (a reason, say). Called inside the
    caller's transaction; the caller writes its audit entry. Messages may name the start day as
    `%(day)s`."""
    start = getattr(type(row), "span_start", "started_on")
    end = getattr(type(row), "span_end", "ended_on")
    row = type(row)._default_manager.select_for_update().get(pk=row.pk)
    if getattr(row, end) is not None:
        raise SpanAlreadyEnded(already or _("This has already ended."))
    if not allow_future and day > timezone.localdate():
        raise SpanDateRefused(_("The date cannot be in the future."), field=end)
    started = getattr(row, start)
    if day < started:
        message = before or _("The end cannot come before the start (%(day)s).")
        raise SpanDateRefused(message % {"day": started.isoformat()}, field=end)
    setattr(row, end, day)
    for name, value in (extra or {}).items():
        setattr(row, name, value)
    row.save(update_fields=[end, *(extra or {})])
    return row
