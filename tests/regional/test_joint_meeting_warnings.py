"""A regional committee's quarter about to close with its joint meetings not held: the rule of
how many a quarter owes (the local frequency), the warning sent once per committee and quarter
as many days ahead as branch compliance warns, and the committee page that shows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import OutgoingEmail
from regional.models import JointMeeting, JointMeetingWarning, JointSettings
from regional.rules import joint_meetings_owed
from regional.services.joint_reminders import warn_missing_joint_meetings
from tests.branches.factories import CommunityFactory, RegionalCommitteeFactory

pytestmark = pytest.mark.django_db

Q4_END = dt.date(2026, 12, 31)
SEVEN_DAYS_BEFORE = dt.date(2026, 12, 24)  # the default warn_days_before_close is 7


@pytest.mark.parametrize(
    ("per_year", "expected"),
    [
        (4, [(1, 1), (1, 2), (1, 3), (1, 4)]),
        (12, [(3, 1), (3, 2), (3, 3), (3, 4)]),
        (6, [(1, 1), (2, 2), (1, 3), (2, 4)]),
        (2, [(0, 1), (1, 1), (0, 3), (1, 3)]),
        (1, [(0, 1), (0, 2), (0, 3), (1, 1)]),
        (3, [(0, 1), (1, 1), (1, 3), (1, 4)]),
    ],
)
def test_the_meetings_a_quarter_owes_follow_the_local_frequency(per_year, expected):
    assert [joint_meetings_owed(per_year, q) for q in (1, 2, 3, 4)] == expected


def test_a_quarter_outside_one_to_four_is_refused():
    with pytest.raises(ValueError):
        joint_meetings_owed(4, 5)


@pytest.fixture
def committee(sub_district, branch, staff, secretary):
    staff.email, secretary.email = "staff@example.org", "secretary@example.org"
    staff.save()
    secretary.save()
    community = CommunityFactory(sub_district=sub_district, name="天路社区")
    branch.communities.add(community)
    committee = RegionalCommitteeFactory(sub_district=sub_district, name="如意湖大工委")
    committee.communities.add(community)
    return committee


def meeting(committee, day: dt.date, status: str = "held") -> JointMeeting:
    return JointMeeting.objects.create(
        committee=committee,
        scheduled_on=day,
        year=day.year,
        quarter=(day.month - 1) // 3 + 1,
        topic="双迎攻坚",
        status=status,
    )


def test_warned_seven_days_before_the_quarter_closes_not_eight(committee, clock):
    clock.set(SEVEN_DAYS_BEFORE - dt.timedelta(days=1))
    assert warn_missing_joint_meetings(today=clock.today) == 0
    clock.set(SEVEN_DAYS_BEFORE)
    assert warn_missing_joint_meetings(today=clock.today) == 1
    warning = JointMeetingWarning.objects.get()
    assert (warning.committee, warning.period_start, warning.owed, warning.held) == (
        committee,
        dt.date(2026, 10, 1),
        1,
        0,
    )
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == [
        "secretary@example.org",
        "staff@example.org",
    ]
    assert "如意湖大工委" in OutgoingEmail.objects.first().subject


def test_warned_once_per_committee_and_quarter(committee, clock):
    for day in (SEVEN_DAYS_BEFORE, dt.date(2026, 12, 28), Q4_END):
        clock.set(day)
        warn_missing_joint_meetings(today=day)
    assert JointMeetingWarning.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2
    clock.set(dt.date(2027, 3, 25))  # the next quarter owes its own meeting
    assert warn_missing_joint_meetings(today=clock.today) == 1
    assert JointMeetingWarning.objects.count() == 2


def test_a_meeting_held_in_the_quarter_silences_the_warning(committee, clock):
    meeting(committee, dt.date(2026, 10, 1))  # the quarter's first day counts
    clock.set(Q4_END)
    assert warn_missing_joint_meetings(today=Q4_END) == 0


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2026, 9, 30), "held"),  # the previous quarter's last day does not count
        (dt.date(2026, 12, 30), "planned"),  # planned is not held
        (dt.date(2026, 11, 5), "cancelled"),
    ],
)
def test_what_does_not_count_as_held(committee, clock, day, status):
    meeting(committee, day, status)
    clock.set(SEVEN_DAYS_BEFORE)
    assert warn_missing_joint_meetings(today=SEVEN_DAYS_BEFORE) == 1


def test_twice_a_year_a_meeting_in_the_first_quarter_covers_the_half_year(
    committee, sub_district, clock
):
    JointSettings.objects.update_or_create(
        sub_district=sub_district, defaults={"meetings_per_year": 2}
    )
    clock.set(dt.date(2027, 3, 25))
    assert warn_missing_joint_meetings(today=clock.today) == 0  # nothing falls due in March
    meeting(committee, dt.date(2027, 2, 10))
    clock.set(dt.date(2027, 6, 24))
    assert warn_missing_joint_meetings(today=clock.today) == 0
    clock.set(dt.date(2027, 12, 24))  # the second half-year has none
    assert warn_missing_joint_meetings(today=clock.today) == 1
    assert JointMeetingWarning.objects.get().period_start == dt.date(2027, 10, 1)


def test_the_lead_time_is_the_sub_districts_warning_setting(committee, sub_district, clock):
    from activities.models import LocalSettings

    LocalSettings.objects.update_or_create(
        sub_district=sub_district, defaults={"warn_days_before_close": 14}
    )
    clock.set(Q4_END - dt.timedelta(days=15))
    assert warn_missing_joint_meetings(today=clock.today) == 0
    clock.set(Q4_END - dt.timedelta(days=14))
    assert warn_missing_joint_meetings(today=clock.today) == 1


def test_the_committee_page_shows_the_quarter_and_the_warnings(committee, staff, clock):
    from django.test import Client

    clock.set(SEVEN_DAYS_BEFORE)
    warn_missing_joint_meetings(today=SEVEN_DAYS_BEFORE)
    client = Client()
    client.force_login(staff)  # signed in on the clock's day
    url = reverse("staff:regional-committee-detail", args=[committee.pk])
    response = client.get(url)
    assert response.status_code == 200
    status = response.context["joint_quarter"]
    assert (status.owed, status.held, status.quarter.label) == (1, 0, "2026Q4")
    content = response.content.decode()
    assert 'data-testid="joint-quarter"' in content and 'data-testid="joint-warnings"' in content
    assert "2026Q4" in content
    meeting(committee, dt.date(2026, 12, 1))
    status = client.get(url).context["joint_quarter"]
    assert not status.short
