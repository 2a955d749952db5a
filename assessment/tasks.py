"""Thin Celery wrappers of the inspection and ranking services (beat: the rectification scan,
the redo of the ranking notices)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from assessment.services.inspections import (
    due_reminders,
    escalate_rectification,
    overdue,
    remind_rectification,
)
from assessment.services.targets import notify_ranking as notify_ranking_service
from assessment.services.targets import unnotified_rankings


@shared_task(time_limit=300)
def scan_rectifications() -> tuple[int, int]:
    """Remind owners of rectifications coming due and escalate those left open past their
    deadline. Each row is claimed by a conditional update, so a second scan (or two workers)
    sends nothing twice. Returns (reminded, escalated)."""
    today = timezone.localdate()
    reminded = sum(1 for pk in due_reminders(today) if remind_rectification(pk))
    escalated = sum(1 for pk in overdue(today) if escalate_rectification(pk))
    return reminded, escalated


@shared_task(time_limit=300)
def notify_ranking(pk: int) -> bool:
    """Tell the secretaries that a week's ranking is published (once per publication)."""
    return notify_ranking_service(pk)


@shared_task(time_limit=300)
def notify_published_rankings() -> int:
    """The redo of `notify_ranking` for publications whose message was lost with the broker;
    each week is claimed by a conditional update, so nobody is told twice."""
    return sum(1 for pk in unnotified_rankings() if notify_ranking_service(pk))
