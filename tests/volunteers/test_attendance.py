from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.volunteers.factories import (
    EnrollmentFactory,
    ServiceActivityFactory,
    TeamMembershipFactory,
    WishFactory,
)
from volunteers.errors import AttendanceRefused, HoursRefused, WishAlreadyClaimed
from volunteers.models import Enrollment, HourCorrection, Wish, WishStatus
from volunteers.querysets import services_for_member
from volunteers.services.activities import rotate_sign_in_code
from volunteers.services.attendance import (
    correct_honour_hours,
    enrollment_for_code,
    mark_no_shows,
    sign_in,
    sign_out,
)
from volunteers.services.wishes import claim_wish, confirm_wish, mark_wish_done

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(team):
    """An activity that started 30 minutes ago and lasts two hours."""
    starts = timezone.now() - dt.timedelta(minutes=30)
    return ServiceActivityFactory(
        team=team, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), sign_in_code="246810"
    )


def test_sign_in_and_out_credit_the_minutes_inside_the_activity(running):
    enrollment = EnrollmentFactory(activity=running)
    sign_in(enrollment=enrollment, actor=None, at=running.starts_at - dt.timedelta(minutes=20))
    enrollment = sign_out(
        enrollment=enrollment, actor=None, at=running.starts_at + dt.timedelta(minutes=75)
    )
    assert enrollment.credit_minutes == 75  # the early arrival earns nothing extra


def test_repeated_sign_ins_keep_the_first_time(running):
    enrollment = EnrollmentFactory(activity=running)
    first = sign_in(enrollment=enrollment, actor=None).signed_in_at
    again = sign_in(enrollment=enrollment, actor=None, at=timezone.now() + dt.timedelta(minutes=9))
    assert again.signed_in_at == first


def test_sign_in_by_code_finds_the_users_enrollment(running, resident):
    enrollment = EnrollmentFactory(
        activity=running, volunteer__user=resident, volunteer__full_name="刘芳"
    )
    assert enrollment_for_code(user=resident, code="246810") == enrollment
    with pytest.raises(AttendanceRefused, match="6-digit"):
        enrollment_for_code(user=resident, code="abc")
    with pytest.raises(AttendanceRefused, match="does not match"):
        enrollment_for_code(user=resident, code="135790")


def test_a_rotated_code_replaces_the_old_one(running, resident):
    EnrollmentFactory(activity=running, volunteer__user=resident)
    rotate_sign_in_code(activity=running, actor=None)
    with pytest.raises(AttendanceRefused):
        enrollment_for_code(user=resident, code="246810")
    running.refresh_from_db()
    assert enrollment_for_code(user=resident, code=running.sign_in_code)


def test_sign_in_refused_long_before_the_start(team):
    activity = ServiceActivityFactory(team=team)
    enrollment = EnrollmentFactory(activity=activity)
    with pytest.raises(AttendanceRefused, match="minutes before"):
        sign_in(enrollment=enrollment, actor=None)
    assert Enrollment.objects.get(pk=enrollment.pk).signed_in_at is None


def test_sign_out_needs_a_sign_in(running):
    with pytest.raises(AttendanceRefused, match="Sign in first"):
        sign_out(enrollment=EnrollmentFactory(activity=running), actor=None)


def test_honour_hours_are_capped_by_the_activity_length(running, leader):
    enrollment = EnrollmentFactory(activity=running)
    sign_in(enrollment=enrollment, actor=None, at=running.starts_at)
    sign_out(enrollment=enrollment, actor=None, at=running.starts_at + dt.timedelta(minutes=30))
    with pytest.raises(HoursRefused, match="1.5"):
        correct_honour_hours(enrollment=enrollment, minutes=91, reason="忘记签退", actor=leader)
    assert Enrollment.objects.get(pk=enrollment.pk).honour_minutes == 0
    enrollment = correct_honour_hours(
        enrollment=enrollment, minutes=90, reason="忘记签退", actor=leader
    )
    assert (enrollment.credit_minutes, enrollment.honour_minutes) == (30, 90)
    assert HourCorrection.objects.get().previous_minutes == 0


def test_honour_hours_need_a_reason(running, leader):
    enrollment = EnrollmentFactory(activity=running)
    with pytest.raises(HoursRefused, match="reason"):
        correct_honour_hours(enrollment=enrollment, minutes=30, reason=" ", actor=leader)


def test_no_shows_are_marked_once_after_the_sign_out_window(team):
    starts = timezone.now() - dt.timedelta(hours=6)
    activity = ServiceActivityFactory(
        team=team, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    came = EnrollmentFactory(activity=activity, signed_in_at=starts)
    missed = EnrollmentFactory(activity=activity)
    assert mark_no_shows(activity_id=activity.pk) == 1
    assert mark_no_shows(activity_id=activity.pk) == 0
    missed.refresh_from_db()
    came.refresh_from_db()
    assert missed.is_no_show and not came.is_no_show


def test_services_for_member_returns_credited_service_in_the_period(running, branch):
    from tests.members.factories import MemberFactory

    member = MemberFactory(organization=branch)
    enrollment = EnrollmentFactory(activity=running, volunteer__member=member, credit_minutes=60)
    EnrollmentFactory(activity=running, credit_minutes=45)  # someone else
    today = timezone.localdate()
    services = services_for_member(member, today - dt.timedelta(days=1), today)
    assert list(services) == [enrollment]
    assert services.minutes() == 60
    assert not services_for_member(
        member, today + dt.timedelta(days=1), today + dt.timedelta(days=5)
    )


def test_a_wish_goes_from_claim_to_confirmation(team, resident, leader):
    wish = WishFactory(community=team.community, posted_by=resident)
    wish = claim_wish(wish=wish, team=team, actor=leader)
    assert wish.status == WishStatus.CLAIMED
    mark_wish_done(wish=wish, note="已送达", actor=leader)
    wish = confirm_wish(wish=wish, user=resident, rating=5, feedback="谢谢")
    assert (wish.status, wish.rating) == (WishStatus.CONFIRMED, 5)


@pytest.mark.django_db(transaction=True)
def test_only_one_claimer_wins_a_wish_race(team):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent conditional updates need PostgreSQL; SQLite serialises writes")
    wish = WishFactory(community=team.community)
    claimers = [TeamMembershipFactory(team=team, volunteer__user=None).volunteer for _ in range(20)]
    barrier = threading.Barrier(len(claimers))
    wins: list[int] = []
    losses: list[Exception] = []

    def run(volunteer):
        try:
            barrier.wait()
            claim_wish(wish=wish, volunteer=volunteer, actor=None)
            wins.append(volunteer.pk)
        except WishAlreadyClaimed as exc:
            losses.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(v,)) for v in claimers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1 and len(losses) == 19
    assert Wish.objects.get().claimed_by_volunteer_id == wins[0]
