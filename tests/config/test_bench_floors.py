"""The load bench's SQL floors (config/bench.py) run on the current schema and count what the
pages count: a floor that errors or reads another table would make every ratio meaningless."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory

from config import bench
from tests.activities.factories import MeetingFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the floors are PostgreSQL SQL, as the bench is"
)
def test_every_page_has_a_floor_and_each_runs(sub_district, branch, party_group, clock):
    MemberFactory(organization=branch)
    MemberFactory(organization=party_group)
    MeetingFactory(organization=branch, held_on=clock.today - dt.timedelta(days=1))
    assert set(bench.FLOORS) == {"compliance", "dashboard", "members", "tree"}
    request = RequestFactory().get("/", {"sub_district": sub_district.pk})
    for page in bench.FLOORS:
        response = bench.floor_sql(request, page)
        assert response.status_code == 200, page
    params = {"sd": sub_district.pk}
    with connection.cursor() as cursor:
        cursor.execute(bench.FLOORS["members"][0], params)
        assert cursor.fetchone()[0] == 2
