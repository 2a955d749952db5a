from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from branches.models import Organization, OrganizationEvent
from committees.models import CommitteeTerm
from members.models import Member
from tests.access import assert_access
from tests.branches.factories import OrganizationFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Organization.objects.values_list("pk", "path", "name", "kind", "status")),
        list(Member.objects.values_list("pk", "organization_id")),
        OrganizationEvent.objects.count(),
        CommitteeTerm.objects.count(),
    )


READ_PAGES = ["staff:organization-tree", "staff:structure-health"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_read_pages_access_matrix(clients, name):
    assert_access(
        clients,
        reverse(name),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


ACTIONS = [
    "organization-found",
    "organization-rename",
    "organization-change-kind",
    "organization-move",
    "organization-merge",
    "organization-split",
    "organization-dissolve",
]


@pytest.mark.parametrize("name", ACTIONS)
def test_restructuring_pages_are_for_staff_only(clients, branch, name):
    url = reverse(f"staff:{name}", args=[branch.pk])
    expected = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 403,
        "secretary": 403,
        "staff": 200,
    }
    assert_access(clients, url, expected)
    post_expected = {**expected, "staff": 200}
    assert_access(clients, url, post_expected, method="post", data={}, snapshot=state)


@pytest.mark.parametrize("name", ACTIONS)
def test_staff_of_another_sub_district_gets_404(clients, other_sub_district_branch, name):
    url = reverse(f"staff:{name}", args=[other_sub_district_branch.pk])
    assert clients["staff"].get(url).status_code == 404


def test_committee_pages_access_matrix(clients, branch):
    url = reverse("staff:committee-term-new", args=[branch.pk])
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_tree_rolls_member_counts_up_and_flags_problems(
    clients, work_committee, branch, party_group
):
    MemberFactory(organization=branch, party_group=party_group)
    MemberFactory(organization=branch, status="probationary", confirmed_on=None)
    url = reverse("staff:organization-tree")
    body = clients["staff"].get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    committee_node = _node(body, work_committee)
    assert "1 full · 1 probationary" in committee_node
    branch_node = _node(body, branch)
    assert "1 full · 1 probationary" in branch_node
    assert branch_node.count("badge text-bg-warning") == 1
    assert "Fewer than 3 full members" in branch_node


def _node(body: str, organization: Organization) -> str:
    """The rendered line of one organisation in the tree (its link up to the next line)."""
    start = body.index(f'{organization.pk}/">{organization.name}</a>')
    ends = [i for i in (body.find("<li", start), body.find("</li>", start)) if i != -1]
    return body[start : min(ends)]


def test_tree_query_count_does_not_grow(
    clients, work_committee, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the build, not the cached tree
    client = clients["staff"]
    url = reverse("staff:organization-tree")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(25):
        branch = OrganizationFactory(parent=work_committee, name=f"支部{i}")
        MemberFactory(organization=branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_health_page_query_count_does_not_grow(
    clients, work_committee, django_assert_max_num_queries
):
    client = clients["staff"]
    url = reverse("staff:structure-health")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(25):
        OrganizationFactory(parent=work_committee, name=f"支部{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["flagged"]) >= 25


def test_health_page_filters_by_problem(clients, branch):
    response = clients["staff"].get(reverse("staff:structure-health"), {"code": "election_overdue"})
    assert response.context["flagged"] == []
    response = clients["staff"].get(
        reverse("staff:structure-health"), {"code": "too_few_full_members"}
    )
    assert branch.pk in [org.pk for org, _ in response.context["flagged"]]


def test_secretary_sees_only_their_part_of_the_tree(clients, branch, other_branch):
    body = clients["secretary"].get(reverse("staff:organization-tree")).content.decode()
    assert branch.name in body and other_branch.name not in body


def test_tree_of_a_past_date_and_bad_dates(clients, branch):
    client = clients["staff"]
    response = client.get(reverse("staff:organization-tree"), {"on": "not-a-date"})
    assert response.context["date_error"] == "invalid"
    response = client.get(reverse("staff:organization-tree"), {"on": "2999-01-01"})
    assert response.context["date_error"] == "future"
    response = client.get(reverse("staff:organization-tree"), {"on": "2000-01-01"})
    assert response.context["historical"] is True


def test_staff_merge_two_branches_from_the_page(clients, branch, other_branch, staff):
    MemberFactory(organization=branch)
    MemberFactory(organization=other_branch)
    url = reverse("staff:organization-merge", args=[branch.pk])
    response = clients["staff"].post(
        url,
        {
            "others": [other_branch.pk],
            "mode": "new",
            "new_name": "商务区社区党支部",
            "on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    merged = Organization.objects.get(name="商务区社区党支部")
    assert response["Location"] == reverse("staff:organization-detail", args=[merged.pk])
    assert Member.objects.filter(organization=merged).count() == 2
    body = clients["staff"].get(response["Location"]).content.decode()
    assert branch.name in body and other_branch.name in body
    assert AuditEntry.objects.filter(action="organization.merged", actor=staff).exists()


def test_a_refused_merge_shows_the_rule_and_writes_nothing(clients, branch, party_group):
    url = reverse("staff:organization-merge", args=[branch.pk])
    before = state()
    response = clients["staff"].post(
        url, {"others": [], "mode": "new", "new_name": "", "on": "2999-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert state() == before


def test_rename_with_a_date_before_history_is_refused_with_a_message(clients, work_committee):
    from branches.services.tree import found_organization

    org = found_organization(
        sub_district=work_committee.sub_district,
        parent=work_committee,
        name="新支部",
        kind="branch",
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )
    before = state()
    response = clients["staff"].post(
        reverse("staff:organization-rename", args=[org.pk]), {"name": "改名", "on": "2019-01-01"}
    )
    assert response.status_code == 200
    assert "倒填" in response.content.decode()
    assert state() == before
