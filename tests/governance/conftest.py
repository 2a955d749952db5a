from __future__ import annotations

import datetime as dt

import pytest

from tests.branches.factories import CommunityFactory

DAY = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture
def community(sub_district, branch):
    place = CommunityFactory(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(place)
    return place


@pytest.fixture
def held(clock):
    clock.set(DAY)
    return clock
