from __future__ import annotations

import smtplib
from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import OutgoingEmail, OutgoingSms
from accounts.services import REDACTED, deliver_outgoing_email, deliver_outgoing_sms
from accounts.sms import SmsDeliveryError


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


@shared_task(
    autoretry_for=(SmsDeliveryError, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    time_limit=60,
)
def deliver_sms(sms_id: int) -> bool:
    """Send one outbox SMS; safe to run twice (the service claims the row first)."""
    return deliver_outgoing_sms(sms_id=sms_id)


@shared_task(time_limit=120)
def deliver_pending_sms() -> int:
    """Periodic scan: enqueue pending SMS older than a minute; blank expired sensitive bodies."""
    now = timezone.now()
    OutgoingSms.objects.filter(sensitive=True, expires_at__lt=now).exclude(body=REDACTED).update(
        body=REDACTED
    )
    OutgoingSms.objects.filter(status=OutgoingSms.Status.PENDING, expires_at__lt=now).update(
        status=OutgoingSms.Status.FAILED, last_error="expired before it could be sent"
    )
    ids = list(
        OutgoingSms.objects.filter(
            status=OutgoingSms.Status.PENDING, created_at__lt=now - timedelta(minutes=1)
        ).values_list("pk", flat=True)[:500]
    )
    for sms_id in ids:
        deliver_sms.delay(sms_id)
    return len(ids)


@shared_task(
    autoretry_for=(OSError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    time_limit=30,
)
def deliver_webhook(webhook_id: int) -> bool:
    """Post one robot message; safe to run twice."""
    from accounts.channels import deliver_outgoing_webhook

    return deliver_outgoing_webhook(webhook_id=webhook_id)


@shared_task(time_limit=120)
def deliver_pending_webhooks() -> int:
    """Periodic scan: enqueue robot messages left pending for over a minute."""
    from accounts.models import OutgoingWebhook

    cutoff = timezone.now() - timedelta(minutes=1)
    ids = list(
        OutgoingWebhook.objects.filter(
            status=OutgoingWebhook.Status.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for webhook_id in ids:
        deliver_webhook.delay(webhook_id)
    return len(ids)
