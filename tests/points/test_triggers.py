"""A source written through its service recomputes the members' points after the commit, on the
recomputes queue; before the commit nothing is sent."""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

import pytest

from activities.models import MeetingKind
from activities.services import MeetingRecord, record_held_meeting, record_meeting
from config.celery import task_named
from points.models import PointEntry
from tests.activities.factories import at

pytestmark = pytest.mark.django_db


def sends(callbacks):
    return [c for c in callbacks if getattr(c, "__qualname__", "").startswith("send_after_commit")]


def run_sent(callbacks) -> list[str]:
    """What a worker does with each message sent after the commit: the task named, with the
    arguments sent, run in this process (Celery's `apply`, no broker)."""
    names = []
    for callback in sends(callbacks):
        sent = inspect.getclosurevars(callback).nonlocals
        task = task_named(sent["task"])
        task.apply(args=sent["args"], kwargs=sent["kwargs"], throw=True)
        names.append(task.name)
    return names


def test_a_recorded_meeting_recomputes_its_members_after_commit(
    branch, secretary, member, colleague, django_capture_on_commit_callbacks
):
    record = MeetingRecord(
        attendance={member.pk: ("present", ""), colleague.pk: ("absent", "未请假")},
        starts_at=at(dt.date(2026, 7, 1)),
        topic="七一主题党日",
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting = record_held_meeting(
            organization=branch,
            kind=MeetingKind.THEME_DAY,
            topic="七一主题党日",
            record=record,
            actor=secretary,
        )
    assert len(sends(callbacks)) == 1
    assert not PointEntry.objects.exists()  # nothing before the commit
    assert run_sent(callbacks) == ["points.tasks.recompute_member_points"]
    points = dict(
        PointEntry.objects.filter(source_kind="attendance").values_list("member_id", "points")
    )
    assert points == {member.pk: Decimal(2), colleague.pk: Decimal(-3)}

    # The secretary corrects the record: the colleague had asked for leave.
    corrected = MeetingRecord(
        attendance={member.pk: ("present", ""), colleague.pk: ("leave", "出差")},
        starts_at=at(dt.date(2026, 7, 1)),
    )
    kept = PointEntry.objects.get(member=member, source_kind="attendance").pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_meeting(meeting=meeting, record=corrected, actor=secretary)
    run_sent(callbacks)
    assert PointEntry.objects.get(member=member, source_kind="attendance").pk == kept
    assert not PointEntry.objects.filter(member=colleague, source_kind="attendance").exists()
