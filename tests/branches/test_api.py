from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.access import assert_access

pytestmark = pytest.mark.django_db


def test_organization_list_api_access_matrix(clients):
    assert_access(
        clients,
        "/api/v1/organizations/",
        {"anonymous": 403, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_organization_detail_api_access_matrix(clients, branch):
    assert_access(
        clients,
        f"/api/v1/organizations/{branch.pk}/",
        {"anonymous": 403, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_api_lists_only_rows_in_scope_with_parent_ids(clients, branch, party_group, other_branch):
    data = clients["secretary"].get("/api/v1/organizations/").json()
    assert data["count"] == 2
    by_name = {row["name"]: row for row in data["results"]}
    assert set(by_name) == {branch.name, party_group.name}
    assert by_name[party_group.name]["parent"] == branch.pk
    assert by_name[branch.name]["kind_display"] == "党支部"


def test_api_errors_are_json_in_chinese(clients, other_sub_district_branch):
    response = clients["staff"].get(f"/api/v1/organizations/{other_sub_district_branch.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    response = clients["anonymous"].get("/api/v1/organizations/")
    assert response["Content-Type"].startswith("application/json")
    assert "身份认证信息未提供" in response.json()["detail"]


def test_organisations_cannot_be_deleted_through_the_api(clients, branch, superuser):
    from django.test import Client

    from branches.models import Organization

    assert clients["staff"].delete(f"/api/v1/organizations/{branch.pk}/").status_code == 403
    root = Client()
    root.force_login(superuser)
    assert root.delete(f"/api/v1/organizations/{branch.pk}/").status_code == 405
    assert Organization.objects.filter(pk=branch.pk).exists()


def test_token_authentication(secretary, branch):
    token = Token.objects.create(user=secretary)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["roles"] == ["secretary"]


def test_list_api_query_count_does_not_grow(clients, work_committee, django_assert_max_num_queries):
    from tests.branches.factories import OrganizationFactory

    client = clients["staff"]
    client.get("/api/v1/organizations/")
    # One more than before two-factor sign-in: django-otp loads the session's device.
    with django_assert_max_num_queries(9) as few:
        client.get("/api/v1/organizations/")
    for i in range(20):
        OrganizationFactory(parent=work_committee, name=f"接口支部{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/organizations/")


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/organizations/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
