from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import OutgoingEmail
from tests.accounts.factories import UserFactory
from tests.volunteers.factories import (
    EnrollmentFactory,
    ServiceActivityFactory,
    VolunteerFactory,
)
from volunteers.errors import SignUpRefused
from volunteers.models import Audience, Enrollment, EnrollmentStatus, ServiceActivity
from volunteers.services.activities import cancel_activity, change_capacity, sign_up, withdraw
from volunteers.services.teams import volunteer_for_user

pytestmark = pytest.mark.django_db


def _volunteer(activity, **kwargs):
    kwargs.setdefault("user", None)
    return VolunteerFactory(sub_district=activity.team.community.sub_district, **kwargs)


def test_sign_up_takes_places_then_puts_people_on_the_waiting_list(activity):
    statuses = [
        sign_up(activity=activity, volunteer=_volunteer(activity), actor=None).status
        for _ in range(5)
    ]
    assert statuses == ["signed_up"] * 3 + ["waitlisted"] * 2
    activity.refresh_from_db()
    assert activity.signed_up_count == 3


def test_signing_up_twice_returns_the_same_place(activity):
    volunteer = _volunteer(activity)
    first = sign_up(activity=activity, volunteer=volunteer, actor=None)
    again = sign_up(activity=activity, volunteer=volunteer, actor=None)
    assert first.pk == again.pk
    activity.refresh_from_db()
    assert activity.signed_up_count == 1


def test_withdrawal_promotes_the_first_on_the_waiting_list_and_emails_them(activity):
    taken = [
        sign_up(activity=activity, volunteer=_volunteer(activity), actor=None) for _ in range(3)
    ]
    first_waiting = sign_up(
        activity=activity,
        volunteer=_volunteer(activity, user=UserFactory(email="wait1@example.org")),
        actor=None,
    )
    second_waiting = sign_up(activity=activity, volunteer=_volunteer(activity), actor=None)
    withdraw(enrollment=taken[0], actor=None)
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == EnrollmentStatus.SIGNED_UP
    assert second_waiting.status == EnrollmentStatus.WAITLISTED
    activity.refresh_from_db()
    assert activity.signed_up_count == 3
    email = OutgoingEmail.objects.get(to="wait1@example.org")
    assert activity.title in email.subject


def test_withdrawing_from_the_waiting_list_frees_no_place(activity):
    for _ in range(3):
        sign_up(activity=activity, volunteer=_volunteer(activity), actor=None)
    waiting = sign_up(activity=activity, volunteer=_volunteer(activity), actor=None)
    withdraw(enrollment=waiting, actor=None)
    activity.refresh_from_db()
    assert activity.signed_up_count == 3
    assert Enrollment.objects.waitlisted().count() == 0


def test_a_withdrawn_volunteer_may_sign_up_again(activity):
    volunteer = _volunteer(activity)
    enrollment = sign_up(activity=activity, volunteer=volunteer, actor=None)
    withdraw(enrollment=enrollment, actor=None)
    again = sign_up(activity=activity, volunteer=volunteer, actor=None)
    assert again.pk == enrollment.pk and again.status == EnrollmentStatus.SIGNED_UP


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"signup_closes_at_hours": -1}, "closed"),
        ({"signup_opens_at_hours": 5}, "opens"),
        ({"status": "cancelled"}, "cancelled"),
    ],
)
def test_sign_up_refused_outside_its_window_with_a_message(activity, changes, message):
    now = timezone.now()
    if "signup_closes_at_hours" in changes:
        activity.signup_closes_at = now + dt.timedelta(hours=changes["signup_closes_at_hours"])
    if "signup_opens_at_hours" in changes:
        activity.signup_opens_at = now + dt.timedelta(hours=changes["signup_opens_at_hours"])
    if "status" in changes:
        activity.status = changes["status"]
    activity.save()
    with pytest.raises(SignUpRefused, match=message):
        sign_up(activity=activity, volunteer=_volunteer(activity), actor=None)
    assert not Enrollment.objects.exists()


def test_team_only_activity_refuses_outsiders(team):
    activity = ServiceActivityFactory(team=team, audience=Audience.TEAM)
    outsider = VolunteerFactory(sub_district=team.community.sub_district)
    with pytest.raises(SignUpRefused, match=team.name):
        sign_up(activity=activity, volunteer=outsider, actor=None)
    member = team.memberships.get().volunteer
    assert sign_up(activity=activity, volunteer=member, actor=None).status == "signed_up"


def test_sign_up_refuses_a_volunteer_of_another_sub_district(activity, other_sub_district_team):
    stranger = VolunteerFactory(sub_district=other_sub_district_team.community.sub_district)
    with pytest.raises(SignUpRefused):
        sign_up(activity=activity, volunteer=stranger, actor=None)


def test_withdrawal_is_refused_once_the_activity_has_started(activity):
    enrollment = EnrollmentFactory(activity=activity)
    ServiceActivity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    with pytest.raises(SignUpRefused, match="started"):
        withdraw(enrollment=enrollment, actor=None)


def test_more_places_go_to_the_waiting_list(activity):
    for _ in range(5):
        sign_up(activity=activity, volunteer=_volunteer(activity), actor=None)
    change_capacity(activity=activity, capacity=4, actor=None)
    activity.refresh_from_db()
    assert activity.signed_up_count == 4
    assert Enrollment.objects.waitlisted().count() == 1
    with pytest.raises(SignUpRefused, match="4"):
        change_capacity(activity=activity, capacity=2, actor=None)


def test_cancelling_tells_everyone_signed_up(activity):
    user = UserFactory(email="gone@example.org")
    sign_up(activity=activity, volunteer=_volunteer(activity, user=user), actor=None)
    cancel_activity(activity=activity, actor=None)
    assert OutgoingEmail.objects.filter(to="gone@example.org").exists()


def test_one_volunteer_record_per_person_and_sub_district(activity, resident):
    sub_district = activity.team.community.sub_district
    first = volunteer_for_user(user=resident, sub_district=sub_district)
    assert volunteer_for_user(user=resident, sub_district=sub_district) == first


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_parallel_sign_ups(activity):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writes")
    ServiceActivity.objects.filter(pk=activity.pk).update(capacity=5)
    volunteers = [_volunteer(activity) for _ in range(24)]
    barrier = threading.Barrier(len(volunteers))
    errors: list[Exception] = []

    def run(volunteer):
        try:
            barrier.wait()
            sign_up(activity=activity, volunteer=volunteer, actor=None)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    activity.refresh_from_db()
    assert activity.signed_up_count == 5
    assert Enrollment.objects.signed_up().count() == 5
    assert Enrollment.objects.waitlisted().count() == 19


@pytest.mark.django_db(transaction=True)
def test_parallel_withdrawals_promote_each_waiting_person_once(activity):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writes")
    taken = [
        sign_up(activity=activity, volunteer=_volunteer(activity), actor=None) for _ in range(3)
    ]
    for _ in range(20):
        sign_up(activity=activity, volunteer=_volunteer(activity), actor=None)
    barrier = threading.Barrier(len(taken))

    def run(enrollment):
        try:
            barrier.wait()
            withdraw(enrollment=enrollment, actor=None)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(e,)) for e in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    activity.refresh_from_db()
    assert activity.signed_up_count == 3
    assert Enrollment.objects.signed_up().count() == 3
    assert Enrollment.objects.waitlisted().count() == 17
