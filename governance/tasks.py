"""Thin Celery wrappers over the ledger's services (beat scans)."""

from __future__ import annotations

from celery import shared_task

from governance.services import opinions


@shared_task(name="governance.tasks.warn_due_opinions", time_limit=300)
def warn_due_opinions() -> dict[str, int]:
    return opinions.warn_due_opinions()


@shared_task(name="governance.tasks.close_unrated_opinions", time_limit=300)
def close_unrated_opinions() -> int:
    return opinions.close_unrated_opinions()
