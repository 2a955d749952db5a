from __future__ import annotations

import datetime as dt

import pytest

from branches.models import Organization, OrganizationEvent
from committees.models import CommitteeTerm
from members.models import Member
from tests.access import assert_access
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = "2026-06-10"  # a Wednesday in mid-quarter: Django's clock is held on it below


@pytest.fixture(autouse=True)
def _held_clock(clock):
    clock.set(dt.date.fromisoformat(TODAY), 10)


def state():
    return (
        list(Organization.objects.values_list("pk", "path", "name", "kind", "status")),
        list(Member.objects.values_list("pk", "organization_id")),
        OrganizationEvent.objects.count(),
        CommitteeTerm.objects.count(),
    )


def test_found_through_the_api_access_matrix(clients, work_committee):
    data = {
        "parent": work_committee.pk,
        "name": "新建社区党支部",
        "kind": "branch",
        "sector": "community",
        "founded_on": TODAY,
    }
    assert_access(
        clients,
        "/api/v1/organizations/",
        {"anonymous": 403, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 201},
        method="post",
        data=data,
        content_type="application/json",
        snapshot=state,
    )
    created = Organization.objects.get(name="新建社区党支部")
    assert created.get_parent() == work_committee


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("rename", {"name": "改名支部", "on": TODAY}),
        ("change-kind", {"kind": "general_branch", "on": TODAY}),
        ("dissolve", {"on": TODAY}),
    ],
)
def test_restructuring_actions_access_matrix(clients, other_branch, action, payload):
    assert_access(
        clients,
        f"/api/v1/organizations/{other_branch.pk}/{action}/",
        {"anonymous": 403, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
        method="post",
        data=payload,
        content_type="application/json",
        snapshot=state,
    )


def test_merge_through_the_api(clients, branch, other_branch):
    MemberFactory(organization=branch)
    response = clients["staff"].post(
        f"/api/v1/organizations/{branch.pk}/merge/",
        {"others": [other_branch.pk], "new_name": "合并后支部", "on": TODAY},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "合并后支部"
    history = clients["staff"].get(f"/api/v1/organizations/{branch.pk}/history/").json()
    assert history[0]["kind"] == "merged_into"


def test_a_broken_rule_is_400_with_the_field_and_a_chinese_message(clients, party_group, branch):
    before = state()
    response = clients["staff"].post(
        f"/api/v1/organizations/{party_group.pk}/move/",
        {"parent": branch.get_parent().pk, "on": TODAY},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "不能设在" in body["detail"]
    assert "parent" in body
    assert state() == before


def test_an_id_out_of_scope_reads_as_missing(clients, branch, other_sub_district_branch):
    before = state()
    response = clients["staff"].post(
        f"/api/v1/organizations/{branch.pk}/merge/",
        {"others": [other_sub_district_branch.pk], "new_name": "越界", "on": TODAY},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "others" in response.json()
    assert state() == before
    response = clients["staff"].post(
        f"/api/v1/organizations/{other_sub_district_branch.pk}/rename/",
        {"name": "越界", "on": TODAY},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_wrong_types_are_refused(clients, branch):
    response = clients["staff"].post(
        f"/api/v1/organizations/{branch.pk}/rename/",
        {"name": "", "on": "yesterday"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"name", "on", "detail"}


def test_tree_as_of_a_date(clients, branch):
    response = clients["secretary"].get("/api/v1/organizations/as-of/", {"on": "2000-01-01"})
    assert response.status_code == 200
    assert response.json()["results"] == []
    response = clients["secretary"].get("/api/v1/organizations/as-of/", {"on": "bad"})
    assert response.status_code == 400


def test_structure_endpoint(clients, branch):
    MemberFactory(organization=branch)
    data = clients["secretary"].get(f"/api/v1/organizations/{branch.pk}/structure/").json()
    assert data["full_members"] == 1
    assert [w["code"] for w in data["warnings"]] == ["too_few_full_members"]


def test_schema_has_no_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
