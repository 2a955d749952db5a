"""Recomputing a sub-district's year of member points on `seed_scale`'s district, beside a
hand-written SQL floor. PostgreSQL only.

The recomputation (`points.services.recompute.recompute_points`) is timed three ways: the first
run (an empty ledger: every entry inserted), a second run with nothing changed (the diff writes
nothing), and a run after one meeting's attendance was corrected. The floor is the least any
approach has to do: one hand-written INSERT … SELECT reading the same sources (attendance, the
yearly base, credited volunteer hours, make-up study, reviewed community services) joined to the
rules in force, into a fresh temporary table: no caps, no approvals, no diff. Rounds alternate
recompute and floor (A B A B, `BENCH_POINTS_ROUNDS`, default 3); the figure is the median ratio.

Data: `BENCH_POINTS_SUB_DISTRICTS` sub-districts (default 12, the whole district of 30,504
members; 2 gives a run of a few minutes) with `BENCH_POINTS_YEARS` years of meetings (default 1).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Attendance, Meeting
from branches.models import SubDistrict
from demo import scale
from members.models import Member
from points.models import PointEntry
from points.services.recompute import recompute_points

pytestmark = pytest.mark.django_db

FLOOR = """
CREATE TEMPORARY TABLE points_floor AS
WITH mem AS (
    SELECT m.id, m.roll_from, m.roll_until
    FROM members_member m JOIN branches_organization o ON o.id = m.organization_id
    WHERE o.sub_district_id = %(sd)s
),
r AS (
    SELECT DISTINCT ON (event) event, id, points FROM points_pointrule
    WHERE sub_district_id = %(sd)s AND valid_from <= %(last)s
    ORDER BY event, valid_from DESC
)
SELECT a.member_id, r.id AS rule_id, mt.id AS source_id, mt.held_on AS day, r.points
FROM activities_attendance a
JOIN mem ON mem.id = a.member_id
JOIN activities_meeting mt ON mt.id = a.meeting_id
JOIN r ON r.event = 'attendance.' || mt.kind || '.' || a.status
WHERE mt.status = 'held' AND mt.held_on BETWEEN %(first)s AND %(last)s
UNION ALL
SELECT mem.id, r.id, %(year)s, %(first)s, r.points
FROM mem JOIN r ON r.event = 'base'
WHERE mem.roll_from <= %(last)s AND mem.roll_until > %(first)s
UNION ALL
SELECT v.member_id, r.id, e.id, (act.starts_at AT TIME ZONE 'Asia/Shanghai')::date,
       r.points * e.credit_minutes / 60.0
FROM volunteers_enrollment e
JOIN volunteers_volunteer v ON v.id = e.volunteer_id
JOIN mem ON mem.id = v.member_id
JOIN volunteers_serviceactivity act ON act.id = e.activity_id
JOIN r ON r.event = 'volunteer_hours'
WHERE e.credit_minutes > 0 AND act.starts_at >= %(first_at)s AND act.starts_at < %(after_at)s
UNION ALL
SELECT t.member_id, r.id, t.meeting_id, coalesce(t.done_on, t.due_on), r.points
FROM activities_makeuptask t
JOIN mem ON mem.id = t.member_id
JOIN r ON r.event = CASE WHEN t.done_on <= t.due_on THEN 'make_up_done' ELSE 'make_up_overdue' END
WHERE coalesce(t.done_on, t.due_on) BETWEEN %(first)s AND %(last)s
UNION ALL
SELECT c.member_id, r.id, c.id, c.served_on, r.points
FROM members_communityservice c
JOIN mem ON mem.id = c.member_id
JOIN r ON r.event = 'community_service'
WHERE c.status = 'approved' AND c.served_on BETWEEN %(first)s AND %(last)s
"""


def _floor(sub_district_id: int, year: int) -> int:
    tz = timezone.get_current_timezone()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    params = {
        "sd": sub_district_id,
        "first": first,
        "last": last,
        "year": year,
        "first_at": dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        "after_at": dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    }
    with connection.cursor() as cursor:
        cursor.execute(FLOOR, params)
        rows = cursor.rowcount
        cursor.execute("DROP TABLE points_floor")
    return rows


def _volunteers_are_members(sub_district_id: int) -> None:
    """seed_scale's volunteers are residents; make one in four a member of the sub-district so
    the volunteer source has rows (credit hours, capped per month)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH v AS (
                SELECT id, row_number() OVER (ORDER BY id) AS n FROM volunteers_volunteer
                WHERE sub_district_id = %(sd)s AND member_id IS NULL
            ), m AS (
                SELECT mm.id, row_number() OVER (ORDER BY mm.id) AS n
                FROM members_member mm JOIN branches_organization o ON o.id = mm.organization_id
                WHERE o.sub_district_id = %(sd)s AND mm.state = 'active'
            )
            UPDATE volunteers_volunteer vv SET member_id = m.id
            FROM v JOIN m ON m.n = v.n
            WHERE vv.id = v.id AND v.n %% 4 = 0
            """,
            {"sd": sub_district_id},
        )


def test_recompute_a_sub_district_year_beside_its_floor(timer):
    if connection.vendor != "postgresql":
        pytest.skip("measured on PostgreSQL")
    sub_districts = int(os.environ.get("BENCH_POINTS_SUB_DISTRICTS", "12"))
    years = int(os.environ.get("BENCH_POINTS_YEARS", "1"))
    rounds = int(os.environ.get("BENCH_POINTS_ROUNDS", "3"))
    started = time.perf_counter()
    scale.build_all(scale.ScaleShape(sub_districts=sub_districts, years_of_meetings=years))
    seeded = time.perf_counter() - started
    sub_district = SubDistrict.objects.filter(district__name=scale.SCALE_DISTRICT).first()
    _volunteers_are_members(sub_district.pk)
    # The year of the latest meeting seed_scale held (today's year), read from the data.
    year = Meeting.objects.aggregate(latest=Max("held_on"))["latest"].year
    members = Member.objects.filter(organization__sub_district=sub_district)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def recompute():
        return recompute_points(members=members, first=first, last=last)

    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = recompute()
    first_run = time.perf_counter() - began
    entries = PointEntry.objects.filter(organization__sub_district=sub_district).count()
    assert result.inserted_or_updated == entries > members.count()
    assert len(queries) <= 14  # set-based: a fixed number of statements, never one per member

    ratios, recomputes, floors = [], [], []
    for _ in range(rounds):
        began = time.perf_counter()
        again = recompute()
        recomputes.append(time.perf_counter() - began)
        assert again.inserted_or_updated == 0 and again.deleted == 0  # idempotent
        began = time.perf_counter()
        floor_rows = _floor(sub_district.pk, year)
        floors.append(time.perf_counter() - began)
        ratios.append(recomputes[-1] / floors[-1])

    # A corrected meeting: one member's attendance flips, exactly their entries move.
    row = (
        Attendance.objects.filter(
            member__organization__sub_district=sub_district,
            meeting__held_on__year=year,
            status="present",
        )
        .order_by("pk")
        .first()
    )
    Attendance.objects.filter(pk=row.pk).update(status="absent")
    began = time.perf_counter()
    corrected = recompute()
    correction = time.perf_counter() - began
    assert (corrected.inserted_or_updated, corrected.deleted) == (1, 1)

    timer.record(
        "data",
        sub_districts=sub_districts,
        members_recomputed=result.members,
        entries=entries,
        floor_rows=floor_rows,
        seeding_s=seeded,
    )
    timer.record(
        "recompute a sub-district's year",
        first_run_ms=first_run * 1000,
        unchanged_median_ms=statistics.median(recomputes) * 1000,
        after_one_correction_ms=correction * 1000,
        statements=len(queries),
    )
    timer.record(
        "hand-written SQL floor (read the sources, write the rows once)",
        floor_ms=statistics.median(floors) * 1000,
        median_ratio_unchanged_to_floor=statistics.median(ratios),
        first_run_to_floor=first_run / statistics.median(floors),
    )
