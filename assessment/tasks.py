"""Thin Celery wrappers of the inspection services (beat: the rectification scan)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from assessment.services.inspections import (
    due_reminders,
    escalate_rectification,
    overdue,
    remind_rectification,
)


@shared_task(time_limit=300)
def scan_rectifications() -> tuple[int, int]:
    """Remind owners of rectifications coming due and escalate those left open past their
    deadline. Each row is claimed by a conditional update, so a second scan (or two workers)
    sends nothing twice. Returns (reminded, escalated)."""
    today = timezone.localdate()
    reminded = sum(1 for pk in due_reminders(today) if remind_rectification(pk))
    escalated = sum(1 for pk in overdue(today) if escalate_rectification(pk))
    return reminded, escalated
