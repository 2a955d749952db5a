"""Community fixtures: a school of the role fixtures' sub-district with a course next week."""

from __future__ import annotations

import pytest

from tests.community.factories import CampaignFactory, CourseFactory, SchoolFactory


@pytest.fixture(autouse=True)
def _held_clock(clock):
    return clock


@pytest.fixture
def school(sub_district, work_committee):
    return SchoolFactory(
        sub_district=sub_district, organization=work_committee, name="老年大学如意湖分校"
    )


@pytest.fixture
def course(school):
    return CourseFactory(term__school=school, title="书法", places=3)


@pytest.fixture
def campaign(sub_district):
    return CampaignFactory(sub_district=sub_district)
