"""Thin Celery wrappers of the volunteers services."""

from __future__ import annotations

from celery import shared_task

from volunteers.services import attendance, certificates


@shared_task(name="volunteers.tasks.build_certificate", time_limit=120, soft_time_limit=100)
def build_certificate(certificate_id: int) -> bool:
    """Build one certificate's DOCX (idempotent: claimed with a conditional update)."""
    return certificates.build_certificate_file(certificate_id=certificate_id)


@shared_task(
    name="volunteers.tasks.build_pending_certificates", time_limit=600, soft_time_limit=540
)
def build_pending_certificates() -> int:
    """Periodic scan: build the certificates whose enqueued build was lost."""
    built = 0
    for pk in certificates.pending_certificates():
        built += certificates.build_certificate_file(certificate_id=pk)
    return built


@shared_task(name="volunteers.tasks.mark_no_shows", time_limit=300, soft_time_limit=270)
def mark_no_shows() -> int:
    """Periodic scan: mark no-shows of activities whose sign-out window has closed."""
    marked = 0
    for pk in attendance.activities_due_for_no_show_scan():
        marked += attendance.mark_no_shows(activity_id=pk)
    return marked
