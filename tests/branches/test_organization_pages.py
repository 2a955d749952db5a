from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access import assert_access
from tests.branches.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organization_list_access_matrix(clients):
    assert_access(
        clients,
        reverse("staff:organization-list"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_secretary_sees_only_their_branch_in_the_list(clients, branch, other_branch, party_group):
    body = clients["secretary"].get(reverse("staff:organization-list")).content.decode()
    assert branch.name in body
    assert party_group.name in body
    assert other_branch.name not in body


def test_organization_detail_access_matrix(clients, branch):
    assert_access(
        clients,
        reverse("staff:organization-detail", args=[branch.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_staff_of_one_sub_district_gets_404_for_another(clients, other_sub_district_branch):
    url = reverse("staff:organization-detail", args=[other_sub_district_branch.pk])
    assert clients["staff"].get(url).status_code == 404


def test_dashboard_access_matrix(clients):
    assert_access(
        clients,
        reverse("staff:dashboard"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_dashboard_shows_only_the_secretarys_organisations(clients, branch, other_branch):
    body = clients["secretary"].get(reverse("staff:dashboard")).content.decode()
    assert branch.name in body
    assert other_branch.name not in body
    assert "工作台" in body


def test_list_search_and_kind_filter(clients, branch, other_branch):
    url = reverse("staff:organization-list")
    body = clients["staff"].get(url, {"q": "天路"}).content.decode()
    assert other_branch.name in body and branch.name not in body
    body = clients["staff"].get(url, {"q": "不存在的名字"}).content.decode()
    assert "没有符合条件的党组织" in body
    body = clients["staff"].get(url, {"kind": "work_committee"}).content.decode()
    assert "如意湖党工委" in body and branch.name not in body


def test_list_is_paginated(clients, work_committee):
    for i in range(55):
        OrganizationFactory(parent=work_committee, name=f"分页测试支部{i:02d}")
    url = reverse("staff:organization-list")
    first = clients["staff"].get(url)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(first.context["organizations"]) == 50
    second = clients["staff"].get(url, {"page": 2})
    assert second.status_code == 200


def test_list_query_count_does_not_grow_with_rows(
    clients, work_committee, django_assert_max_num_queries
):
    url = reverse("staff:organization-list")
    client = clients["staff"]
    client.get(url)  # warm the session
    # 9: one is django-otp's look-up of the session's verified device (two-factor sign-in).
    with django_assert_max_num_queries(9) as few:
        client.get(url)
    for i in range(30):
        OrganizationFactory(parent=work_committee, name=f"批量支部{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_dashboard_query_count_does_not_grow(
    clients, work_committee, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the build, not the cached summary
    client = clients["staff"]
    client.get(reverse("staff:dashboard"))
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("staff:dashboard"))
    for i in range(20):
        OrganizationFactory(parent=work_committee, name=f"看板支部{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("staff:dashboard"))
    assert response.context["problem_count"] >= 20
