"""Volunteer sign-up throughput under parallel clients, and rankings over a year of data."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from bench.parallel import run_parallel
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import SubDistrictFactory
from tests.volunteers.factories import CommunityFactory, ServiceActivityFactory
from volunteers.models import (
    Enrollment,
    EnrollmentStatus,
    MembershipStatus,
    ServiceActivity,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)

CLIENTS = 16
ACTIVITIES = 25
CAPACITY = 10

TEAMS = 27  # 秦岭路: 27 teams, 400+ volunteers, at least one activity a month
VOLUNTEERS = 420
PER_ACTIVITY = 15


@pytest.mark.django_db(transaction=True)
def test_sign_up_throughput_under_parallel_clients(timer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency are measured on PostgreSQL")
    sub_district = SubDistrictFactory(name="秦岭路街道")
    community = CommunityFactory(sub_district=sub_district, name="秦江社区")
    team = VolunteerTeam.objects.create(community=community, name="压测服务队", kind="other")
    activities = [
        ServiceActivityFactory(team=team, capacity=CAPACITY, sign_in_code=f"{200000 + i:06d}")
        for i in range(ACTIVITIES)
    ]
    users = [UserFactory(phone=f"1350000{i:04d}") for i in range(CLIENTS)]

    def client_for(user, seed: int):
        def work() -> Counter:
            client = Client()
            client.force_login(user)
            mine = activities[:]
            random.Random(seed).shuffle(mine)  # noqa: S311 - bench order
            statuses: Counter = Counter()
            for activity in mine:
                response = client.post(f"/volunteers/activities/{activity.pk}/sign-up/")
                statuses[response.status_code] += 1
            return statuses

        return work

    seconds, results = run_parallel([client_for(u, i) for i, u in enumerate(users)])
    statuses = sum(results, Counter())
    assert statuses == Counter({302: CLIENTS * ACTIVITIES})
    rows = ServiceActivity.objects.annotate(
        places=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.SIGNED_UP)),
        waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
    )
    for row in rows:
        assert row.places == row.signed_up_count == CAPACITY
        assert row.waiting == CLIENTS - CAPACITY
    requests = CLIENTS * ACTIVITIES
    timer.record(
        f"POST sign-up × {CLIENTS} clients, {ACTIVITIES} activities of {CAPACITY}",
        seconds=seconds,
        requests=requests,
        requests_per_s=requests / seconds,
        places=ACTIVITIES * CAPACITY,
        waitlisted=ACTIVITIES * (CLIENTS - CAPACITY),
    )


def build_year(sub_district) -> int:
    """27 teams in 8 communities, 420 volunteers, two activities a month each for a year."""
    rng = random.Random(7)  # noqa: S311 - bench data
    communities = [
        CommunityFactory(sub_district=sub_district, name=f"压测社区{i}") for i in range(8)
    ]
    teams = VolunteerTeam.objects.bulk_create(
        VolunteerTeam(community=communities[i % 8], name=f"压测服务队{i:02d}", kind="other")
        for i in range(TEAMS)
    )
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(sub_district=sub_district, full_name=f"志愿者{i:03d}") for i in range(VOLUNTEERS)
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(team=teams[i % TEAMS], volunteer=v, status=MembershipStatus.ACTIVE)
        for i, v in enumerate(volunteers)
    )
    tz = timezone.get_current_timezone()
    year = timezone.localdate().year
    activities = ServiceActivity.objects.bulk_create(
        ServiceActivity(
            team=team,
            title="压测活动",
            starts_at=dt.datetime(year, month, day, 9, tzinfo=tz),
            ends_at=dt.datetime(year, month, day, 11, tzinfo=tz),
            place="社区",
            capacity=PER_ACTIVITY,
            signed_up_count=PER_ACTIVITY,
            sign_in_code="123456",
        )
        for team in teams
        for month in range(1, 13)
        for day in (5, 20)
    )
    enrollments = [
        Enrollment(
            activity=activity,
            volunteer=volunteer,
            status=EnrollmentStatus.SIGNED_UP,
            signed_in_at=activity.starts_at,
            signed_out_at=activity.ends_at,
            credit_minutes=rng.choice([90, 110, 120]),
        )
        for activity in activities
        for volunteer in rng.sample(volunteers, PER_ACTIVITY)
    ]
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As seed_scale does after its bulk load (autovacuum would, in time): without the
            # statistics the planner takes the fresh tables for empty and nests loops.
            cursor.execute("ANALYZE")
    return len(enrollments)


@pytest.mark.django_db
def test_rankings_on_a_year_of_data(timer):
    sub_district = SubDistrictFactory(name="秦岭路街道")
    enrollments = build_year(sub_district)
    staff = UserFactory(username="bench_staff", is_staff=True)
    RoleAssignmentFactory(user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district)
    client = Client()
    client.force_login(staff)
    year = timezone.localdate().year
    base = Enrollment.objects.visible_to(staff).between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    timer.record("data", enrollments=enrollments, teams=TEAMS, volunteers=VOLUNTEERS)
    timer.measure("hours_per_volunteer()[:50]", lambda: list(base.hours_per_volunteer()[:50]))
    timer.measure("hours_per_team()", lambda: list(base.hours_per_team()))
    timer.measure("hours_per_month()", lambda: list(base.hours_per_month()))
    timer.measure(
        "GET /staff/volunteers/rankings/ (staff)",
        lambda: client.get("/staff/volunteers/rankings/", {"year": year}),
        repeat=10,
    )
    response = client.get("/staff/volunteers/rankings/", {"year": year})
    assert response.status_code == 200
