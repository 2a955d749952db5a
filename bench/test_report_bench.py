"""The quarterly report pack of one sub-district of the seed_scale district (30,000 members,
3,000 organisations, 3 years of meetings): time and peak memory of the figures and of each
writer, against the floor of the same headline figures computed by hand-written SQL."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from django.db import connection
from test_compliance_bench import three_years_of_meetings

from branches.models import SubDistrict
from demo import scale
from reports.figures import build_figures
from reports.scope import ReportScope
from reports.services import last_finished_quarter
from reports.writers import WRITERS

pytestmark = pytest.mark.django_db

FLOOR_SQL = """
SELECT
  (SELECT count(*) FROM branches_organizationperiod p
     JOIN branches_organization o ON o.id = p.organization_id
   WHERE o.sub_district_id = %(sd)s AND p.valid_from <= %(end)s
     AND (p.valid_to IS NULL OR p.valid_to > %(end)s) AND p.kind = 'branch'),
  (SELECT count(*) FROM members_member m
     JOIN branches_organization o ON o.id = m.organization_id
   WHERE o.sub_district_id = %(sd)s AND m.joined_on <= %(end)s AND m.state = 'active'),
  (SELECT count(*) FROM activities_meeting a
     JOIN branches_organization o ON o.id = a.organization_id
   WHERE o.sub_district_id = %(sd)s AND a.status = 'held'
     AND a.held_on BETWEEN %(start)s AND %(end)s)
"""


def test_quarterly_report_at_district_scale(timer, django_assert_max_num_queries):
    scale.build()
    three_years_of_meetings()
    sub_district = (
        SubDistrict.objects.filter(district__name=scale.SCALE_DISTRICT).order_by("pk").first()
    )
    scope = ReportScope(sub_district=sub_district)
    year, number = last_finished_quarter()
    # A bounded number of queries, whatever the size of the sub-district.
    with django_assert_max_num_queries(60):
        figures = build_figures(scope, year, number)
    timer.measure("figures (ORM aggregates)", lambda: build_figures(scope, year, number), repeat=5)

    from config.periods import quarter

    period = quarter(year, number)

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                FLOOR_SQL, {"start": period.start, "end": period.end, "sd": sub_district.pk}
            )
            cursor.fetchone()

    timer.measure("floor: headline figures in hand-written SQL", floor, repeat=5)
    meta = {"version": "1", "generated_at": "bench", "generated_by": "bench"}
    for name, write in WRITERS.items():
        timer.measure(f"write {name}", lambda w=write: w(figures, io.BytesIO(), meta), repeat=5)

    tracemalloc.start()
    started = time.perf_counter()
    figures = build_figures(scope, year, number)
    for write in WRITERS.values():
        write(figures, io.BytesIO(), meta)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    branches = len(
        next(s for s in figures["sections"] if s["key"] == "organisational_life")["tables"][0][
            "rows"
        ]
    )
    timer.record(
        "whole pack, three formats",
        seconds=elapsed,
        peak_python_memory_mb=peak / 1_048_576,
        branches=branches,
    )
    assert branches > 50
