"""Reminders to each member: once per lead time, by the channels they have and keep; an SMS
without an account; leave stops the meeting's reminder; make-up study due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail, OutgoingSms
from activities.member_reminders import remind_members_of_make_up, remind_members_of_meetings
from activities.models import MakeUpTask, MemberReminder
from activities.participation import request_leave
from members.binding.services import member_of
from members.models import ReminderPreference
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(member_user):
    member_user.email = "me@example.org"
    member_user.save()
    return member_of(member_user)


def test_each_member_is_reminded_once_per_lead(branch, me, clock, django_assert_max_num_queries):
    unbound = MemberFactory(organization=branch, phone="13700000001")
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=20))
    with django_assert_max_num_queries(12):
        sent = remind_members_of_meetings()
    assert sent == 3  # me: SMS and email; the member without an account: SMS
    assert OutgoingSms.objects.filter(to=unbound.phone).count() == 1
    assert OutgoingEmail.objects.filter(to="me@example.org").count() == 1
    assert remind_members_of_meetings() == 0  # the second scan finds the claims
    clock.advance(hours=19)  # 1 h before: the 2 h lead
    assert remind_members_of_meetings() == 3
    assert MemberReminder.objects.filter(meeting=meeting).count() == 4


def test_queries_do_not_grow_with_the_roster(branch, me, clock, django_assert_max_num_queries):
    for _ in range(30):
        MemberFactory(organization=branch)
    MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=20))
    with django_assert_max_num_queries(12):
        assert remind_members_of_meetings() == 32


def test_a_member_on_leave_or_opted_out_gets_nothing(branch, me, member_user, clock, client):
    meeting = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=30))
    request_leave(meeting=meeting, member=me, reason="出差", actor=member_user)
    other = MeetingFactory(organization=branch, starts_at=timezone.now() + dt.timedelta(hours=20))
    client.force_login(member_user)
    response = client.post(reverse("public:me-reminders"), {"email": "on"})  # SMS off
    assert response.status_code == 302
    assert ReminderPreference.objects.get(member=me).sms is False
    clock.advance(hours=7)
    remind_members_of_meetings()
    assert not OutgoingSms.objects.filter(to=me.phone).exists()
    assert OutgoingEmail.objects.filter(to="me@example.org").count() == 1  # for `other` only
    assert MemberReminder.objects.filter(member=me, meeting=other).exists()
    assert not MemberReminder.objects.filter(member=me, meeting=meeting).exists()


def test_make_up_due_is_reminded_once(branch, me, clock):
    held = MeetingFactory(organization=branch, held_on=timezone.localdate() - dt.timedelta(days=5))
    MakeUpTask.objects.create(
        meeting=held, member=me, due_on=timezone.localdate() + dt.timedelta(days=2)
    )
    assert remind_members_of_make_up() == 2
    assert remind_members_of_make_up() == 0
    assert OutgoingSms.objects.filter(to=me.phone).count() == 1
