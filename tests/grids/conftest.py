from __future__ import annotations

import datetime as dt

import pytest

from branches.models import Community, Compound, Grid
from grids.models import GridRole, GridRoleKind, Household
from members.identity import encrypt_id_number
from members.rules import mask_phone
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory

DAY = dt.date(2026, 3, 16)  # a Monday


def make_household(grid: Grid, address: str = "1号楼1单元101", phone: str = "13912345678", **tags):
    return Household.objects.create(
        grid=grid,
        address=address,
        contact_name="赵大爷",
        phone_encrypted=encrypt_id_number(phone),
        phone_masked=mask_phone(phone),
        **tags,
    )


@pytest.fixture
def community(sub_district, branch):
    community = Community.objects.create(sub_district=sub_district, name="秦江社区")
    branch.communities.add(community)
    return community


@pytest.fixture
def other_community(sub_district, other_branch):
    community = Community.objects.create(sub_district=sub_district, name="锦艺西社区")
    other_branch.communities.add(community)
    return community


@pytest.fixture
def compound(community):
    return Compound.objects.create(community=community, name="秦江花园")


@pytest.fixture
def grid(community):
    return Grid.objects.create(community=community, name="第一网格")


@pytest.fixture
def second_grid(community):
    return Grid.objects.create(community=community, name="第二网格")


@pytest.fixture
def other_grid(other_community):
    return Grid.objects.create(community=other_community, name="第一网格")


@pytest.fixture
def officer(grid):
    user = UserFactory(username="officer", full_name="孙晓红")
    GridRole.objects.create(
        grid=grid, kind=GridRoleKind.SCREENING_OFFICER, user=user, started_on=dt.date(2025, 1, 1)
    )
    GridRole.objects.create(
        grid=grid, kind=GridRoleKind.WORKER, user=user, started_on=dt.date(2025, 1, 1)
    )
    return user


@pytest.fixture
def member(branch, community):
    return MemberFactory(organization=branch, community=community, full_name="李党员")
