"""Phones encrypted at rest, masked everywhere, revealed only with the permission and an audit
entry; scope: a grid worker sees only their grid, a secretary their community, staff their
sub-district."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from grids.models import ContactAssignment, Household, HouseholdVisit
from tests.access import assert_access
from tests.accounts.factories import UserFactory
from tests.grids.conftest import DAY, make_household

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _held(clock):
    clock.set(DAY)


def test_phone_is_encrypted_at_rest_and_masked(grid, staff):
    from grids import services

    home = services.save_household(
        actor=staff, grid=grid, fields={"address": "1-101", "contact_name": "赵大爷"}, phone=PHONE
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM grids_household WHERE id = %s", [home.pk])
        row = cursor.fetchone()
    assert not any(PHONE in str(value) for value in row)
    assert home.phone_masked == "139****5678"


def test_bad_phone_is_refused_and_nothing_written(grid, staff):
    from grids import services

    with pytest.raises(services.GridRefused):
        services.save_household(
            actor=staff, grid=grid, fields={"address": "1-101", "contact_name": "赵"}, phone="12ab"
        )
    assert not Household.objects.exists()


def test_pages_and_api_show_only_the_masked_phone(clients, grid):
    home = make_household(grid, phone=PHONE)
    for url in (
        reverse("staff:grid-household-list"),
        reverse("staff:grid-household-detail", args=[home.pk]),
        "/api/v1/households/",
    ):
        body = clients["staff"].get(url).content.decode()
        assert "139****5678" in body
        assert PHONE not in body


def test_reveal_needs_the_permission_and_is_audited(clients, grid, staff):
    home = make_household(grid, phone=PHONE)
    url = reverse("staff:grid-household-reveal", args=[home.pk])
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
        method="post",
        data={"confirm": "on"},
        snapshot=lambda: AuditEntry.objects.filter(action="household.phone_revealed").count(),
    )


def test_reveal_shows_the_number_with_no_store(clients, grid, staff):
    home = make_household(grid, phone=PHONE)
    url = reverse("staff:grid-household-reveal", args=[home.pk])
    refused = clients["staff"].post(url, {})
    assert PHONE not in refused.content.decode()
    assert not AuditEntry.objects.filter(action="household.phone_revealed").exists()
    response = clients["staff"].post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert PHONE in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="household.phone_revealed")
    assert entry.actor == staff
    assert PHONE not in str(entry.data)


def test_the_reveal_page_reads_the_households_place_with_it(clients, grid, compound):
    """The page names the household by its compound: read with the household, not after."""
    from django.test.utils import CaptureQueriesContext

    counts = []
    for place in (None, compound):
        home = make_household(grid, phone=PHONE, compound=place)
        url = reverse("staff:grid-household-reveal", args=[home.pk])
        with CaptureQueriesContext(connection) as queries:
            response = clients["staff"].post(url, {"confirm": "on"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert "秦江花园" in response.content.decode()
    assert counts[0] == counts[1]


def test_reveal_service_refuses_a_secretary(grid, secretary):
    from django.core.exceptions import PermissionDenied

    from grids import services

    home = make_household(grid, phone=PHONE)
    with pytest.raises(PermissionDenied):
        services.reveal_household_phone(household=home, actor=secretary)
    assert not AuditEntry.objects.filter(action="household.phone_revealed").exists()


def test_staff_secretary_and_grid_worker_scope(
    grid, second_grid, other_grid, staff, secretary, other_secretary, officer
):
    mine = make_household(grid, address="a")
    same_community = make_household(second_grid, address="b")
    elsewhere = make_household(other_grid, address="c")
    assert set(Household.objects.visible_to(staff)) == {mine, same_community, elsewhere}
    assert set(Household.objects.visible_to(secretary)) == {mine, same_community}
    assert set(Household.objects.visible_to(other_secretary)) == {elsewhere}
    assert set(Household.objects.visible_to(officer)) == {mine}
    assert not Household.objects.visible_to(UserFactory()).exists()


def test_grid_worker_phone_page_shows_only_their_grid(grid, other_grid, officer):
    mine = make_household(grid, address="秦江花园1号楼")
    elsewhere = make_household(other_grid, address="锦艺城9号楼")
    client = Client()
    client.force_login(officer)
    body = client.get(reverse("public:grid-home")).content.decode()
    assert "秦江花园1号楼" in body and "锦艺城9号楼" not in body
    assert (
        client.get(reverse("public:grid-household-visit", args=[elsewhere.pk])).status_code == 404
    )
    response = client.post(
        reverse("public:grid-household-visit", args=[elsewhere.pk]),
        {"visited_on": DAY.isoformat(), "findings": "x"},
    )
    assert response.status_code == 404
    assert not HouseholdVisit.objects.exists()
    response = client.post(
        reverse("public:grid-household-visit", args=[mine.pk]),
        {"visited_on": DAY.isoformat(), "findings": "一切正常"},
    )
    assert response.status_code == 302
    assert HouseholdVisit.objects.get().household == mine


def test_a_member_sees_their_contact_households(clients, grid, member_user):
    from members.models import Member

    member = Member.objects.get(bindings__user=member_user)
    home = make_household(grid, address="联系户甲")
    make_household(grid, address="别人家")
    ContactAssignment.objects.create(member=member, household=home, grid=grid, started_on=DAY)
    body = clients["member"].get(reverse("public:grid-home")).content.decode()
    assert "联系户甲" in body and "别人家" not in body


def test_resident_gets_the_empty_page(clients, grid):
    make_household(grid, address="某户")
    response = clients["resident"].get(reverse("public:grid-home"))
    assert response.status_code == 200
    assert "某户" not in response.content.decode()
    assert clients["anonymous"].get(reverse("public:grid-home")).status_code == 302


def test_daily_report_filed_from_the_phone_page(grid, officer):
    client = Client()
    client.force_login(officer)
    response = client.post(reverse("public:grid-home"), {"grid": grid.pk, "nothing_found": "on"})
    assert response.status_code == 302
    response = client.post(reverse("public:grid-home"), {"grid": grid.pk, "nothing_found": "on"})
    assert response.status_code == 400  # today's report of the grid is already in


def test_staff_pages_access_matrix(clients, grid):
    for name in (
        "staff:grid-overview",
        "staff:grid-missing-reports",
        "staff:grid-household-list",
        "staff:grid-dispute-list",
    ):
        assert_access(
            clients,
            reverse(name),
            {
                "anonymous": 302,
                "resident": 403,
                "other_secretary": 200,
                "secretary": 200,
                "staff": 200,
            },
        )


def test_other_secretary_cannot_reach_a_household_by_id(clients, grid):
    home = make_household(grid)
    url = reverse("staff:grid-household-detail", args=[home.pk])
    assert clients["other_secretary"].get(url).status_code == 404
    assert clients["secretary"].get(url).status_code == 200


def test_list_pages_query_count_does_not_grow(
    clients, grid, second_grid, django_assert_max_num_queries
):
    for n in range(3):
        make_household(grid, address=f"{n}")
    with django_assert_max_num_queries(20):
        clients["staff"].get(reverse("staff:grid-overview"))
    with django_assert_max_num_queries(20):
        clients["staff"].get(reverse("staff:grid-household-list"))
    for n in range(30):
        make_household(second_grid, address=f"x{n}")
    with django_assert_max_num_queries(20):
        clients["staff"].get(reverse("staff:grid-overview"))
    with django_assert_max_num_queries(20):
        clients["staff"].get(reverse("staff:grid-household-list"))
    with django_assert_max_num_queries(20):
        clients["staff"].get("/api/v1/households/")


def test_api_dispute_parties_masked_and_scoped(clients, grid, other_grid, staff):
    from grids import services

    services.open_dispute(
        grid=grid,
        actor=staff,
        source="hotline",
        kind="labour",
        party_a="张三丰",
        summary="欠薪",
        opened_on=DAY - dt.timedelta(days=1),
    )
    body = clients["secretary"].get("/api/v1/disputes/").json()
    assert body["results"][0]["parties"] == ["张**"]
    assert clients["other_secretary"].get("/api/v1/disputes/").json()["results"] == []
    assert clients["resident"].get("/api/v1/disputes/").status_code == 403


def test_household_page_shows_a_visit_whose_recorder_was_removed(clients, grid, member):
    # A visit keeps its member when the account that recorded it is gone (recorded_by NULL):
    # the page answered 500 on such a row (the seeded demo has them).
    home = make_household(grid)
    HouseholdVisit.objects.create(
        household=home,
        grid=grid,
        member=member,
        recorded_by=None,
        visited_on=dt.date(2026, 3, 2),
        findings="独居老人身体尚好",
    )
    response = clients["staff"].get(reverse("staff:grid-household-detail", args=[home.pk]))
    assert response.status_code == 200
    assert "李党员" in response.content.decode()
