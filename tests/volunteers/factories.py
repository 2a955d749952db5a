from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from branches.models import Community
from tests.accounts.factories import UserFactory
from tests.branches.factories import SubDistrictFactory
from volunteers.models import (
    Enrollment,
    EnrollmentStatus,
    MembershipStatus,
    ServiceActivity,
    TeamKind,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
    Wish,
)


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ["sub_district", "name"]

    sub_district = factory.SubFactory(SubDistrictFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")


class VolunteerTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerTeam

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"测试服务队{n}")
    kind = TeamKind.MUTUAL_AID


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    sub_district = factory.SubFactory(SubDistrictFactory)
    user = factory.SubFactory(UserFactory)
    full_name = factory.LazyAttribute(lambda v: v.user.full_name if v.user else "志愿者")


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(VolunteerTeamFactory)
    volunteer = factory.SubFactory(
        VolunteerFactory, sub_district=factory.SelfAttribute("..team.community.sub_district")
    )
    status = MembershipStatus.ACTIVE


def _in(days: float = 0, hours: float = 0) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days, hours=hours)


class ServiceActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceActivity

    team = factory.SubFactory(VolunteerTeamFactory)
    title = factory.Sequence(lambda n: f"服务活动{n}")
    starts_at = factory.LazyFunction(lambda: _in(days=2))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + dt.timedelta(hours=2))
    place = "联盟新城社区党群服务中心"
    capacity = 10
    sign_in_code = factory.Sequence(lambda n: f"{100000 + n:06d}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    activity = factory.SubFactory(ServiceActivityFactory)
    volunteer = factory.SubFactory(
        VolunteerFactory,
        sub_district=factory.SelfAttribute("..activity.team.community.sub_district"),
    )
    status = EnrollmentStatus.SIGNED_UP


class WishFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wish

    community = factory.SubFactory(CommunityFactory)
    posted_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"微心愿{n}")
