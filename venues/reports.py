"""Utilisation of rooms and halls per month, for the workbench and the quarterly report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from venues.models import (
    Booking,
    BookingKind,
    BookingStatus,
    ClosedPeriod,
    OpeningHours,
    Room,
    ServiceHall,
)
from venues.rules import closing_moment

# Bookings that took the room out of other people's hands (blocks are not use).
COUNTED = [BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW]


def month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month and of the next one."""
    first = first.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


@dataclass
class Usage:
    hours_booked: float = 0.0
    hours_used: float = 0.0
    bookings: int = 0
    no_shows: int = 0
    hours_open: float = 0.0

    def add(self, other: Usage) -> None:
        self.hours_open += other.hours_open
        self.hours_booked += other.hours_booked
        self.hours_used += other.hours_used
        self.bookings += other.bookings
        self.no_shows += other.no_shows

    @property
    def no_show_rate(self) -> float:
        return self.no_shows / self.bookings if self.bookings else 0.0


@dataclass
class HallUsage:
    hall: ServiceHall
    total: Usage = field(default_factory=Usage)
    rooms: list[tuple[Room, Usage]] = field(default_factory=list)


def utilisation(halls: QuerySet[ServiceHall], month: dt.date) -> list[HallUsage]:
    """Per hall and room, for bookings starting in the month (see `utilisation_between`)."""
    return utilisation_between(halls, *month_bounds(month))


def opening_hours_between(
    halls: list[ServiceHall], start: dt.date, end: dt.date
) -> dict[int, float]:
    """Hours each hall was open in [start, end): its weekly hours on every day it was not
    closed. Two queries."""
    weekly: dict[int, dict[int, float]] = {hall.pk: {} for hall in halls}
    for hall_id, weekday, opens_at, closes_at in OpeningHours.objects.filter(
        hall__in=halls
    ).values_list("hall_id", "weekday", "opens_at", "closes_at"):
        span = closing_moment(start, closes_at, None) - dt.datetime.combine(start, opens_at)
        weekly[hall_id][weekday] = span.total_seconds() / 3600
    closed: dict[int, list[tuple[dt.date, dt.date]]] = {hall.pk: [] for hall in halls}
    for hall_id, starts_on, ends_on in ClosedPeriod.objects.filter(
        hall__in=halls, starts_on__lt=end, ends_on__gte=start
    ).values_list("hall_id", "starts_on", "ends_on"):
        closed[hall_id].append((starts_on, ends_on))
    days = [start + dt.timedelta(days=n) for n in range((end - start).days)]
    return {
        hall.pk: sum(
            weekly[hall.pk].get(day.weekday(), 0.0)
            for day in days
            if not any(first <= day <= last for first, last in closed[hall.pk])
        )
        for hall in halls
    }


def utilisation_between(
    halls: QuerySet[ServiceHall], start: dt.date, end: dt.date
) -> list[HallUsage]:
    """Per hall and room: hours booked (confirmed, used or no-show), hours used (checked in),
    bookings, no-shows and hours open, for bookings starting from `start` to before `end`.
    Five queries, whatever the number of bookings."""
    tz = timezone.get_current_timezone()
    halls = list(halls.order_by("name"))
    rooms = list(Room.objects.filter(hall__in=halls).order_by("name"))
    hours_open = opening_hours_between(halls, start, end)
    usage = {room.pk: Usage(hours_open=hours_open[room.hall_id]) for room in rooms}
    rows = (
        Booking.objects.filter(
            room__in=rooms,
            status__in=COUNTED,
            starts_at__gte=dt.datetime.combine(start, dt.time(), tz),
            starts_at__lt=dt.datetime.combine(end, dt.time(), tz),
        )
        .exclude(kind=BookingKind.BLOCK)
        .values_list("room_id", "status", "starts_at", "ends_at")
    )
    for room_id, status, starts_at, ends_at in rows.iterator(chunk_size=2000):
        hours = (ends_at - starts_at).total_seconds() / 3600
        entry = usage[room_id]
        entry.hours_booked += hours
        entry.bookings += 1
        if status == BookingStatus.CHECKED_IN:
            entry.hours_used += hours
        if status == BookingStatus.NO_SHOW:
            entry.no_shows += 1
    result = []
    for hall in halls:
        hall_usage = HallUsage(hall=hall)
        for room in rooms:
            if room.hall_id == hall.pk:
                hall_usage.rooms.append((room, usage[room.pk]))
                hall_usage.total.add(usage[room.pk])
        result.append(hall_usage)
    return result
