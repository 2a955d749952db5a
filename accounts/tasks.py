"""Thin Celery wrappers around the outboxes (accounts/outbox.py) and housekeeping.

Each `deliver_*` task sends one row and is safe to run twice (the outbox claims the row); each
`deliver_pending_*` scan enqueues what the fast path missed or what is due after a backoff.
Transient transport errors are retried by Celery with backoff, at most five times; the row's
`next_attempt_at` lets the scan take over if the retry message is lost too.
"""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.services import EMAIL_OUTBOX, SMS_OUTBOX
from accounts.sms import SmsDeliveryError

# Celery's retries wait as long as the row's next_attempt_at says (accounts.outbox.backoff), so
# the fast path and the periodic scan agree on when a message is due again.
RETRY = {"retry_backoff": 30, "retry_backoff_max": 600, "retry_jitter": False, "max_retries": 5}


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    time_limit=60,
    **RETRY,
)
def deliver_email(email_id: int) -> bool:
    """Send one outbox email; safe to run twice (the outbox claims the row first)."""
    return EMAIL_OUTBOX.deliver(email_id)


@shared_task(time_limit=120)
def deliver_pending_emails() -> int:
    """Periodic scan: enqueue pending emails older than a minute (lost, broker was down) or
    whose backoff is over."""
    return EMAIL_OUTBOX.scan()


@shared_task(time_limit=300)
def clear_expired_sessions() -> int:
    """Drop sessions past their expiry so the table does not grow without end."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(
    autoretry_for=(SmsDeliveryError, ConnectionError, TimeoutError), time_limit=60, **RETRY
)
def deliver_sms(sms_id: int) -> bool:
    """Send one outbox SMS; safe to run twice (the outbox claims the row first)."""
    return SMS_OUTBOX.deliver(sms_id)


@shared_task(time_limit=120)
def deliver_pending_sms() -> int:
    """Periodic scan: blank expired sensitive bodies, then enqueue due SMS."""
    return SMS_OUTBOX.scan()


@shared_task(autoretry_for=(OSError, TimeoutError), time_limit=30, **RETRY)
def deliver_webhook(webhook_id: int) -> bool:
    """Post one robot message; safe to run twice."""
    from accounts.channels import WEBHOOK_OUTBOX

    return WEBHOOK_OUTBOX.deliver(webhook_id)


@shared_task(time_limit=120)
def deliver_pending_webhooks() -> int:
    """Periodic scan: enqueue robot messages left pending for over a minute."""
    from accounts.channels import WEBHOOK_OUTBOX

    return WEBHOOK_OUTBOX.scan()


@shared_task(time_limit=600)
def prune_audit_entries() -> int:
    """Delete audit entries older than `AUDIT_RETENTION_DAYS` (never fewer than 180 days)."""
    from accounts.services import prune_audit_log

    return prune_audit_log()
