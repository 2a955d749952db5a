"""Which slots of a room are free: the read side of booking, for pages, the API and iCal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from venues.models import BookingSpan, Room
from venues.rules import closed_reason
from venues.services import closed_periods, opening_hours, physical_parts


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


def room_days(
    room: Room, first: dt.date, days: int = 7, *, now: dt.datetime | None = None
) -> list[Day]:
    """The room's slots, day by day, in four queries whatever the number of bookings."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    last = first + dt.timedelta(days=days - 1)
    hours = opening_hours(room.hall_id)
    closed = closed_periods(room.hall_id, first, last)
    window_start = dt.datetime.combine(first, dt.time(), tz)
    window_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz)
    busy = list(
        BookingSpan.objects.filter(
            room_id__in=physical_parts(room),
            is_holding=True,
            starts_at__lt=window_end,
            ends_at__gt=window_start,
        ).values_list("starts_at", "ends_at")
    )
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
            close_at = dt.datetime.combine(day, closes, tz)
            while start + step <= close_at:
                end = start + step
                if start < now:
                    state = "past"
                elif any(b_start < end and b_end > start for b_start, b_end in busy):
                    state = "taken"
                else:
                    state = "free"
                entry.slots.append(Slot(starts_at=start, ends_at=end, state=state))
                start = end
        result.append(entry)
    return result
