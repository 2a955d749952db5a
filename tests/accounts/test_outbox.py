from __future__ import annotations

import smtplib
from contextlib import contextmanager

import kombu.pools
import pytest
from django.core import mail

from accounts.models import OutgoingEmail
from accounts.services import deliver_outgoing_email, queue_email

pytestmark = pytest.mark.django_db


def test_an_email_is_sent_once_even_if_delivered_twice():
    email = queue_email(to="a@example.org", subject="通知", body="正文")
    assert deliver_outgoing_email(email_id=email.pk) is True
    assert deliver_outgoing_email(email_id=email.pk) is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None


def test_a_transport_error_is_recorded_and_the_email_stays_pending(settings):
    settings.EMAIL_BACKEND = "tests.accounts.backends.UnreachableSMTPBackend"
    email = queue_email(to="a@example.org", subject="通知", body="正文")
    with pytest.raises(smtplib.SMTPConnectError):
        deliver_outgoing_email(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1
    assert "SMTPConnectError" in email.last_error
    assert email.claimed_at is None


def test_an_email_fails_for_good_after_five_attempts(settings):
    settings.EMAIL_BACKEND = "tests.accounts.backends.UnreachableSMTPBackend"
    email = queue_email(to="a@example.org", subject="通知", body="正文")
    for _ in range(5):
        with pytest.raises(smtplib.SMTPConnectError):
            deliver_outgoing_email(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert deliver_outgoing_email(email_id=email.pk) is False


@contextmanager
def unreachable_broker():
    """Point the Celery app at a port nothing listens on, with fresh connection pools."""
    from config.celery import app

    def reset_pools():
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    reset_pools()
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url = original


def test_queueing_with_the_broker_down_still_saves_the_email(django_capture_on_commit_callbacks):
    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue_email(to="a@example.org", subject="通知", body="正文")
    assert len(callbacks) == 1
    assert OutgoingEmail.objects.filter(pk=email.pk, status="pending").exists()
