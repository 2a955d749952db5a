from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from activities.models import Talk
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(clock):
    clock.set(dt.date(2026, 12, 10))


@pytest.fixture
def pair(branch):
    return MemberFactory(organization=branch, full_name="甲"), MemberFactory(
        organization=branch, full_name="乙"
    )


def test_talk_pages_answer_by_role(clients, branch, pair):
    assert_access(
        clients,
        reverse("staff:talk-list"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    assert_access(
        clients,
        reverse("staff:talk-new", args=[branch.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_secretary_records_a_talk_and_sees_the_pairs_met(clients, branch, pair):
    data = {
        "first": pair[0].pk,
        "second": pair[1].pk,
        "held_on": "2026-05-01",
        "form": "face_to_face",
        "topic": "思想交流",
    }
    for role, status in [("anonymous", 302), ("resident", 403), ("other_secretary", 404)]:
        assert (
            clients[role].post(reverse("staff:talk-new", args=[branch.pk]), data).status_code
            == status
        )
    assert not Talk.objects.exists()
    response = clients["secretary"].post(reverse("staff:talk-new", args=[branch.pk]), data)
    assert response.status_code == 302
    assert Talk.objects.get().topic == "思想交流"
    page = clients["secretary"].get(reverse("staff:talk-list") + "?year=2026").content.decode()
    assert "思想交流" in page


def test_a_future_talk_is_refused_on_the_form(clients, branch, pair):
    data = {
        "first": pair[0].pk,
        "second": pair[1].pk,
        "held_on": "2026-12-11",
        "form": "phone",
        "topic": "x",
    }
    response = clients["secretary"].post(reverse("staff:talk-new", args=[branch.pk]), data)
    assert response.status_code == 200
    assert not Talk.objects.exists()


def test_talk_list_query_count_does_not_grow(
    clients, branch, other_branch, pair, django_assert_max_num_queries
):
    for i in range(10):
        MemberFactory(organization=other_branch, full_name=f"丙{i}")
    with django_assert_max_num_queries(20):
        response = clients["staff"].get(reverse("staff:talk-list"))
    assert response.status_code == 200


def test_talk_api_is_scoped_and_records(clients, branch, pair):
    data = {
        "organization": branch.pk,
        "first": pair[0].pk,
        "second": pair[1].pk,
        "held_on": "2026-05-01",
        "form": "phone",
        "topic": "电话谈心",
    }
    refused = clients["other_secretary"].post(
        "/api/v1/talks/", data, content_type="application/json"
    )
    assert refused.status_code == 400
    assert not Talk.objects.exists()
    made = clients["secretary"].post("/api/v1/talks/", data, content_type="application/json")
    assert made.status_code == 201, made.content
    listed = clients["other_secretary"].get("/api/v1/talks/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows == []
    future = {**data, "held_on": "2027-01-01"}
    assert (
        clients["secretary"]
        .post("/api/v1/talks/", future, content_type="application/json")
        .status_code
        == 400
    )


def test_talk_compliance_api_lists_missing_people_in_scope(clients, branch, pair):
    response = clients["secretary"].get("/api/v1/talks/compliance/?year=2026")
    assert response.status_code == 200
    rows = response.json()["branches"]
    assert [row["organization"] for row in rows] == [branch.pk]
    assert sorted(rows[0]["silent"]) == sorted(m.pk for m in pair)
    assert clients["resident"].get("/api/v1/talks/compliance/").status_code == 403
