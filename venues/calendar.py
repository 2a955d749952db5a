"""iCalendar (RFC 5545) feed of a room's busy times, written with the `icalendar` package."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from venues.models import HOLDING_STATUSES, Booking, BookingKind, Room


def room_calendar(room: Room, *, days_back: int = 30, days_ahead: int = 180) -> bytes:
    """Busy blocks of the room (and of the whole/part rooms sharing its floor)."""
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//dangjian-portal//venues//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{room.hall.name} · {room.name}")
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    bookings = (
        Booking.objects.filter(
            room_id__in=Room.objects.family_ids(room),
            status__in=HOLDING_STATUSES,
            ends_at__gt=now - dt.timedelta(days=days_back),
            starts_at__lt=now + dt.timedelta(days=days_ahead),
        )
        .only("pk", "kind", "starts_at", "ends_at", "updated_at")
        .order_by("starts_at")
    )
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@venues.dangjian-portal")
        event.add("dtstamp", booking.updated_at)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        summary = _("Closed") if booking.kind == BookingKind.BLOCK else _("Booked")
        event.add("summary", str(summary))
        event.add("location", f"{room.hall.name} {room.hall.address}")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
