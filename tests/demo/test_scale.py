from __future__ import annotations

import pytest
from django.db.models import Count

from activities.models import Meeting
from branches.models import Organization, OrganizationPeriod
from demo import scale
from members.models import Member
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
