"""Tasks run through a real Celery worker and the configured broker (Redis in CI)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from accounts.models import OutgoingEmail
from accounts.services import queue_email
from config.celery import app
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_queued_email_is_delivered_by_a_real_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            email = queue_email(to="secretary@example.org", subject="换届提醒", body="正文")
        assert wait_for(
            lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
        )
    assert [m.subject for m in mail.outbox] == ["换届提醒"]


def test_the_periodic_scan_picks_up_an_email_whose_message_was_lost():
    # Saved outside any enqueue, as if the broker had been down when it was queued.
    email = OutgoingEmail.objects.create(to="a@example.org", subject="补发", body="正文")
    OutgoingEmail.objects.filter(pk=email.pk).update(
        created_at=email.created_at - __import__("datetime").timedelta(minutes=5)
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("accounts.tasks.deliver_pending_emails")
        assert wait_for(
            lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
        )
