"""Celery tasks of the members app: thin wrappers that call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from accounts.jobs import JOB_TASK
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


@shared_task(time_limit=1800, soft_time_limit=1700)
def build_feedback_letters(
    year: int | None = None, quarter: int | None = None, sub_district_id: int | None = None
) -> int:
    """Quarter end (beat, first day of a quarter) or on demand: build the feedback letters of a
    quarter (the one just ended by default). Idempotent per (member, year, quarter)."""
    from members.inservice import letters

    if year is None or quarter is None:
        period = letters.previous_quarter()
        year, quarter = period.start.year, (period.start.month - 1) // 3 + 1
    return letters.build_feedback_letters(
        year=year, quarter_number=quarter, sub_district_id=sub_district_id
    )


@shared_task(name="members.tasks.run_import_job", time_limit=900, soft_time_limit=870, **JOB_TASK)
def run_import_job_task(job_id: int) -> bool:
    """Check and write one large import. Acknowledged only when done: a killed worker's message
    is delivered again, and the job's claim makes a duplicate delivery a no-op."""
    from members import importjobs

    return importjobs.run_import_job(job_id) is not None


@shared_task(name="members.tasks.resume_stalled_imports", time_limit=300)
def resume_stalled_imports() -> int:
    """Periodic scan: imports queued while the broker was down, or whose worker died."""
    from members import importjobs

    return importjobs.resume_stalled_imports()
