from __future__ import annotations

from celery import shared_task

from grids.services import escalate_overdue_disputes


@shared_task(name="grids.tasks.escalate_disputes", time_limit=300)
def escalate_disputes() -> int:
    """Daily scan: escalate to the sub-district the disputes unresolved past the settings' days
    (each once: the update claims rows whose `escalated_at` is still empty)."""
    return escalate_overdue_disputes()
