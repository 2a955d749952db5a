"""Volunteer fixtures on top of the role fixtures: a community of the secretary's sub-district
with a team led by `leader` (a resident), and one in another sub-district."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tests.volunteers.factories import (
    CommunityFactory,
    ServiceActivityFactory,
    TeamMembershipFactory,
    VolunteerTeamFactory,
)


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """Django's clock held at today 10:00 (tests/conftest.py): 'half an hour ago', 'today' and
    'this month' mean the same whenever the suite runs."""
    return clock


@pytest.fixture
def community(sub_district):
    return CommunityFactory(sub_district=sub_district, name="联盟新城")


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", full_name="队长甲", phone="13900000009")


@pytest.fixture
def team(community, leader):
    team = VolunteerTeamFactory(community=community, name="手拉手互助队", leader=leader)
    TeamMembershipFactory(team=team, volunteer__user=leader)
    return team


@pytest.fixture
def activity(team):
    return ServiceActivityFactory(team=team, title="关爱社区，爱护环境", capacity=3)


@pytest.fixture
def other_sub_district_team(other_sub_district_branch):
    community = CommunityFactory(sub_district=other_sub_district_branch.sub_district)
    return VolunteerTeamFactory(community=community, name="外街道服务队")


@pytest.fixture(autouse=True)
def english_messages():
    """Service tests match the English msgids; pages still answer in the user's language."""
    from django.utils import translation

    with translation.override("en"):
        yield
