from __future__ import annotations

from celery import shared_task

from committees.services.reminders import send_term_reminders


@shared_task(time_limit=300)
def remind_ending_terms() -> int:
    """Daily scan: remind secretaries and staff of terms ending in 90 and 30 days (once each)."""
    return send_term_reminders()
