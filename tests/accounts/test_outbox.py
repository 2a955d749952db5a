from __future__ import annotations

import smtplib
from contextlib import contextmanager

import kombu.pools
import pytest
from django.core import mail

from accounts.models import OutgoingEmail
from accounts.services import deliver_outgoing_email, queue_email

# Django's clock held at today 10:00 Asia/Shanghai (tests/conftest.py), issue 14.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


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

    # Settings come in under the CELERY_ namespace, and that key wins over `broker_url`.
    original = app.conf.CELERY_BROKER_URL
    reset_pools()
    app.conf.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    assert app.connection_for_write().as_uri() == "redis://127.0.0.1:1/0"
    try:
        yield
    finally:
        reset_pools()
        app.conf.CELERY_BROKER_URL = original


def test_queueing_with_the_broker_down_still_saves_the_email(django_capture_on_commit_callbacks):
    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue_email(to="a@example.org", subject="通知", body="正文")
    assert len(callbacks) == 1
    assert OutgoingEmail.objects.filter(pk=email.pk, status="pending").exists()


def test_a_failed_attempt_pushes_the_next_attempt_back_exponentially(settings):
    from accounts.outbox import backoff

    settings.EMAIL_BACKEND = "tests.accounts.backends.UnreachableSMTPBackend"
    email = queue_email(to="a@example.org", subject="通知", body="正文")
    delays = []
    for _ in range(3):
        with pytest.raises(smtplib.SMTPConnectError):
            deliver_outgoing_email(email_id=email.pk)
        email.refresh_from_db()
        delays.append(email.next_attempt_at)
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 5, 6)] == [30, 60, 120, 240, 480, 600]
    assert delays[0] < delays[1] < delays[2]


def test_the_scan_waits_for_the_backoff():
    import datetime as dt

    from django.utils import timezone

    from accounts.services import EMAIL_OUTBOX

    now = timezone.now()
    due = OutgoingEmail.objects.create(to="a@example.org", subject="到期", body="正文")
    waiting = OutgoingEmail.objects.create(
        to="b@example.org",
        subject="退避",
        body="正文",
        next_attempt_at=now + dt.timedelta(minutes=1),
    )
    fresh = OutgoingEmail.objects.create(to="d@example.org", subject="刚排队", body="正文")
    OutgoingEmail.objects.exclude(pk=fresh.pk).update(created_at=now - dt.timedelta(minutes=5))
    assert EMAIL_OUTBOX.due(now) == [due.pk]
    later = now + dt.timedelta(minutes=2)
    assert sorted(EMAIL_OUTBOX.due(later)) == sorted([due.pk, waiting.pk, fresh.pk])


@pytest.mark.django_db(transaction=True)
def test_a_row_being_sent_is_skipped_not_waited_for_and_sent_once():
    """While one worker holds the row (mid-send), another moves on at once."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    email = OutgoingEmail.objects.create(to="a@example.org", subject="通知", body="正文")
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        with transaction.atomic():
            OutgoingEmail.objects.select_for_update().get(pk=email.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert locked.wait(10)
    try:
        assert deliver_outgoing_email(email_id=email.pk) is False
    finally:
        release.set()
        holder.join()
    assert deliver_outgoing_email(email_id=email.pk) is True
    assert deliver_outgoing_email(email_id=email.pk) is False
    assert len(mail.outbox) == 1
