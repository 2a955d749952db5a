from __future__ import annotations

import factory

from branches.models import (
    CoBuildingUnit,
    District,
    Organization,
    OrganizationKind,
    Sector,
    SubDistrict,
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
