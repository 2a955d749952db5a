"""Thin Celery wrappers around `reports.services`."""

from __future__ import annotations

from celery import shared_task

from accounts.jobs import JOB_TASK
from reports import services


@shared_task(name="reports.tasks.build_export", time_limit=1800, soft_time_limit=1700, **JOB_TASK)
def build_export_task(job_id: int) -> bool:
    """Build one export job. Acknowledged only when done: a killed worker's message is
    delivered again, and the job's own claim makes a duplicate delivery a no-op."""
    return services.build_export(job_id) is not None


@shared_task(name="reports.tasks.schedule_quarterly_reports", time_limit=600)
def schedule_quarterly_reports() -> int:
    return len(services.schedule_quarter())


@shared_task(name="reports.tasks.resume_stalled_exports", time_limit=300)
def resume_stalled_exports() -> int:
    return services.resume_stalled()


@shared_task(name="reports.tasks.remove_expired_exports", time_limit=600)
def remove_expired_exports() -> int:
    return services.remove_expired()
