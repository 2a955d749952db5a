"""The heat map, dashboard and tree built without the page cache, beside an SQL floor that
computes the same figures by hand, measured alternately (A B A B) on a small seeded sub-district
(BENCH_BRANCHES branches, default 40, with 3 party groups and 8 members each and a year of
meetings). The ratio reported is the median of the per-round ratios page / floor: what the ORM,
Python and the template cost on top of the database. Run on a small seed only; `make bench-load`
measures the full seed_scale district."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from activities.models import Meeting, MeetingKind
from branches.models import Organization, OrganizationKind
from members.models import Member
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import OrganizationFactory, SubDistrictFactory

pytestmark = pytest.mark.django_db

# The figures of the heat map by hand: held meetings per organisation, kind and period of the
# granularities the rules use, for a year of one sub-district.
HELD_BY_PERIOD = """
    SELECT m.organization_id, m.kind, m.lecture_kind, g.granularity,
           date_trunc(g.granularity, m.held_on::timestamp)::date, count(*)
    FROM activities_meeting m
    JOIN branches_organization o ON o.id = m.organization_id
    CROSS JOIN (VALUES ('month'), ('quarter'), ('year')) AS g (granularity)
    WHERE o.sub_district_id = %s AND m.status = 'held' AND m.held_on BETWEEN %s AND %s
    GROUP BY 1, 2, 3, 4, 5
"""
# The figures of the dashboard and the tree by hand: members per organisation and status.
MEMBERS_BY_ORGANIZATION = """
    SELECT o.path, mb.status, count(mb.id)
    FROM branches_organization o
    LEFT JOIN members_member mb ON mb.organization_id = o.id AND mb.state = 'active'
    WHERE o.sub_district_id = %s
    GROUP BY 1, 2
"""


def seed(branches: int) -> tuple[int, int]:
    rng = random.Random(16)  # noqa: S311
    sub_district = SubDistrictFactory(name="基准街道")
    root = OrganizationFactory(sub_district=sub_district, name="基准党工委")
    year = timezone.localdate().year
    members, meetings = [], []
    for b in range(branches):
        branch = OrganizationFactory(parent=root, name=f"基准支部{b}")
        groups = [
            OrganizationFactory(
                parent=branch, name=f"第{g}党小组", kind=OrganizationKind.PARTY_GROUP
            )
            for g in range(3)
        ]
        members += [
            Member(organization=branch, full_name=f"党员{b}-{i}", joined_on=dt.date(2010, 1, 1))
            for i in range(8)
        ]
        for org, kind in [(branch, MeetingKind.THEME_DAY)] + [
            (g, MeetingKind.GROUP_MEETING) for g in groups
        ]:
            for month in range(1, 13):
                if rng.random() < 0.15:
                    continue
                day = dt.date(year, month, rng.randint(1, 27))
                meetings.append(
                    Meeting(
                        organization=org,
                        kind=kind,
                        topic="基准",
                        starts_at=timezone.make_aware(dt.datetime(year, month, day.day, 19)),
                        held_on=day,
                        status="held",
                    )
                )
    Member.objects.bulk_create(members)
    Meeting.objects.bulk_create(meetings)
    return sub_district.pk, Organization.objects.filter(sub_district=sub_district).count()


def signed_in(user: object) -> Client:
    """A client past the login and the second factor (`force_login` passes it in the bench, as
    in the tests: tests/signin.py)."""
    client = Client()
    client.force_login(user)
    return client


def floor(sub_district_id: int, sql: str, *params: object) -> Callable[[], object]:
    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, [sub_district_id, *params])
            return cursor.fetchall()

    return run


def alternate(page: Callable[[], object], base: Callable[[], object], rounds: int) -> dict:
    """A B A B …: page and floor timed in turn, so a change in the machine's load hits both."""
    page(), base()  # warm-up
    pages, floors, ratios = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        page()
        middle = time.perf_counter()
        base()
        end = time.perf_counter()
        pages.append((middle - start) * 1000)
        floors.append((end - middle) * 1000)
        ratios.append(pages[-1] / floors[-1])
    return {
        "page_median_ms": statistics.median(pages),
        "floor_median_ms": statistics.median(floors),
        "median_ratio": statistics.median(ratios),
        "rounds": rounds,
    }


def test_uncached_pages_beside_their_sql_floor(timer):
    sub_district_id, organizations = seed(int(os.environ.get("BENCH_BRANCHES", "40")))
    staff = UserFactory(username="bench_pages_staff", is_staff=True)
    RoleAssignmentFactory(user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district_id=sub_district_id)
    client = signed_in(staff)
    year = timezone.localdate().year
    held = floor(sub_district_id, HELD_BY_PERIOD, dt.date(year, 1, 1), dt.date(year, 12, 31))
    members = floor(sub_district_id, MEMBERS_BY_ORGANIZATION)
    rounds = int(os.environ.get("BENCH_ROUNDS", "15"))
    timer.record("organisations", n=organizations, load_average=os.getloadavg()[0])
    for label, url, base in [
        ("heat map", reverse("staff:compliance"), held),
        ("dashboard", reverse("staff:dashboard"), members),
        ("tree", reverse("staff:organization-tree"), members),
    ]:
        assert client.get(url).status_code == 200
        timer.record(label, **alternate(lambda url=url: client.get(url), base, rounds))
