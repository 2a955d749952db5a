"""Celery tasks of the members app: thin wrappers that call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from members import transfers


@shared_task(time_limit=120, soft_time_limit=100)
def expire_transfers() -> int:
    """Periodic scan: letters past their validity become expired (pocket members)."""
    return transfers.expire_transfers()


@shared_task(time_limit=300, soft_time_limit=270)
def remind_development_deadlines() -> int:
    """Daily scan: remind secretaries of joining-pipeline items due soon or overdue, once each."""
    from members.joining import send_development_reminders

    return send_development_reminders()
