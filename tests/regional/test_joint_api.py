from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from regional.models import Need, Project, TopicSubmission
from tests.access import assert_access
from tests.regional import joint_setup

API = "/api/v1"
STAFF_ONLY = {
    "anonymous": 403,
    "resident": 403,
    "other_secretary": 403,
    "secretary": 403,
    "staff": 200,
}
READERS = {
    "anonymous": 403,
    "resident": 403,
    "other_secretary": 200,
    "secretary": 200,
    "staff": 200,
}


@pytest.fixture
def w(db, sub_district, branch):
    return joint_setup.build(sub_district, branch)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_read_endpoints_access_matrix(clients, w):
    assert_access(clients, f"{API}/joint-meetings/", STAFF_ONLY)
    assert_access(clients, f"{API}/joint-meetings/{w.meeting.pk}/", STAFF_ONLY)
    assert_access(clients, f"{API}/unit-evaluations/", STAFF_ONLY)
    for path in ("needs", "resources", "projects", "action-items"):
        assert_access(clients, f"{API}/{path}/", READERS)
    assert clients["staff"].get(f"{API}/needs/{w.other_need.pk}/").status_code == 404


def test_liaison_reads_only_their_scope(w):
    client = as_user(w.liaison)
    assert [m["id"] for m in client.get(f"{API}/joint-meetings/").json()["results"]] == [
        w.meeting.pk
    ]
    assert [n["id"] for n in client.get(f"{API}/needs/").json()["results"]] == [w.need.pk]
    assert client.get(f"{API}/needs/{w.other_need.pk}/").status_code == 404


def test_topic_via_api_for_own_unit_only(clients, w):
    url = f"{API}/joint-meetings/{w.meeting.pk}/topics/"
    data = {"unit": w.unit.pk, "title": "议题"}
    assert_access(
        clients,
        url,
        {"anonymous": 403, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 403},
        method="post",
        data=json.dumps(data),
        content_type="application/json",
        snapshot=joint_setup.snapshot,
    )
    assert post(as_user(w.second_liaison), url, data).status_code == 400
    assert post(as_user(w.liaison), url, data).status_code == 201
    assert TopicSubmission.objects.count() == 1


def test_claim_race_loser_gets_409_and_community_confirms(clients, w):
    deadline = (w.today + dt.timedelta(days=5)).isoformat()
    url = f"{API}/needs/{w.need.pk}/claim/"
    liaison = as_user(w.liaison)  # before the snapshot: a login writes an audit entry
    before = joint_setup.snapshot()
    assert (
        post(clients["resident"], url, {"claimer": w.unit.pk, "deadline": deadline}).status_code
        == 403
    )
    assert (
        post(liaison, url, {"claimer": w.second_unit.pk, "deadline": deadline}).status_code == 400
    )
    assert post(liaison, url, {"claimer": w.unit.pk, "deadline": "bad"}).status_code == 400
    assert joint_setup.snapshot() == before
    assert (
        post(as_user(w.liaison), url, {"claimer": w.unit.pk, "deadline": deadline}).status_code
        == 201
    )
    # Staff may claim on behalf of a unit; the need is gone: 409 with a message.
    response = post(clients["staff"], url, {"claimer": w.second_unit.pk, "deadline": deadline})
    assert response.status_code == 409
    project = Project.objects.get()
    confirm = f"{API}/projects/{project.pk}/confirm/"
    assert post(as_user(w.liaison), confirm, {}).status_code == 403
    assert post(clients["other_secretary"], confirm, {}).status_code == 404
    assert post(clients["secretary"], confirm, {}).status_code == 200
    assert Need.objects.get(pk=w.need.pk).status == "closed"


def test_secretary_adds_a_need_for_their_community_only(clients, w):
    data = {
        "committee": w.committee.pk,
        "community": w.community.pk,
        "title": "助学",
        "source": "residents",
    }
    assert post(clients["other_secretary"], f"{API}/needs/", data).status_code == 400
    assert post(clients["secretary"], f"{API}/needs/", data).status_code == 201
    assert post(clients["secretary"], f"{API}/needs/", {**data, "title": ""}).status_code == 400
