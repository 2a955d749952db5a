"""Redis down: requests still succeed quickly, and their notifications go out once it is back.

A Redis of the test's own (tests/integration/conftest.py) is killed while a resident books a room
and a secretary plans and records meetings through the API; then it is started again (empty, as
after a crash without persistence) and a real worker runs the periodic scans.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from accounts import sms
from accounts.models import OutgoingEmail, OutgoingSms
from config.celery import app, broker_outage
from tests.activities.factories import MeetingFactory
from tests.activities.factories import at as meeting_at
from tests.integration.conftest import reset_broker_pools, wait_for
from tests.members.factories import MemberFactory
from tests.venues.conftest import at
from tests.venues.factories import RoomFactory, ServiceHallFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def test_requests_succeed_with_redis_down_and_notifications_follow_once(
    own_redis, clients, sub_district, branch, secretary, resident
):
    room = RoomFactory(hall=ServiceHallFactory(sub_district=sub_district), capacity=30)
    members = [MemberFactory(organization=branch) for _ in range(3)]
    held = MeetingFactory(
        organization=branch, kind="general_meeting", starts_at=meeting_at(dt.date(2026, 11, 2))
    )
    # Warm up (imports, URL resolver, translations) so the timings below are the requests'.
    assert clients["resident"].get(f"/api/v1/rooms/{room.pk}/").status_code == 200
    assert clients["secretary"].get("/api/v1/meetings/").status_code == 200
    own_redis.kill()
    limit = settings.CELERY_BROKER_CONNECTION_TIMEOUT  # the issue asks for 2 s at most

    booking, booking_s = timed(
        lambda: clients["resident"].post(
            "/api/v1/bookings/",
            {
                "room": room.pk,
                "starts_at": at(1, 9).isoformat(),
                "ends_at": at(1, 10).isoformat(),
                "attendees": 5,
                "purpose": "读书会",
            },
            content_type="application/json",
        )
    )
    assert booking.status_code == 201, booking.content
    planned, planned_s = timed(
        lambda: clients["secretary"].post(
            "/api/v1/meetings/",
            {
                "organization": branch.pk,
                "kind": "theme_day",
                "topic": "停机演练主题党日",
                "starts_at": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat(),
            },
            content_type="application/json",
        )
    )
    assert planned.status_code == 201, planned.content
    recorded, recorded_s = timed(
        lambda: clients["secretary"].post(
            f"/api/v1/meetings/{held.pk}/record/",
            {"attendance": [{"member": m.pk, "status": "present"} for m in members]},
            content_type="application/json",
        )
    )
    assert recorded.status_code == 200, recorded.content
    assert max(booking_s, planned_s, recorded_s) < limit, (booking_s, planned_s, recorded_s)

    # The booking's confirmation waits in the outbox; nothing was sent.
    assert OutgoingSms.objects.filter(to=resident.phone, status="pending").count() == 1
    assert OutgoingEmail.objects.filter(to=resident.email, status="pending").count() == 1
    assert sms.outbox == [] and mail.outbox == []

    own_redis.start()
    reset_broker_pools()
    broker_outage.reset()  # the web process would retry after CELERY_PUBLISH_SKIP_SECONDS
    # Past the scan's grace period, as if a few minutes had gone by.
    for model in (OutgoingEmail, OutgoingSms):
        model.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        for _ in range(2):  # beat may well run each scan twice before the work is done
            for scan in (
                "accounts.tasks.deliver_pending_emails",
                "accounts.tasks.deliver_pending_sms",
                "activities.tasks.remind_upcoming_meetings",
            ):
                app.send_task(scan)
        assert wait_for(
            lambda: OutgoingEmail.objects.filter(to=secretary.email).exists()
            and not OutgoingEmail.objects.exclude(status="sent").exists()
            and not OutgoingSms.objects.exclude(status="sent").exists()
        )
        time.sleep(1)  # let any duplicate that was going to happen happen

    to_resident = [m for m in mail.outbox if m.to == [resident.email]]
    assert len(to_resident) == 1
    assert [m.to for m in sms.outbox].count(resident.phone) == 1
    reminders = [m for m in mail.outbox if "停机演练主题党日" in m.body + m.subject]
    assert len(reminders) == 1 and reminders[0].to == [secretary.email]
    assert OutgoingEmail.objects.count() == len(mail.outbox)


def test_a_report_requested_with_redis_down_is_built_once_it_is_back(
    own_redis, clients, sub_district, branch, staff, settings, tmp_path
):
    from reports.models import ExportJob

    settings.MEDIA_ROOT = tmp_path
    url = "/staff/reports/new/"
    assert clients["staff"].get(url).status_code == 200  # warm up
    own_redis.kill()
    response, seconds = timed(
        lambda: clients["staff"].post(
            url, {"sub_district": sub_district.pk, "year": 2026, "quarter": 2, "format": "xlsx"}
        )
    )
    assert response.status_code == 302, response.content
    assert seconds < settings.CELERY_BROKER_CONNECTION_TIMEOUT
    job = ExportJob.objects.get()
    assert job.status == "queued"

    own_redis.start()
    reset_broker_pools()
    broker_outage.reset()
    ExportJob.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        app.send_task("reports.tasks.resume_stalled_exports")
        assert wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == "done", timeout=60)
    assert ExportJob.objects.count() == 1
