from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from accounts.channels import deliver_outgoing_webhook, queue_webhook
from accounts.models import OutgoingEmail, OutgoingWebhook
from activities.models import BranchChannel, MeetingKind
from activities.reminders import remind_upcoming_meetings, warn_missing_meetings
from tests.activities.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_missing_theme_day_is_warned_once_seven_days_before_month_end(branch, secretary):
    today = dt.date(2026, 11, 24)  # 6 days before 30 November
    assert warn_missing_meetings(today=today) >= 1
    first = OutgoingEmail.objects.filter(to=secretary.email).count()
    assert first >= 1
    assert any("主题党日" in e.subject for e in OutgoingEmail.objects.all())
    assert warn_missing_meetings(today=today) == 0
    assert OutgoingEmail.objects.filter(to=secretary.email).count() == first


def test_no_warning_when_the_meeting_was_held_or_the_period_is_young(branch, secretary):
    MeetingFactory(organization=branch, kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 11, 3))
    warn_missing_meetings(today=dt.date(2026, 11, 24))
    assert not any("主题党日" in e.subject for e in OutgoingEmail.objects.all())
    OutgoingEmail.objects.all().delete()
    warn_missing_meetings(today=dt.date(2026, 12, 2))  # a month just begun: nothing is close
    assert not OutgoingEmail.objects.filter(
        to=secretary.email, subject__contains="主题党日"
    ).exists()


def test_meeting_reminders_go_out_once_each(branch, secretary):
    now = timezone.now()
    meeting = MeetingFactory(organization=branch, starts_at=now + dt.timedelta(hours=20))
    assert remind_upcoming_meetings(now=now) == 1
    assert remind_upcoming_meetings(now=now) == 0
    assert remind_upcoming_meetings(now=now + dt.timedelta(hours=19)) == 1  # the 2-hour one
    assert remind_upcoming_meetings(now=now + dt.timedelta(hours=19, minutes=30)) == 0
    assert meeting.reminders.count() == 2


def test_a_meeting_first_seen_an_hour_ahead_gets_one_reminder(branch, secretary):
    now = timezone.now()
    meeting = MeetingFactory(organization=branch, starts_at=now + dt.timedelta(hours=1))
    assert remind_upcoming_meetings(now=now) == 1
    assert remind_upcoming_meetings(now=now) == 0
    assert sorted(meeting.reminders.values_list("hours_before", flat=True)) == [2, 24]


class _Robot(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["Content-Length"])
        _Robot.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def robot():
    server = HTTPServer(("127.0.0.1", 0), _Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Robot.received = []
    yield f"http://127.0.0.1:{server.server_port}/robot/send?key=test"
    server.shutdown()


def test_branch_robot_receives_the_reminder_once(branch, robot):
    BranchChannel.objects.create(organization=branch, kind="wecom", url=robot)
    now = timezone.now()
    MeetingFactory(organization=branch, topic="学习党章", starts_at=now + dt.timedelta(hours=3))
    remind_upcoming_meetings(now=now)
    message = OutgoingWebhook.objects.get()
    assert deliver_outgoing_webhook(webhook_id=message.pk) is True
    assert deliver_outgoing_webhook(webhook_id=message.pk) is False
    assert len(_Robot.received) == 1
    assert _Robot.received[0]["msgtype"] == "text"
    assert "学习党章" in _Robot.received[0]["text"]["content"]


def test_an_unreachable_robot_keeps_the_message_pending():
    message = queue_webhook(url="http://127.0.0.1:1/unreachable", text="测试")
    with pytest.raises(OSError):
        deliver_outgoing_webhook(webhook_id=message.pk)
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1


def test_every_beat_entry_names_a_registered_task():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
