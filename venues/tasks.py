"""Thin Celery wrappers around the venues services; periodic scans find the due work.

Each task is safe to run twice: the service claims its row with a conditional update.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from venues import services
from venues.models import Booking, BookingStatus


@shared_task(time_limit=60)
def send_booking_reminder(booking_id: int) -> bool:
    return services.send_reminder(booking_id=booking_id)


@shared_task(time_limit=240)
def send_booking_reminders() -> int:
    """Beat, every few minutes: remind every booking inside its reminder window, once."""
    sent = 0
    for booking_id in services.due_for_reminder(timezone.now()):
        sent += services.send_reminder(booking_id=booking_id)
    return sent


@shared_task(time_limit=240)
def release_no_shows() -> int:
    """Beat: release confirmed bookings nobody checked in for (policy's no-show minutes)."""
    released = 0
    for booking_id in services.due_no_shows(timezone.now()):
        released += services.release_no_show(booking_id=booking_id)
    return released


@shared_task(time_limit=240)
def expire_waitlist_offers() -> int:
    """Beat: pass held waiting-list slots nobody confirmed in time to the next in line."""
    expired = 0
    ids = Booking.objects.filter(
        status=BookingStatus.HELD, hold_expires_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:500]
    for booking_id in list(ids):
        expired += services.expire_offer(booking_id=booking_id)
    return expired
