from __future__ import annotations

import json

import pytest

from members.models import Member
from tests.access import assert_access
from tests.members.factories import MemberFactory, valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(branch):
    return MemberFactory(organization=branch, id_number=valid_id(41), phone="13912345678")


def test_member_list_api_access_matrix(clients, member):
    assert_access(
        clients,
        "/api/v1/members/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_member_detail_api_access_matrix(clients, member):
    assert_access(
        clients,
        f"/api/v1/members/{member.pk}/",
        {"anonymous": 403, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_api_never_returns_a_full_id_number(clients, member):
    for url in ("/api/v1/members/", f"/api/v1/members/{member.pk}/"):
        text = clients["staff"].get(url).content.decode()
        assert valid_id(41) not in text and member.id_number_masked in text
    listing = clients["staff"].get("/api/v1/members/").json()
    assert listing["results"][0]["phone_masked"] == "139****5678"
    assert "phone" not in listing["results"][0]


def test_other_secretary_sees_an_empty_list(clients, member):
    assert clients["other_secretary"].get("/api/v1/members/").json()["count"] == 0


def test_create_through_the_api(clients, branch):
    payload = {
        "organization": branch.pk,
        "full_name": "接口党员",
        "id_number": valid_id(42),
        "birth_date": "1980-05-01",
        "joined_on": "2005-07-01",
        "status": "full",
    }
    response = clients["secretary"].post(
        "/api/v1/members/", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert valid_id(42) not in response.content.decode()
    assert Member.objects.filter(full_name="接口党员").exists()


def test_api_refuses_bad_id_with_400_and_duplicate_with_409(clients, branch, member):
    base = {
        "organization": branch.pk,
        "full_name": "x",
        "status": "full",
        "joined_on": "2005-07-01",
    }
    bad = clients["staff"].post(
        "/api/v1/members/",
        {**base, "id_number": "990000198005010010"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "id_number" in bad.json()
    duplicate = clients["staff"].post(
        "/api/v1/members/", {**base, "id_number": valid_id(41)}, content_type="application/json"
    )
    assert duplicate.status_code == 409 and "id_number" in duplicate.json()
    assert Member.objects.count() == 1


def test_secretary_cannot_create_in_another_branch_through_the_api(clients, other_branch):
    response = clients["secretary"].post(
        "/api/v1/members/",
        json.dumps(
            {
                "organization": other_branch.pk,
                "full_name": "x",
                "status": "full",
                "id_number": valid_id(43),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400 and not Member.objects.exists()


def test_members_cannot_be_deleted_through_the_api(clients, member):
    assert clients["staff"].delete(f"/api/v1/members/{member.pk}/").status_code in (403, 405)
    assert Member.objects.filter(pk=member.pk).exists()
