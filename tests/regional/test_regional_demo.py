from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from branches.models import CoBuildingUnit
from regional.models import (
    CommitteeLevel,
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    UnitVisit,
)
from regional.querysets import RegionalMembershipQuerySet

pytestmark = pytest.mark.django_db


def regional_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            CoBuildingUnit,
            RegionalCommittee,
            RegionalMembership,
            PartTimeMember,
            UnitVisit,
            Pairing,
        )
    }


def test_demo_builds_the_ruyihu_regional_committees():
    call_command("seed_demo")
    first = regional_counts()
    call_command("seed_demo")
    assert regional_counts() == first

    big = RegionalCommittee.objects.get(name="如意湖大工委")
    assert big.level == CommitteeLevel.SUB_DISTRICT
    assert big.founded_on == dt.date(2016, 12, 22)
    seats: RegionalMembershipQuerySet = RegionalMembership.objects.filter(committee=big)
    assert seats.on(timezone.localdate()).count() == 15
    assert seats.on(dt.date(2016, 12, 22)).count() == 12
    names = set(seats.values_list("unit__name", flat=True))
    assert {"郑州市儿童医院党委", "中信证券", "郑州四十七中"} <= names

    community = RegionalCommittee.objects.filter(level=CommitteeLevel.COMMUNITY)
    assert community.count() == 6
    covered = [c.communities.count() for c in community]
    assert sorted(covered) == [1, 1, 1, 1, 1, 2]
    assert sum(covered) == 7
    tianlu = RegionalCommittee.objects.get(name="天路社区大党委")
    assert tianlu.memberships.filter(unit__name="中信证券", left_on__isnull=True).exists()

    assert PartTimeMember.objects.exists() and UnitVisit.objects.exists()
    assert Pairing.objects.filter(ended_on__isnull=False).exists()
    hospital = CoBuildingUnit.objects.get(name="郑州市儿童医院党委")
    assert hospital.liaison == User.objects.get(username="unit_liaison")
