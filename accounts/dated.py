"""Dated rows: a seat, an appointment, a pairing, a registration, a committee position.

Such a row is in force from its first day until its last (or still, with no last day); it is
never deleted, so the state "as of" any past day can be shown; and it ends in one way
(`close_span`). The pieces, used together or alone:

- `DatedSpan`: an abstract model with the two fields `started_on` / `ended_on`. A model whose
  columns are named otherwise (`joined_on` / `left_on`, `registered_on` / `ended_on`) extends
  `DatedRow` instead and names them with `span_start` / `span_end`; everything below reads
  those two names.
- `span_constraints(...)`: the database's guard (ends on or after it begins; at most one open
  row per …), spread into the model's `Meta.constraints`.
- `DatedSpanQuerySet`: `on(day)`, `during(first, last)`, `open()`; mixed into a model's own
  queryset (with `ScopedQuerySet`, say).
- `close_span(row, day=…)`: the one way a row ends, refusing a row already ended, a day before
  it began or after today, with the caller's messages and error classes.

Rows whose last day is exclusive (`OrganizationPeriod`: valid from … until the next period
begins) share only `span_constraints`; their reads stay their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import DomainError

__all__ = [
    "DatedRow",
    "DatedSpan",
    "DatedSpanQuerySet",
    "SpanAlreadyEnded",
    "SpanDateInFuture",
    "SpanDateOutOfOrder",
    "SpanDateRefused",
    "close_span",
    "during_q",
    "in_force_q",
    "span_constraints",
]


class SpanAlreadyEnded(DomainError):
    """The row has already ended; it ends once."""


class SpanDateRefused(DomainError):
    """The end day is before the row began, or in the future."""


class SpanDateInFuture(SpanDateRefused):
    """The end day is after today."""


class SpanDateOutOfOrder(SpanDateRefused):
    """The end day is before the row began."""


def during_q(
    first: dt.date, last: dt.date, *, start: str = "started_on", end: str = "ended_on"
) -> Q:
    """Rows in force on some day from `first` to `last` (both included)."""
    return Q(**{f"{start}__lte": last}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def in_force_q(day: dt.date, *, start: str = "started_on", end: str = "ended_on") -> Q:
    """Rows in force on `day`: begun on or before it, not ended before it."""
    return during_q(day, day, start=start, end=end)


def span_constraints(
    prefix: str,
    *,
    open_per: list[str] | None = None,
    start: str = "started_on",
    end: str = "ended_on",
    in_order_name: str | None = None,
    one_open_name: str | None = None,
) -> list[models.BaseConstraint]:
    """The database's guard of a dated row: it ends on or after it begins
    (`<prefix>_in_order`), and (with `open_per`) at most one row per those fields is open at a
    time (`<prefix>_one_open`). A table whose constraints were named before this helper existed
    passes their names, so nothing changes in the database."""
    constraints: list[models.BaseConstraint] = [
        models.CheckConstraint(
            name=in_order_name or f"{prefix}_in_order",
            condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        )
    ]
    if open_per:
        constraints.append(
            models.UniqueConstraint(
                fields=open_per,
                condition=Q(**{f"{end}__isnull": True}),
                name=one_open_name or f"{prefix}_one_open",
            )
        )
    return constraints


def _span_fields(model: type[models.Model]) -> tuple[str, str]:
    return (getattr(model, "span_start", "started_on"), getattr(model, "span_end", "ended_on"))


class DatedSpanQuerySet(models.QuerySet):
    """Reads of dated rows; the model names its fields by `span_start` / `span_end`."""

    def on(self, day: dt.date) -> DatedSpanQuerySet:
        """Rows in force on `day`."""
        start, end = _span_fields(self.model)
        return self.filter(in_force_q(day, start=start, end=end))

    def during(self, first: dt.date, last: dt.date) -> DatedSpanQuerySet:
        """Rows in force on some day from `first` to `last` (both included)."""
        start, end = _span_fields(self.model)
        return self.filter(during_q(first, last, start=start, end=end))

    def open(self) -> DatedSpanQuerySet:
        """Rows with no last day yet."""
        return self.filter(**{f"{_span_fields(self.model)[1]}__isnull": True})


class DatedRow(models.Model):
    """A dated row whose two date fields the model declares itself and names with
    `span_start` / `span_end` (kept as they were when the table predates this module)."""

    span_start: ClassVar[str] = "started_on"
    span_end: ClassVar[str] = "ended_on"

    class Meta:
        abstract = True

    def in_force_on(self, day: dt.date) -> bool:
        ended = getattr(self, self.span_end)
        return getattr(self, self.span_start) <= day and (ended is None or ended >= day)

    @property
    def is_open(self) -> bool:
        """No last day yet."""
        return getattr(self, self.span_end) is None


class DatedSpan(DatedRow):
    """The two fields of a dated row: in force from `started_on` until `ended_on` (or still)."""

    started_on = models.DateField(gettext_lazy("from"))
    ended_on = models.DateField(gettext_lazy("until"), null=True, blank=True)

    class Meta:
        abstract = True


_Row = TypeVar("_Row", bound=models.Model)
_Error = TypeVar("_Error", bound=DomainError)


def _error_class(kind: type[_Error], errors: Iterable[type[DomainError]]) -> type[DomainError]:
    """The caller's class for a refusal of `kind`: the first of `errors` that is a `kind`, else
    the first that is one of its bases below `DomainError` (`SpanDateRefused` covers both date
    refusals), else `kind` itself."""
    errors = tuple(errors)
    for base in kind.__mro__:
        if base is DomainError:
            break
        for error in errors:
            if issubclass(error, base):
                return error
    return kind


def close_span(
    row: _Row,
    *,
    day: dt.date,
    already: str | None = None,
    before: str | None = None,
    future: str | None = None,
    allow_future: bool = False,
    extra: dict[str, Any] | None = None,
    errors: Iterable[type[DomainError]] = (),
) -> _Row:
    """End a dated row on `day`: the one way such a row ends.

    Locks the row, refuses a row already ended (`already`), a day after today (`future`, unless
    `allow_future`) or before it began (`before`, which may name the start day as `%(day)s`),
    and keeps the row as history. `extra` are further fields written with the end (a reason,
    say). A refusal raises `SpanAlreadyEnded`, `SpanDateInFuture` or `SpanDateOutOfOrder`, or the
    caller's subclass of it given in `errors` (so an app's own error classes, and what its views
    and API make of them, stay as they were); its `field` is the end field. Called inside the
    caller's transaction; the caller writes its audit entry.
    """
    start, end = _span_fields(type(row))
    row = type(row)._default_manager.select_for_update().get(pk=row.pk)
    if getattr(row, end) is not None:
        raise _error_class(SpanAlreadyEnded, errors)(already or _("This has already ended."))
    if not allow_future and day > timezone.localdate():
        raise _error_class(SpanDateInFuture, errors)(
            future or _("The date cannot be in the future."), field=end
        )
    started = getattr(row, start)
    if day < started:
        message = before or _("The end cannot come before the start (%(day)s).")
        raise _error_class(SpanDateOutOfOrder, errors)(
            message % {"day": started.isoformat()}, field=end
        )
    setattr(row, end, day)
    for name, value in (extra or {}).items():
        setattr(row, name, value)
    row.save(update_fields=[end, *(extra or {})])
    return row
