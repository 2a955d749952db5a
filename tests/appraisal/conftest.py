from __future__ import annotations

import datetime as dt

import pytest

from appraisal.services import campaigns
from members.models import MemberStatus
from tests.members.factories import MemberFactory

TODAY = dt.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(TODAY)
    return clock


@pytest.fixture
def full_members(branch):
    """Six full members: 1/3 of them is exactly 2."""
    return [MemberFactory(organization=branch, full_name=f"正式{i}") for i in range(6)]


@pytest.fixture
def probationary(branch):
    return MemberFactory(
        organization=branch,
        full_name="预备甲",
        status=MemberStatus.PROBATIONARY,
        joined_on=dt.date(2026, 3, 1),
        confirmed_on=None,
    )


@pytest.fixture
def campaign(branch, full_members, probationary, staff):
    return campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )
