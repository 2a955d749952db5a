from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from community.contests.models import Contest, Question, QuestionKind
from community.models import Campaign, Category, Course, Nomination, NominationStatus, School, Term
from tests.accounts.factories import UserFactory
from tests.branches.factories import OrganizationFactory, SubDistrictFactory
from tests.venues.factories import RoomFactory


def _in(days: float = 0, hours: float = 0) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days, hours=hours)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    sub_district = factory.SubFactory(SubDistrictFactory)
    organization = factory.SubFactory(
        OrganizationFactory, sub_district=factory.SelfAttribute("..sub_district")
    )
    name = factory.Sequence(lambda n: f"老年大学分校{n}")
    partner = "郑州市老年大学"
    founded_year = 2017


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    school = factory.SubFactory(SchoolFactory)
    name = "春季学期"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda t: t.starts_on + dt.timedelta(days=55))
    enrolment_opens_at = factory.LazyFunction(lambda: _in(days=-1))
    enrolment_closes_at = factory.LazyFunction(lambda: _in(days=6))
    max_courses_per_resident = 2


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    term = factory.SubFactory(TermFactory)
    title = factory.Sequence(lambda n: f"书法{n}")
    teacher = factory.SubFactory(UserFactory)
    weekday = factory.LazyAttribute(lambda c: c.term.starts_on.weekday())
    starts_at = dt.time(9)
    ends_at = dt.time(11)
    room = factory.SubFactory(
        RoomFactory, hall__sub_district=factory.SelfAttribute("...term.school.sub_district")
    )
    places = 3
    residents_only = False


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    sub_district = factory.SubFactory(SubDistrictFactory)
    title = "最美如意人"
    nomination_opens_at = factory.LazyFunction(lambda: _in(days=-20))
    nomination_closes_at = factory.LazyFunction(lambda: _in(days=-10))
    vote_opens_at = factory.LazyFunction(lambda: _in(days=-5))
    vote_closes_at = factory.LazyFunction(lambda: _in(days=5))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"最美家庭{n}")
    winners = 1


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    category = factory.SubFactory(CategoryFactory)
    nominee_name = factory.Sequence(lambda n: f"候选人{n}")
    citation = "多年来照顾邻居孤寡老人，热心社区公益。"
    nominated_by = factory.SubFactory(UserFactory)
    status = NominationStatus.ACCEPTED


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    sub_district = factory.SubFactory(SubDistrictFactory)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"第{n}题：党的最高理想是什么？")
    options = factory.LazyFunction(lambda: ["共产主义", "小康社会", "现代化", "复兴"])
    answer = "A"
    topic = "党章党规"


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    sub_district = factory.SubFactory(SubDistrictFactory)
    title = "党建知识竞赛"
    opens_at = factory.LazyFunction(lambda: _in(days=-1))
    closes_at = factory.LazyFunction(lambda: _in(days=1))
    question_count = 3
    time_limit_minutes = 10
    attempts_allowed = 2
