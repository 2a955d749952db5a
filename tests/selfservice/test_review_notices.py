"""A member is told once that the community reviewed their service: approved, or rejected with
the reason; by the channels they keep; old reviews are not told late."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import OutgoingEmail, OutgoingSms
from activities.member_reminders import remind_members_of_meetings
from activities.models import BranchChannel
from activities.reminders import remind_upcoming_meetings
from branches.models import Community
from members.binding.services import member_of
from members.inservice import services as inservice
from members.models import ReminderPreference
from selfservice.models import ServiceReviewNotice
from selfservice.notices import tell_members_of_reviews
from tests.activities.factories import MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def me(member_user):
    member_user.email = "me@example.org"
    member_user.save()
    return member_of(member_user)


@pytest.fixture
def community(sub_district, branch):
    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(community)
    return community


@pytest.fixture
def services(me, community, secretary, member_user, clock):
    inservice.register_member(
        actor=secretary,
        member=me,
        community=community,
        registered_on=timezone.localdate() - dt.timedelta(days=10),
        employer_name="郑州市儿童医院",
    )
    return [
        inservice.record_service(
            actor=member_user,
            member=me,
            served_on=timezone.localdate() - dt.timedelta(days=day),
            hours=Decimal("2"),
            description=f"楼道清扫{day}",
        )
        for day in (1, 2)
    ]


def test_each_review_is_told_once(services, me, staff, django_assert_max_num_queries):
    assert tell_members_of_reviews() == 0  # nothing reviewed yet
    inservice.review_service(actor=staff, service=services[0], approve=True)
    with django_assert_max_num_queries(8):
        assert tell_members_of_reviews() == 2  # SMS and email
    sms = OutgoingSms.objects.get(to=me.phone)
    assert "已通过" in sms.body and "楼道清扫1" in sms.body
    assert tell_members_of_reviews() == 0  # claimed
    inservice.review_service(actor=staff, service=services[1], approve=False, reason="照片不清")
    assert tell_members_of_reviews() == 2
    assert "照片不清" in OutgoingEmail.objects.filter(to="me@example.org").latest("pk").body
    assert ServiceReviewNotice.objects.count() == 2


def test_two_reviews_at_once_are_one_message(services, me, staff):
    for service in services:
        inservice.review_service(actor=staff, service=service, approve=True)
    assert tell_members_of_reviews() == 2
    body = OutgoingEmail.objects.get().body
    assert "楼道清扫1" in body and "楼道清扫2" in body


def test_opted_out_channel_is_skipped(services, me, staff):
    ReminderPreference.objects.create(member=me, sms=False, email=True)
    inservice.review_service(actor=staff, service=services[0], approve=True)
    assert tell_members_of_reviews() == 1
    assert not OutgoingSms.objects.exists()


def test_an_old_review_is_not_told_late(services, staff, clock):
    inservice.review_service(actor=staff, service=services[0], approve=True)
    clock.advance(days=8)
    assert tell_members_of_reviews() == 0
    assert not ServiceReviewNotice.objects.exists()


def test_a_meeting_reaches_the_robot_once_and_each_member_once(branch, me, secretary):
    """The branch robot gets the meeting's reminder from the secretaries' scan (claimed by
    MeetingReminder), the members theirs from the members' scan: once each, however often
    the scans run."""
    from accounts.models import OutgoingWebhook

    BranchChannel.objects.create(
        organization=branch, kind="dingtalk", url="http://127.0.0.1:1/robot/send"
    )
    MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=20))
    for _ in range(2):
        remind_upcoming_meetings()
        remind_members_of_meetings()
    assert OutgoingWebhook.objects.count() == 1
    assert OutgoingSms.objects.filter(to=me.phone).count() == 1
