"""The email server is down: reminders wait with backoff and go out exactly once when it is back.

A real SMTP server of the test's own (tests/integration/conftest.py SmtpSink) refuses
connections at first, then comes up; a real worker runs the reminder scan and the outbox.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from accounts.models import OutgoingEmail
from accounts.services import EMAIL_OUTBOX
from config.celery import app
from tests.activities.factories import MeetingFactory
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_reminder_waits_out_an_email_outage_and_is_sent_once(
    own_redis, smtp_sink, settings, branch, secretary
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        smtp_sink.port,
        2,
    )
    MeetingFactory(
        organization=branch, topic="换届选举大会", starts_at=timezone.now() + dt.timedelta(hours=1)
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("activities.tasks.remind_upcoming_meetings")
        assert wait_for(
            lambda: OutgoingEmail.objects.filter(to=secretary.email, attempts__gte=1).exists()
        )
        email = OutgoingEmail.objects.get(to=secretary.email)
        assert email.status == OutgoingEmail.Status.PENDING
        assert "ConnectionRefused" in email.last_error
        assert email.next_attempt_at >= email.created_at + dt.timedelta(seconds=29)
        # Queued minutes ago: only the backoff keeps the scan away from it now.
        OutgoingEmail.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
        assert EMAIL_OUTBOX.due() == []

        smtp_sink.start()
        OutgoingEmail.objects.update(next_attempt_at=timezone.now())  # the backoff has run out
        for _ in range(2):  # a scan running twice (or a late Celery retry) sends nothing twice
            app.send_task("accounts.tasks.deliver_pending_emails")
            app.send_task("activities.tasks.remind_upcoming_meetings")
        assert wait_for(
            lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
        )
        time.sleep(2)

    assert smtp_sink.received_by(secretary.email) == 1
    assert OutgoingEmail.objects.filter(to=secretary.email).count() == 1
