"""Celery tasks of the democratic appraisal (thin wrappers over the services)."""

from __future__ import annotations

from celery import shared_task

from appraisal.reminders import remind_voters as remind


@shared_task
def remind_voters() -> int:
    return remind()
