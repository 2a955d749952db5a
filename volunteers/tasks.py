"""Thin Celery wrappers of the volunteers services."""

from __future__ import annotations

from celery import shared_task

from accounts.jobs import JOB_TASK
from volunteers.services import attendance, certificates


@shared_task(
    name="volunteers.tasks.build_certificate", time_limit=120, soft_time_limit=100, **JOB_TASK
)
def build_certificate(certificate_id: int) -> bool:
    """Build one certificate's DOCX (idempotent: the job is claimed once, `accounts.jobs`)."""
    return certificates.build_certificate_file(certificate_id=certificate_id)


@shared_task(
    name="volunteers.tasks.build_pending_certificates", time_limit=600, soft_time_limit=540
)
def build_pending_certificates() -> int:
    """Periodic scan: hand on the certificates whose enqueued build was lost, whose builder
    died, or whose backoff after a failure is over; returns how many."""
    return certificates.CERTIFICATE_JOBS.scan()


@shared_task(name="volunteers.tasks.mark_no_shows", time_limit=300, soft_time_limit=270)
def mark_no_shows() -> int:
    """Periodic scan: mark no-shows of activities whose sign-out window has closed."""
    marked = 0
    for pk in attendance.activities_due_for_no_show_scan():
        marked += attendance.mark_no_shows(activity_id=pk)
    return marked
