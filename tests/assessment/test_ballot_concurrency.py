from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.db import connection

from assessment.models import Rating, RepresentativeTurnout
from assessment.services import year_end
from tests.assessment.conftest import TODAY
from tests.parallel import run_together


@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_by_the_same_representative_count_once(
    sub_district, branch, other_branch, staff
):
    if connection.vendor != "postgresql":
        pytest.skip("the unique turnout row under real concurrency needs PostgreSQL")
    assessment_round = year_end.open_round(
        sub_district=sub_district,
        year=2026,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=3),
        representatives=[staff],
        actor=staff,
    )
    grades = {pk: "good" for pk in assessment_round.branches.values_list("pk", flat=True)}
    calls = [
        partial(year_end.cast_rating, assessment_round=assessment_round, voter=staff, grades=grades)
        for _ in range(4)
    ]

    outcomes = run_together(calls)

    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == 3
    assert all(isinstance(o, year_end.AlreadyRated) for o in refusals)
    assert RepresentativeTurnout.objects.count() == 1
    assert Rating.objects.count() == 2
