"""The district roster export (30,504 members, `demo.scale.build`'s tree) beside its SQL floor:
the hand-written query reading the same columns of the same rows in the same order. Page and
floor alternate (A B A B, `BENCH_EXPORT_ROUNDS`, default 3); the figure is the median of the
per-round ratios. Goal: the whole district in < 3 s. PostgreSQL only."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from accounts import sessions
from bench.test_uncached_pages_bench import alternate, signed_in
from demo.scale import ScaleShape, build
from members.models import Member
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

GOAL_MS = 3000

# The roster's columns by hand: member, branch, party group and community, in the export's order.
ROSTER = """
    SELECT m.full_name, m.gender, m.ethnicity, m.birth_date, m.id_number_masked, m.phone,
           m.education, m.occupation, m.work_unit, m.address, c.name, o.name, g.name,
           m.status, m.category, m.joined_on, m.confirmed_on, m.in_hardship, m.state
    FROM members_member m
    JOIN branches_organization o ON o.id = m.organization_id
    LEFT JOIN branches_organization g ON g.id = m.party_group_id
    LEFT JOIN branches_community c ON c.id = m.community_id
    WHERE m.state = 'active'
    ORDER BY o.path, m.full_name, m.id
"""


def _vary_members() -> None:
    """The scale seed leaves the choice fields at their defaults; spread them so every label
    of the export is looked up, and give phones to mask."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE members_member SET
              gender = (ARRAY['male', 'female'])[id % 2 + 1],
              education = (ARRAY['undergraduate', 'high_school', 'postgraduate', ''])[id % 4 + 1],
              phone = '139' || lpad(id::text, 8, '0'),
              in_hardship = id % 17 = 0
            """
        )


def test_district_roster_export_beside_its_sql_floor(timer):
    if connection.vendor != "postgresql":
        pytest.skip("measured on PostgreSQL")
    started = time.perf_counter()
    build(ScaleShape())
    _vary_members()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as seed_scale does after its bulk load
    members = Member.objects.filter(state="active").count()
    timer.record("seed", members=members, seconds=time.perf_counter() - started)
    user = UserFactory(username="bench_roster_super", is_superuser=True, is_staff=True)
    client = signed_in(user)
    session = client.session
    session[sessions.PASSWORD_CONFIRMED] = time.time() + 3600  # the export asks for it
    session.save()

    def export(name: str = "staff:member-export") -> None:
        response = client.get(reverse(name))
        assert response.status_code == 200, response.status_code
        b"".join(response.streaming_content) if response.streaming else response.content

    def sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(ROSTER)
            cursor.fetchall()

    with CaptureQueriesContext(connection) as captured:
        export()
    rounds = int(os.environ.get("BENCH_EXPORT_ROUNDS", "3"))
    timer.record("queries", xlsx=len(captured.captured_queries), rows=members)
    xlsx = alternate(export, sql, rounds)
    timer.record("roster XLSX", **xlsx, load_average=os.getloadavg()[0])
    print(f"  XLSX {xlsx['page_median_ms']:.0f} ms (goal < {GOAL_MS}): ", end="")
    print("ok" if xlsx["page_median_ms"] < GOAL_MS else "MISSED")
    try:
        reverse("staff:member-export-csv")
    except NoReverseMatch:
        return  # a revision before the CSV export
    csv = alternate(lambda: export("staff:member-export-csv"), sql, rounds)
    timer.record("roster CSV", **csv, load_average=os.getloadavg()[0])
    print(f"  CSV {csv['page_median_ms']:.0f} ms (goal < {GOAL_MS}): ", end="")
    print("ok" if csv["page_median_ms"] < GOAL_MS else "MISSED")
    # The verdicts above, asserted once both are printed (the summary then says MISSED).
    assert xlsx["page_median_ms"] < GOAL_MS and csv["page_median_ms"] < GOAL_MS, (xlsx, csv)
