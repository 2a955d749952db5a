"""The staff forms: a household, a contact member, a dispute; bad input writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from grids.models import ContactAssignment, Dispute, Household
from tests.access import assert_access
from tests.grids.conftest import DAY, make_household
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _held(clock):
    clock.set(DAY)


def test_household_form_encrypts_and_refuses_bad_phone(clients, grid, other_grid):
    url = reverse("staff:grid-household-create")
    data = {"grid": grid.pk, "address": "2号楼301", "contact_name": "钱阿姨", "phone": "电话"}
    assert clients["secretary"].post(url, data).status_code == 400
    assert not Household.objects.exists()
    data["grid"] = other_grid.pk  # not the secretary's community: not a choice
    data["phone"] = "13800001111"
    assert clients["secretary"].post(url, data).status_code == 400
    assert not Household.objects.exists()
    data["grid"] = grid.pk
    data["is_elderly_alone"] = "on"
    assert clients["secretary"].post(url, data).status_code == 302
    home = Household.objects.get()
    assert home.phone_masked == "138****1111" and home.is_elderly_alone
    assert "13800001111" not in home.phone_encrypted


def test_household_form_access(clients, grid):
    assert_access(
        clients,
        reverse("staff:grid-household-create"),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_contact_form_shows_the_limit_and_writes_nothing(clients, grid, branch, community):
    member = MemberFactory(organization=branch, community=community, full_name="周党员")
    homes = [make_household(grid, address=f"{n}") for n in range(6)]
    for home in homes[:5]:
        ContactAssignment.objects.create(member=member, household=home, grid=grid, started_on=DAY)
    url = reverse("staff:grid-household-contact", args=[homes[5].pk])
    response = clients["secretary"].post(url, {"member": member.pk, "started_on": DAY.isoformat()})
    assert response.status_code == 400
    assert "至多联系 5 户" in response.content.decode()
    assert ContactAssignment.objects.count() == 5
    assert clients["other_secretary"].get(url).status_code == 404


def test_dispute_form(clients, grid):
    url = reverse("staff:grid-dispute-create")
    data = {
        "grid": grid.pk,
        "source": "hotline",
        "kind": "property",
        "party_a": "业主甲",
        "summary": "物业费",
        "opened_on": "2099-01-01",
    }
    assert clients["secretary"].post(url, data).status_code == 400  # a future day
    assert not Dispute.objects.exists()
    data["opened_on"] = DAY.isoformat()
    assert clients["other_secretary"].post(url, data).status_code == 400  # not their grid
    assert clients["secretary"].post(url, data).status_code == 302
    assert Dispute.objects.get().kind == "property"


def test_a_campaign_is_planned_from_the_hardship_lists_and_ticked_off(
    clients, grid, other_grid, staff, sub_district, branch, community
):
    from grids import services
    from grids.models import CareVisit

    MemberFactory(organization=branch, community=community, in_hardship=True, full_name="困难党员")
    MemberFactory(organization=branch, community=community, full_name="普通党员")
    make_household(grid, address="独居户", is_elderly_alone=True)
    make_household(grid, address="普通户")
    make_household(other_grid, address="别社区低保户", is_low_income=True)
    campaign = services.plan_campaign(
        sub_district=sub_district, name="春节慰问", starts_on=DAY, ends_on=DAY, actor=staff
    )
    assert campaign.visits.count() == 3
    url = reverse("staff:grid-campaign-detail", args=[campaign.pk])
    body = clients["secretary"].get(url).content.decode()
    assert "困难党员" in body and "独居户" in body and "别社区低保户" not in body
    planned = campaign.visits.get(household__address="独居户")
    bad = {
        "visit": planned.pk,
        "visited_on": DAY.isoformat(),
        "visitors": "王书记",
        "amount": "200",
    }
    assert clients["secretary"].post(url, bad).status_code == 400  # money needs its fund
    planned.refresh_from_db()
    assert planned.visited_on is None
    other = campaign.visits.get(household__address="别社区低保户")
    assert clients["secretary"].post(url, {**bad, "visit": other.pk}).status_code == 404
    good = {**bad, "fund": "charity", "fund_note": "公益慈善基金", "given": "米面油"}
    assert clients["secretary"].post(url, good).status_code == 302
    planned.refresh_from_db()
    assert planned.visited_on == DAY and planned.fund == "charity"
    assert planned.amount == Decimal("200") and planned.fund_note == "公益慈善基金"
    assert CareVisit.objects.done().count() == 1
    listing = clients["staff"].get(reverse("staff:grid-campaign-list")).content.decode()
    assert "春节慰问" in listing
