"""Periodic work of the community app (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task

from community.contests.services import finish_overdue


@shared_task(name="community.tasks.score_expired_attempts", time_limit=300, soft_time_limit=240)
def score_expired_attempts() -> int:
    """Every few minutes: score the contest attempts whose time ran out unsubmitted, so
    rankings and figures are right without anyone opening a page. Safe to run twice: each
    attempt is claimed by the conditional update on `submitted_at IS NULL`."""
    return finish_overdue()
