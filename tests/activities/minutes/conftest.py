"""A general meeting of branch A recorded with one absence, one vote, a guest and a sign-in
sheet, on a fixed clock; `signed` is the same meeting signed off (sealed as version 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.services import (
    MeetingRecord,
    VoteInput,
    attach_file,
    plan_meeting,
    record_meeting,
    sign_off_meeting,
)
from tests.activities.factories import at
from tests.members.factories import MemberFactory

DAY = dt.date(2026, 11, 2)
SIGNED_ON = dt.date(2026, 11, 3)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 40


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fixed(clock):
    clock.set(SIGNED_ON, 9, 30)
    return clock


@pytest.fixture
def people(branch):
    chair = MemberFactory(organization=branch, full_name="王洁茹")
    note_taker = MemberFactory(organization=branch, full_name="李记录")
    others = [MemberFactory(organization=branch, full_name=f"党员{i}") for i in range(3)]
    return chair, note_taker, others


def upload(name: str = "签到表.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def held(fixed, branch, secretary, people):
    chair, note_taker, others = people
    meeting = plan_meeting(
        organization=branch,
        kind="general_meeting",
        topic="第四季度党员大会",
        starts_at=at(DAY, 19),
        ends_at=at(DAY, 21),
        place="党群服务中心二楼",
        chair=chair,
        note_taker=note_taker,
        agenda="一、传达学习\n二、讨论接收预备党员",
        actor=secretary,
    )
    marks = {m.pk: ("present", "") for m in [chair, note_taker, *others]}
    marks[others[0].pk] = ("leave", "出差在外")
    meeting = record_meeting(
        meeting=meeting,
        record=MeetingRecord(
            attendance=marks,
            agenda="一、传达学习\n二、讨论接收预备党员",
            main_points="传达学习会议精神",
            resolutions="同意接收张三为预备党员",
            guests=[("赵明", "街道党工委")],
            votes=[VoteInput("接收张三为预备党员", "hands", 4, 0, 0)],
        ),
        actor=secretary,
    )
    attach_file(meeting=meeting, upload=upload(), kind="sign_in", actor=secretary)
    return meeting


@pytest.fixture
def signed(held, secretary):
    return sign_off_meeting(meeting=held, actor=secretary)


def everyone(people, **overrides):
    chair, note_taker, others = people
    marks = {m.pk: ("present", "") for m in [chair, note_taker, *others]}
    marks[others[0].pk] = ("leave", "出差在外")
    marks.update(overrides)
    return marks
