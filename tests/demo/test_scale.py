from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from activities.models import Attendance, Meeting
from branches.models import Organization, OrganizationPeriod, SubDistrict
from demo import scale
from members.models import Member, MemberChange, Transfer
from venues.models import BookingSpan

pytestmark = pytest.mark.django_db


def test_scale_data_builds_a_consistent_tree_and_is_idempotent(work_committee):
    shape = scale.ScaleShape(
        sub_districts=2,
        general_branches=1,
        branches_per_general=2,
        direct_branches=3,
        members_per_branch=4,
    )
    counts = scale.build(shape)
    assert counts == {
        "sub_districts": 2,
        "organizations": shape.organizations,
        "members": shape.members,
    }
    assert Organization.find_problems() == ([], [], [], [], [])
    assert scale.build(shape) == counts
    periods = OrganizationPeriod.objects.filter(
        organization__sub_district__district__name=scale.SCALE_DISTRICT
    )
    assert periods.count() == shape.organizations
    # The pre-existing tree is untouched and new roots come after it.
    assert Organization.objects.get(pk=work_committee.pk).path == work_committee.path
    assert Member.objects.count() == shape.members


def test_the_default_shape_is_district_scale():
    shape = scale.ScaleShape()
    assert shape.sub_districts >= 12
    assert shape.organizations >= 3000
    assert shape.members >= 30000


def test_scale_activity_gives_meetings_with_attendance_bookings_and_hours():
    shape = scale.ScaleShape(
        sub_districts=1,
        general_branches=1,
        branches_per_general=1,
        direct_branches=1,
        members_per_branch=4,
        years_of_meetings=1,
        rooms_per_hall=1,
        booking_days_back=10,
        booking_days_ahead=2,
        residents_per_sub_district=3,
        communities_per_sub_district=1,
        teams_per_sub_district=1,
        volunteers_per_sub_district=5,
        enrolled_per_activity=2,
    )
    counts = scale.build_all(shape)
    assert counts["meetings"] > 20
    # Held theme days have every member of the branch on their roster.
    assert counts["attendance"] >= 4 * Meeting.objects.filter(kind="theme_day").count() > 0
    assert counts["bookings"] > 0 and counts["enrollments"] > 0 and counts["volunteer_hours"] > 0
    overlapping = (
        BookingSpan.objects.filter(is_holding=True)
        .values("room", "starts_at")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not overlapping.exists()
    assert scale.build_all(shape) == counts


TINY = scale.ScaleShape(
    sub_districts=2,
    general_branches=1,
    branches_per_general=2,
    direct_branches=2,
    members_per_branch=25,
    years_of_meetings=1,
    rooms_per_hall=1,
    booking_days_back=3,
    booking_days_ahead=1,
    residents_per_sub_district=2,
    communities_per_sub_district=1,
    teams_per_sub_district=1,
    volunteers_per_sub_district=3,
    enrolled_per_activity=1,
    share_gone=0.1,
    share_arrived=0.1,
    share_moved=0.1,
)


def _roll_of(sub_district):
    return list(
        Member.objects.filter(organization__sub_district=sub_district)
        .order_by("pk")
        .values_list(
            "organization__name",
            "full_name",
            "joined_on",
            "confirmed_on",
            "state",
            "state_changed_on",
        )
    )


def test_members_have_a_history_of_joining_leaving_and_moving():
    scale.build(TINY)
    today = timezone.localdate()
    members = Member.objects.filter(organization__sub_district__district__name=scale.SCALE_DISTRICT)
    assert not members.filter(joined_on=None).exists()
    oldest = members.order_by("joined_on").first().joined_on
    assert oldest < today - dt.timedelta(days=25 * 365)  # joining dates over decades
    # Records were entered when the portal started, or when the member joined after.
    assert not members.filter(created_at__date__gte=today).exclude(joined_on__gte=today).exists()
    gone = members.filter(state__in=["left", "deceased", "transferred_out"])
    assert gone.exists() and not gone.filter(state_changed_on=None).exists()
    transfers = Transfer.objects.filter(member__in=members)
    kinds = set(transfers.values_list("kind", flat=True))
    assert kinds == {"internal", "inbound", "outbound"}
    assert not transfers.exclude(state="accepted").exists()
    for transfer in transfers.filter(kind="outbound"):
        assert transfer.member.state == "transferred_out"
        assert transfer.decided_at.date() == transfer.member.state_changed_on
    for transfer in transfers.filter(kind="internal"):
        assert transfer.to_organization_id == transfer.member.organization_id
        assert (
            transfer.from_organization.sub_district_id
            == transfer.member.organization.sub_district_id
        )
    # Each change has its dated history entry.
    assert MemberChange.objects.filter(member__in=members).count() == (
        transfers.count() + gone.exclude(state="transferred_out").count()
    )
    assert not MemberChange.objects.filter(member__in=members, created_at__date=today).exists()
    # A past quarter has members on the roll: fewer than today's, but most of them.
    year_ago = today - dt.timedelta(days=365)
    assert 0.6 * members.on_roll(today).count() < members.on_roll(year_ago).count()


def test_factor_adds_sub_districts_of_the_same_size_and_keeps_the_first():
    one = scale.build_all(TINY)
    first = SubDistrict.objects.filter(district__name=scale.SCALE_DISTRICT).order_by("pk").first()
    roll = _roll_of(first)
    meetings = Meeting.objects.filter(organization__sub_district=first).count()
    two = scale.build_all(TINY, factor=2)
    for key in ("sub_districts", "organizations", "members"):
        assert two[key] == 2 * one[key], key
    assert two["meetings"] > one["meetings"] and two["attendance"] > one["attendance"]
    assert _roll_of(first) == roll
    assert Meeting.objects.filter(organization__sub_district=first).count() == meetings
    assert Organization.find_problems() == ([], [], [], [], [])
    assert scale.build_all(TINY, factor=2) == two  # idempotent at the same factor
    # Attendance only for members on the roll on the day of the meeting.
    assert not Attendance.objects.filter(
        meeting__organization__sub_district__district__name=scale.SCALE_DISTRICT,
        member__roll_from__gt=F("meeting__held_on"),
    ).exists()
    assert not Attendance.objects.filter(
        meeting__organization__sub_district__district__name=scale.SCALE_DISTRICT,
        member__roll_until__lte=F("meeting__held_on"),
    ).exists()


def test_seed_scale_command_small_with_a_factor():
    out = io.StringIO()
    call_command("seed_scale", "--small", "--factor", "2", stdout=out)
    assert "4 sub-districts" in out.getvalue()
    assert SubDistrict.objects.filter(district__name=scale.SCALE_DISTRICT).count() == 4
