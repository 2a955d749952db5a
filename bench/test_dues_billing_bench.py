"""Billing a month for `seed_scale`'s district (≈ 30,000 members) beside a hand-written
INSERT … SELECT floor. PostgreSQL only.

Each round deletes the month's bills and bills it again, once with `dues.services.billing`
(the roll of the month's first day with transfers and the sub-district's join rule, the base in
force, the rule table's bracket, then the re-pricing UPDATE) and once with the floor (members on
the roll joined to their open base and its bracket, nothing else), A B A B
(`BENCH_ROUNDS`, default 5); the figure is the median of the per-round ratios. Then a second run
of the same month (idempotent: nothing inserted, nothing re-priced) and the staff overview's
figures for every branch."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from django.utils import timezone

from bench.test_uncached_pages_bench import alternate
from branches.models import Organization
from demo.scale import ScaleShape, build
from dues import figures
from dues.services.billing import bill_month

pytestmark = pytest.mark.django_db

BASES = """
    INSERT INTO dues_duesbase (member_id, category, amount, started_on, note, created_at)
    SELECT m.id,
           (ARRAY['in_service', 'in_service', 'retired', 'low_income', 'farmer'])[m.id % 5 + 1],
           CASE WHEN m.id % 5 IN (0, 1) THEN 2500 + (m.id % 97) * 100
                WHEN m.id % 5 = 2 THEN 3000 + (m.id % 31) * 100 ELSE 0 END,
           DATE '2000-01-01', '', now()
      FROM members_member m
"""

FLOOR = """
    INSERT INTO dues_duesbill (member_id, organization_id, month, base_id, category,
                               base_amount, amount_due, reference, created_at, updated_at)
    SELECT m.id, m.organization_id, %(month)s, b.id, b.category, b.amount,
           COALESCE(r.flat_amount, ROUND(b.amount * r.rate, 2)),
           'DF' || to_char(%(month)s::date, 'YYMM') || lpad(m.id::text, 8, '0'), now(), now()
      FROM members_member m
      JOIN dues_duesbase b ON b.member_id = m.id AND b.ended_on IS NULL
      JOIN dues_duesrate r ON r.category = b.category
       AND (r.lower_bound IS NULL OR b.amount > r.lower_bound)
       AND (r.upper_bound IS NULL OR b.amount <= r.upper_bound)
     WHERE m.roll_from <= %(month)s AND m.roll_until > %(month)s
    ON CONFLICT (member_id, month) DO NOTHING
"""


def test_billing_a_month_beside_its_floor(timer):
    if connection.vendor != "postgresql":
        pytest.skip("measured on PostgreSQL")
    started = time.perf_counter()
    build(ScaleShape())
    with connection.cursor() as cursor:
        cursor.execute(BASES)
        cursor.execute("ANALYZE")
    timer.record("seed", seconds=time.perf_counter() - started)
    month = timezone.localdate().replace(day=1)

    def clear() -> None:
        # In both timings alike: one DELETE of the month's bills (no payments in the bench).
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM dues_duesbill WHERE month = %s", [month])

    def portal() -> None:
        clear()
        bill_month(month)

    def floor() -> None:
        clear()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR, {"month": month})

    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    result = alternate(portal, floor, rounds)
    clear()
    created, _ = bill_month(month)
    timer.record("billing vs floor", bills=created, **result)
    start = time.perf_counter()
    assert bill_month(month) == (0, 0)
    timer.record("second run (idempotent)", ms=(time.perf_counter() - start) * 1000)
    branches = list(Organization.objects.filter(kind="branch").values_list("pk", flat=True))
    timer.measure(
        "overview figures, every branch",
        lambda: figures.branch_figures(branches, month, month, timezone.localdate()),
        repeat=5,
    )
    assert result["median_ratio"] < 5
