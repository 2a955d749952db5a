"""Which slots of a room are free: the read side of booking, for pages, the API and iCal."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Q
from django.utils import timezone

from venues.models import BookingSpan, Room
from venues.rules import closed_reason, closing_moment
from venues.services import closed_periods, opening_hours

Span = tuple[dt.datetime, dt.datetime]


@dataclass
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str  # "free", "taken" or "past"

    @property
    def is_free(self) -> bool:
        return self.state == "free"


@dataclass
class Day:
    date: dt.date
    opens: dt.time | None
    closes: dt.time | None
    closed_reason: str = ""
    bookable: bool = True
    slots: list[Slot] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.opens is not None and not self.closed_reason

    @property
    def has_free_slot(self) -> bool:
        return self.bookable and any(slot.is_free for slot in self.slots)

    @property
    def is_over(self) -> bool:
        """Open, but every slot has begun: nothing left to book today."""
        return bool(self.slots) and all(slot.state == "past" for slot in self.slots)


def room_days(
    room: Room, first: dt.date, days: int = 7, *, now: dt.datetime | None = None
) -> list[Day]:
    """The room's slots, day by day, in three queries whatever the number of days, slots and
    bookings: the hall's opening hours, its closed dates in the window, the holding spans of
    the room's physical parts in the window (tests/venues/test_availability.py counts them)."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    last = first + dt.timedelta(days=days - 1)
    hours = opening_hours(room.hall_id)
    closed = closed_periods(room.hall_id, first, last)
    window_start = dt.datetime.combine(first, dt.time(), tz)
    window_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz)
    # The physical parts as a subquery: its parts if divided, else the room itself.
    parts = Room.objects.filter(parent_id=room.pk).order_by().values("pk")
    busy = _merged(
        BookingSpan.objects.filter(
            Q(room_id__in=parts) | (Q(room_id=room.pk) & ~Exists(parts)),
            is_holding=True,
            starts_at__lt=window_end,
            ends_at__gt=window_start,
        )
        .order_by()
        .values_list("starts_at", "ends_at")
    )
    busy_ends = [end for _start, end in busy]
    horizon = timezone.localdate(now) + dt.timedelta(days=room.advance_days)
    step = dt.timedelta(minutes=room.slot_minutes)
    result = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        opens, closes = hours.get(day.weekday(), (None, None))
        entry = Day(
            date=day,
            opens=opens,
            closes=closes,
            closed_reason=closed_reason(day, closed),
            bookable=day <= horizon,
        )
        if entry.is_open and opens and closes:
            start = dt.datetime.combine(day, opens, tz)
            # Align the first slot to the slot grid counted from midnight.
            minutes = opens.hour * 60 + opens.minute
            remainder = minutes % room.slot_minutes
            if remainder:
                start += dt.timedelta(minutes=room.slot_minutes - remainder)
            close_at = closing_moment(day, closes, tz)
            while start + step <= close_at:
                end = start + step
                if start < now:
                    state = "past"
                elif _overlaps(busy, busy_ends, start, end):
                    state = "taken"
                else:
                    state = "free"
                entry.slots.append(Slot(starts_at=start, ends_at=end, state=state))
                start = end
        result.append(entry)
    return result


def next_free_day(room: Room, after: dt.date, *, now: dt.datetime | None = None) -> dt.date | None:
    """The first day after `after`, within the room's booking horizon, with a free slot: where a
    person is sent when the day they look at has nothing left. A week is read at a time."""
    now = now or timezone.now()
    horizon = timezone.localdate(now) + dt.timedelta(days=room.advance_days)
    first = after + dt.timedelta(days=1)
    while first <= horizon:
        span = min(7, (horizon - first).days + 1)
        for day in room_days(room, first, span, now=now):
            if day.has_free_slot:
                return day.date
        first += dt.timedelta(days=span)
    return None


def _merged(spans: Iterable[Span]) -> list[Span]:
    """The busy spans sorted and merged into disjoint intervals."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlaps(
    busy: list[Span],
    busy_ends: list[dt.datetime],
    start: dt.datetime,
    end: dt.datetime,
) -> bool:
    """Whether [start, end) meets a busy interval: the first one ending after `start` is the
    only candidate, the intervals being disjoint and sorted (a week holds ~180 slots and, in a
    busy room, as many bookings)."""
    index = bisect_right(busy_ends, start)
    return index < len(busy) and busy[index][0] < end
