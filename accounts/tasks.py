from __future__ import annotations

import smtplib
from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import OutgoingEmail
from accounts.services import deliver_outgoing_email


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    time_limit=60,
)
def deliver_email(email_id: int) -> bool:
    """Send one outbox email; safe to run twice (the service claims the row first)."""
    return deliver_outgoing_email(email_id=email_id)


@shared_task(time_limit=120)
def deliver_pending_emails() -> int:
    """Periodic scan: enqueue every pending email older than a minute (lost or broker was down)."""
    cutoff = timezone.now() - timedelta(minutes=1)
    ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for email_id in ids:
        deliver_email.delay(email_id)
    return len(ids)


@shared_task(time_limit=300)
def clear_expired_sessions() -> int:
    """Drop sessions past their expiry so the table does not grow without end."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
