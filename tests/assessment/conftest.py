from __future__ import annotations

import datetime as dt

import pytest

from tests.branches.factories import (
    CoBuildingUnitFactory,
    CommunityFactory,
    RegionalCommitteeFactory,
)

TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(TODAY)
    return clock


@pytest.fixture
def communities(branch, other_branch, sub_district):
    """One community per branch: 联盟新城 (branch) and 天路 (other_branch)."""
    ours = CommunityFactory(sub_district=sub_district, name="联盟新城社区")
    theirs = CommunityFactory(sub_district=sub_district, name="天路社区")
    branch.communities.add(ours)
    other_branch.communities.add(theirs)
    return ours, theirs


@pytest.fixture
def committee(sub_district, communities):
    committee = RegionalCommitteeFactory(sub_district=sub_district)
    committee.communities.add(*communities)
    return committee


@pytest.fixture
def unit(sub_district):
    return CoBuildingUnitFactory(sub_district=sub_district, name="郑州市儿童医院党委")
