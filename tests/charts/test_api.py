"""The charts' API: who may read it, the same figures and scope as the page's JSON, the year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from charts.figures import CHARTS
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def today(clock):
    clock.set(TODAY)
    return TODAY


def test_chart_api_answers_by_role(clients, today):
    for url in (reverse("chart-list"), reverse("chart-detail", args=["members-gender"])):
        assert_access(
            clients,
            url,
            {
                "anonymous": 403,
                "resident": 403,
                "other_secretary": 200,
                "secretary": 200,
                "staff": 200,
            },
        )


def test_chart_api_lists_every_chart(clients, today):
    found = clients["staff"].get(reverse("chart-list"), {"year": 2025}).json()
    assert [row["key"] for row in found] == list(CHARTS)
    assert found[0]["url"].endswith(f"/api/v1/charts/{found[0]['key']}/?year=2025")


def test_chart_api_gives_the_page_figures_in_the_callers_scope(
    clients, today, branch, other_branch, other_sub_district_branch
):
    MemberFactory.create_batch(3, organization=branch, gender="female")
    MemberFactory.create_batch(2, organization=other_branch, gender="male")
    MemberFactory.create_batch(4, organization=other_sub_district_branch, gender="male")
    for role, total in (("secretary", 3), ("other_secretary", 2), ("staff", 5)):
        api = clients[role].get(reverse("chart-detail", args=["members-gender"]), {"year": 2026})
        page = clients[role].get(reverse("staff:chart-data", args=["members-gender"]))
        assert api.json() == page.json()
        assert sum(row[1] for row in api.json()["rows"]) == total


def test_chart_api_unknown_chart_is_404(clients, today):
    response = clients["staff"].get(reverse("chart-detail", args=["no-such-chart"]))
    assert response.status_code == 404
    assert response.json()  # a JSON message, not an HTML page
