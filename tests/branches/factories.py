from __future__ import annotations

import datetime as dt

import factory

from branches.models import (
    CoBuildingUnit,
    Community,
    District,
    Organization,
    OrganizationKind,
    Sector,
    SubDistrict,
)
from regional.models import (
    CommitteeLevel,
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    UnitVisit,
)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试区{n}")


class SubDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubDistrict

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试街道{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A tree node. Without `parent`, a working committee at the root of a new sub-district."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试党组织{n}")
    parent = None
    kind = factory.LazyAttribute(
        lambda o: OrganizationKind.BRANCH if o.parent else OrganizationKind.WORK_COMMITTEE
    )
    sector = Sector.COMMUNITY

    @classmethod
    def _create(cls, model_class: type[Organization], *args: object, **kwargs: object):
        parent = kwargs.pop("parent", None)
        if parent is None:
            kwargs.setdefault("sub_district", SubDistrictFactory())
            return model_class.add_root(**kwargs)
        kwargs.setdefault("sub_district", parent.sub_district)
        return parent.add_child(**kwargs)


class CoBuildingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoBuildingUnit

    sub_district = factory.SubFactory(SubDistrictFactory)
    name = factory.Sequence(lambda n: f"共建单位{n}")
    sector = Sector.AGENCY


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    sub_district = factory.SubFactory(SubDistrictFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")


class RegionalCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalCommittee

    sub_district = factory.SubFactory(SubDistrictFactory)
    level = CommitteeLevel.SUB_DISTRICT
    name = factory.Sequence(lambda n: f"测试大工委{n}")
    founded_on = dt.date(2016, 12, 22)


class RegionalMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalMembership

    committee = factory.SubFactory(RegionalCommitteeFactory)
    unit = factory.SubFactory(
        CoBuildingUnitFactory, sub_district=factory.SelfAttribute("..committee.sub_district")
    )
    joined_on = dt.date(2017, 1, 1)


class PartTimeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartTimeMember

    committee = factory.SubFactory(RegionalCommitteeFactory)
    unit = factory.SubFactory(
        CoBuildingUnitFactory, sub_district=factory.SelfAttribute("..committee.sub_district")
    )
    full_name = factory.Sequence(lambda n: f"兼职委员{n}")
    started_on = dt.date(2017, 1, 1)


class UnitVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitVisit

    unit = factory.SubFactory(CoBuildingUnitFactory)
    visited_on = dt.date(2019, 4, 12)
    visitors = "李一"
    needs = "健康义诊"
    follow_up = "联合举办义诊"


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    unit = factory.SubFactory(CoBuildingUnitFactory)
    community = factory.SubFactory(
        CommunityFactory, sub_district=factory.SelfAttribute("..unit.sub_district")
    )
    started_on = dt.date(2017, 5, 1)
