"""Thin Celery wrappers of the dues services (beat: billing daily, reminders daily)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dues.services.billing import bill_month
from dues.services.reminders import send_dues_reminders


@shared_task(time_limit=900)
def bill_dues() -> int:
    """Bill the current month for every member on the roll of its first day. Beat runs it each
    night: the first run of a month makes the bills, later runs add what was missing (a base
    declared since) and re-price unpaid bills; a second run the same day changes nothing."""
    created, _repriced = bill_month(timezone.localdate().replace(day=1))
    return created


@shared_task(time_limit=300)
def remind_dues() -> int:
    """Daily scan: remind members of the month's bill on the sub-district's reminder day, and
    members three months unpaid (and their secretaries); each reminder once."""
    return send_dues_reminders()
