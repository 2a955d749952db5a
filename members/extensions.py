"""Where apps above `members` add to its pages and figures without `members` importing them.

`members` sits below `activities` and `volunteers` (docs/architecture.md), yet the member's
timeline shows meetings attended and volunteer service, and an in-service member's quarterly
quota counts credited volunteer service. The code that reads those apps lives in them
(`activities/timeline.py`, `volunteers/timeline.py`, `volunteers/inservice.py`) and registers here
from its app's `ready()`; `members` only calls what is registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from config.periods import Period
    from members.models import Member, Transfer
    from members.timeline import Event

# (position, source): `timeline_for` calls the sources by position, so events of the same day keep
# one order (meetings 30, community registrations and services 40, volunteer service 50).
TimelineSource = Callable[["Member", int], "list[Event]"]
_timeline_sources: list[tuple[int, TimelineSource]] = []


def add_timeline_source(position: int, source: TimelineSource) -> None:
    if all(existing is not source for _, existing in _timeline_sources):
        _timeline_sources.append((position, source))
        _timeline_sources.sort(key=lambda pair: pair[0])


def timeline_sources() -> list[tuple[int, TimelineSource]]:
    return list(_timeline_sources)


@dataclass(frozen=True)
class VolunteerCredit:
    """Credited volunteer service, as the quarterly quota counts it.

    `per_member(period)`: a values queryset of one member's services in `period`, filtered on
    `OuterRef("member_id")` (a subquery for `with_progress`); `for_member(member, start, end)`:
    the rows themselves, each with `credit_minutes` and `honour_minutes`.
    """

    per_member: Callable[[Period], QuerySet[Any]]
    for_member: Callable[[Member, dt.date, dt.date], QuerySet[Any]]


_volunteer_credit: list[VolunteerCredit] = []


def set_volunteer_credit(credit: VolunteerCredit) -> None:
    _volunteer_credit[:] = [credit]


def volunteer_credit() -> VolunteerCredit:
    if not _volunteer_credit:
        raise ImproperlyConfigured("The volunteers app registers the volunteer credit on ready().")
    return _volunteer_credit[0]


# Checks an app above `members` makes before a member is sent out by a transfer (dues: no unpaid
# months unless the sub-district recorded an exception). A check returns the refusal's message,
# or None; `issue_transfer` calls every one inside its transaction, after locking the member.
TransferCheck = Callable[["Member", dt.date], "str | None"]
_transfer_checks: list[TransferCheck] = []


def add_transfer_check(check: TransferCheck) -> None:
    if all(existing is not check for existing in _transfer_checks):
        _transfer_checks.append(check)


def transfer_checks() -> list[TransferCheck]:
    return list(_transfer_checks)


# Lines an app above adds to a transfer letter (dues: 党费交至 YYYY年MM月): (label, text) pairs.
LetterLines = Callable[["Transfer"], "list[tuple[str, str]]"]
_letter_lines: list[LetterLines] = []


def add_transfer_letter_lines(source: LetterLines) -> None:
    if all(existing is not source for existing in _letter_lines):
        _letter_lines.append(source)


def transfer_letter_lines(transfer: Transfer) -> list[tuple[str, str]]:
    return [line for source in _letter_lines for line in source(transfer)]


# Apps above `members` whose figures are derived from members' records (member points) learn that
# records changed through this hook: a service that writes a member's record (attendance, make-up
# study, volunteer credit, a reviewed community service, a fulfilled wish, a good deed) calls
# `records_changed` inside its transaction; each listener enqueues its recomputation after commit.
RecordsListener = Callable[[frozenset[int], frozenset[dt.date]], None]
_records_listeners: list[RecordsListener] = []


def add_records_listener(listener: RecordsListener) -> None:
    if all(existing is not listener for existing in _records_listeners):
        _records_listeners.append(listener)


def records_changed(*, member_ids: Any, days: Any) -> None:
    """Tell the listeners that these members' records on these days changed (ids and days of the
    rows before and after the change, so a moved or removed record is recomputed too)."""
    ids = frozenset(int(pk) for pk in member_ids if pk is not None)
    dates = frozenset(day for day in days if day is not None)
    if not ids or not dates:
        return
    for listener in list(_records_listeners):
        listener(ids, dates)
