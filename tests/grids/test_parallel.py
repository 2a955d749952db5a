"""The 联系户 limit holds when several assignments for one member arrive at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from accounts.errors import DomainError
from grids import services
from grids.models import ContactAssignment
from tests.grids.conftest import make_household
from tests.parallel import run_together

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 8
START = dt.date(2025, 1, 1)


def test_contact_limit_holds_under_parallel_requests(clock, grid, member, staff):
    clock.set(dt.date(2026, 3, 16))
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    homes = [make_household(grid, address=f"{n}号楼") for n in range(PARALLEL)]

    def assign(home):  # noqa: ANN001, ANN202
        return lambda: services.assign_contact(
            member=member, household=home, actor=staff, started_on=START
        )

    outcomes = run_together([assign(h) for h in homes])
    assert ContactAssignment.objects.filter(member=member).count() == 5
    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == PARALLEL - 5
    assert all(isinstance(o, DomainError) for o in refusals), refusals
