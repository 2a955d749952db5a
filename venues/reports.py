"""Utilisation of rooms and halls per month, for the workbench and the quarterly report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from venues.models import Booking, BookingKind, BookingStatus, Room, ServiceHall

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

    def add(self, other: Usage) -> None:
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
    """Per hall and room: hours booked (confirmed, used or no-show), hours used (checked in),
    bookings and no-shows, for bookings starting in the month. Three queries."""
    start, end = month_bounds(month)
    tz = timezone.get_current_timezone()
    halls = list(halls.order_by("name"))
    rooms = list(Room.objects.filter(hall__in=halls).order_by("name"))
    usage = {room.pk: Usage() for room in rooms}
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
    for room_id, status, starts_at, ends_at in rows:
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
