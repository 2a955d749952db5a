from __future__ import annotations

import datetime as dt

import pytest

from activities.models import Attendance, MeetingKind
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory

DAY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(DAY)
    return clock


@pytest.fixture
def member(branch):
    return MemberFactory(organization=branch, full_name="张三")


@pytest.fixture
def colleague(branch):
    return MemberFactory(organization=branch, full_name="李四")


def held(branch, day, kind=MeetingKind.GENERAL_MEETING, **attendance):
    """A meeting held on `day` with {member: status} attendance rows."""
    meeting = MeetingFactory(organization=branch, kind=kind, held_on=day, topic=f"会议{day}")
    for member, status in attendance.get("rows", {}).items():
        Attendance.objects.create(
            meeting=meeting, member=member, member_name=member.full_name, status=status
        )
    return meeting
