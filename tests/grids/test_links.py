"""联系户 and 3+2+1 limits (settings), visits, overdue households."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from grids import services
from grids.models import ContactAssignment, GridSettings, HouseholdVisit, PairingTier
from tests.grids.conftest import DAY, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _held(clock):
    clock.set(DAY)


def test_contacts_up_to_the_maximum_then_refused_in_chinese(grid, member, staff):
    homes = [make_household(grid, address=f"{n}号楼") for n in range(6)]
    for home in homes[:5]:
        services.assign_contact(member=member, household=home, actor=staff, started_on=DAY)
    with translation.override("zh-hans"), pytest.raises(services.GridRefused) as refused:
        services.assign_contact(member=member, household=homes[5], actor=staff, started_on=DAY)
    assert "李党员" in refused.value.message
    assert "5" in refused.value.message
    assert "至多" in refused.value.message
    assert ContactAssignment.objects.filter(member=member).count() == 5


def test_the_maximum_is_a_setting(grid, member, staff, sub_district):
    GridSettings.objects.create(sub_district=sub_district, contact_max_households=3)
    homes = [make_household(grid, address=f"{n}号楼") for n in range(4)]
    for home in homes[:3]:
        services.assign_contact(member=member, household=home, actor=staff, started_on=DAY)
    with pytest.raises(services.GridRefused):
        services.assign_contact(member=member, household=homes[3], actor=staff, started_on=DAY)


def test_an_ended_assignment_frees_a_place_from_the_next_day(grid, member, staff, clock):
    homes = [make_household(grid, address=f"{n}号楼") for n in range(6)]
    links = [
        services.assign_contact(member=member, household=h, actor=staff, started_on=DAY)
        for h in homes[:5]
    ]
    services.end_link(link=links[0], ended_on=DAY, actor=staff)
    with pytest.raises(services.GridRefused):  # it still counts on its last day
        services.assign_contact(member=member, household=homes[5], actor=staff, started_on=DAY)
    clock.set(DAY + dt.timedelta(days=1))
    services.assign_contact(
        member=member, household=homes[5], actor=staff, started_on=DAY + dt.timedelta(days=1)
    )


def test_a_road_section_excludes_households(grid, member, staff):
    services.assign_contact(
        member=member, grid=grid, road_section="秦岭路北段", actor=staff, started_on=DAY
    )
    with pytest.raises(services.GridRefused):
        services.assign_contact(
            member=member, household=make_household(grid), actor=staff, started_on=DAY
        )
    assert ContactAssignment.objects.count() == 1


def test_pairing_tiers_three_two_one(grid, member, staff):
    homes = [make_household(grid, address=f"{n}号楼", is_low_income=True) for n in range(4)]
    services.pair_for_assistance(
        member=member, household=homes[0], tier=PairingTier.MEMBER, started_on=DAY, actor=staff
    )
    with pytest.raises(services.GridRefused):
        services.pair_for_assistance(
            member=member, household=homes[1], tier=PairingTier.MEMBER, started_on=DAY, actor=staff
        )
    with pytest.raises(services.GridRefused):  # one tier at a time
        services.pair_for_assistance(
            member=member, household=homes[1], tier=PairingTier.CADRE, started_on=DAY, actor=staff
        )


def test_a_cadre_helps_three(grid, member, staff):
    homes = [make_household(grid, address=f"{n}号楼", is_veteran=True) for n in range(4)]
    for home in homes[:3]:
        services.pair_for_assistance(
            member=member, household=home, tier=PairingTier.CADRE, started_on=DAY, actor=staff
        )
    with pytest.raises(services.GridRefused):
        services.pair_for_assistance(
            member=member, household=homes[3], tier=PairingTier.CADRE, started_on=DAY, actor=staff
        )


def test_help_on_a_paired_visit_is_linked_to_the_pairing(grid, member, staff):
    home = make_household(grid, is_elderly_alone=True)
    pairing = services.pair_for_assistance(
        member=member, household=home, tier=PairingTier.MEMBER, started_on=DAY, actor=staff
    )
    visit = services.record_household_visit(
        household=home, actor=staff, member=member, visited_on=DAY, help_given="买菜"
    )
    assert visit.pairing == pairing


def test_visit_refuses_future_and_empty(grid, staff):
    home = make_household(grid)
    with pytest.raises(services.GridRefused):
        services.record_household_visit(
            household=home, actor=staff, visited_on=DAY + dt.timedelta(days=1), findings="x"
        )
    with pytest.raises(services.GridRefused):
        services.record_household_visit(household=home, actor=staff, visited_on=DAY)
    assert not HouseholdVisit.objects.exists()


def test_households_not_visited_in_n_days_are_overdue(grid, member, staff, sub_district):
    from grids.models import Household

    fresh, stale, never = (make_household(grid, address=a) for a in ("1", "2", "3"))
    for home in (fresh, stale, never):
        services.assign_contact(member=member, household=home, actor=staff, started_on=DAY)
    services.record_household_visit(
        household=fresh, actor=staff, visited_on=DAY - dt.timedelta(days=29), findings="好"
    )
    services.record_household_visit(
        household=stale, actor=staff, visited_on=DAY - dt.timedelta(days=31), findings="好"
    )
    overdue = set(services.overdue_households(Household.objects.all(), DAY))
    assert overdue == {stale, never}
    GridSettings.objects.create(sub_district=sub_district, visit_overdue_days=60)
    assert set(services.overdue_households(Household.objects.all(), DAY)) == {never}


def test_overview_shows_hardship_coverage_per_community(clients, grid, member, staff):
    from django.urls import reverse

    home = make_household(grid, address="甲", is_disabled=True)
    make_household(grid, address="乙", is_low_income=True)
    make_household(grid, address="丙")
    services.pair_for_assistance(
        member=member, household=home, tier=PairingTier.MEMBER, started_on=DAY, actor=staff
    )
    page = clients["secretary"].get(reverse("staff:grid-overview"))
    assert page.context["coverage"] == [
        {"grid__community__name": "秦江社区", "tagged": 2, "paired": 1}
    ]
    assert clients["other_secretary"].get(reverse("staff:grid-overview")).context["coverage"] == []
