"""Member reminders through a real Celery worker: the scan task claims each reminder once, the
outbox delivers the messages, and a second scan sends nothing more."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from accounts.models import OutgoingEmail, OutgoingSms
from activities.models import MemberReminder
from config.celery import app
from members.binding.services import member_of
from tests.activities.factories import MeetingFactory
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_member_reminders_go_out_once_through_a_worker(member_user, branch):
    member_user.email = "member@example.org"
    member_user.save()
    me = member_of(member_user)
    MeetingFactory(
        organization=branch,
        topic="支部党员大会",
        starts_at=timezone.now() + dt.timedelta(hours=20),
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("activities.tasks.remind_members")
        assert wait_for(lambda: OutgoingEmail.objects.filter(status="sent").count() == 1)
        assert wait_for(lambda: OutgoingSms.objects.filter(to=me.phone, status="sent").count() == 1)
        app.send_task("activities.tasks.remind_members")  # again: nothing new
        time.sleep(2)
    assert MemberReminder.objects.filter(member=me).count() == 1
    assert OutgoingSms.objects.filter(to=me.phone).count() == 1
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
