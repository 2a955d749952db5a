"""A small regional party building world for the regional tests (not a conftest, so the tree
work's fixtures and these never collide)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from accounts.models import AuditEntry
from accounts.roles import Role
from branches.models import CoBuildingUnit, SubDistrict
from regional.models import (
    CommitteeLevel,
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    UnitVisit,
)
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import (
    CoBuildingUnitFactory,
    CommunityFactory,
    PairingFactory,
    PartTimeMemberFactory,
    RegionalCommitteeFactory,
    RegionalMembershipFactory,
    SubDistrictFactory,
    UnitVisitFactory,
)

FOUNDED = dt.date(2016, 12, 22)


def build(sub_district: SubDistrict) -> SimpleNamespace:
    """如意湖大工委 with one sitting unit (儿童医院), one unit not on it (会展中心), a community
    committee, a part-time member, a visit, a pairing; and the same in another sub-district."""
    w = SimpleNamespace()
    w.sub_district = sub_district
    w.community = CommunityFactory(sub_district=sub_district, name="天路社区")
    w.committee = RegionalCommitteeFactory(
        sub_district=sub_district, name="如意湖大工委", founded_on=FOUNDED
    )
    w.community_committee = RegionalCommitteeFactory(
        sub_district=sub_district,
        name="天路社区大党委",
        level=CommitteeLevel.COMMUNITY,
        founded_on=dt.date(2017, 3, 1),
    )
    w.community_committee.communities.add(w.community)
    w.unit = CoBuildingUnitFactory(sub_district=sub_district, name="郑州市儿童医院党委")
    w.free_unit = CoBuildingUnitFactory(sub_district=sub_district, name="郑州国际会展中心党委")
    w.seat = RegionalMembershipFactory(
        committee=w.committee, unit=w.unit, joined_on=dt.date(2017, 1, 1)
    )
    w.part_time_member = PartTimeMemberFactory(
        committee=w.committee, unit=w.unit, full_name="陈静", started_on=dt.date(2017, 1, 1)
    )
    w.visit = UnitVisitFactory(unit=w.unit, visited_on=dt.date(2019, 4, 12))
    w.pairing = PairingFactory(unit=w.unit, community=w.community, started_on=dt.date(2017, 5, 1))

    w.other_sub_district = SubDistrictFactory(name="北林路街道")
    w.other_community = CommunityFactory(sub_district=w.other_sub_district, name="鑫苑社区")
    w.other_committee = RegionalCommitteeFactory(
        sub_district=w.other_sub_district, name="北林路区域党委"
    )
    w.other_unit = CoBuildingUnitFactory(sub_district=w.other_sub_district, name="北林路共建单位")
    w.other_seat = RegionalMembershipFactory(committee=w.other_committee, unit=w.other_unit)
    w.other_part_time_member = PartTimeMemberFactory(committee=w.other_committee, unit=w.other_unit)
    w.other_visit = UnitVisitFactory(unit=w.other_unit)
    w.other_pairing = PairingFactory(unit=w.other_unit, community=w.other_community)

    w.liaison = UserFactory(username="liaison", full_name="赵明")
    RoleAssignmentFactory(user=w.liaison, role=Role.UNIT_LIAISON, unit=w.unit)
    return w


def snapshot() -> tuple:
    """Every regional row and the audit log, to assert that a refusal wrote nothing."""
    return (
        list(CoBuildingUnit.objects.order_by("pk").values()),
        list(RegionalCommittee.objects.order_by("pk").values()),
        list(RegionalCommittee.communities.through.objects.order_by("pk").values()),
        list(RegionalMembership.objects.order_by("pk").values()),
        list(PartTimeMember.objects.order_by("pk").values()),
        list(UnitVisit.objects.order_by("pk").values()),
        list(Pairing.objects.order_by("pk").values()),
        AuditEntry.objects.exclude(action="access.denied").count(),  # refusals are audited
    )
