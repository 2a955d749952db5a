"""The workbench pages that make and end grid roles, 联系户 road sections, 3+2+1 pairings and
care campaigns: deny-by-default, scoped, and a refusal (the settings' limits among them) shows a
Chinese message and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from grids import services
from grids.models import (
    AssistancePairing,
    CareCampaign,
    CareVisit,
    ContactAssignment,
    GridRole,
    GridRoleKind,
    GridSettings,
)
from tests.access import assert_access
from tests.grids.conftest import DAY, make_household

pytestmark = pytest.mark.django_db

START = DAY - dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def _held(clock):
    clock.set(DAY)


def _state():
    return (
        list(GridRole.objects.values_list("pk", "ended_on")),
        list(ContactAssignment.objects.values_list("pk", "ended_on")),
        list(AssistancePairing.objects.values_list("pk", "ended_on")),
        CareCampaign.objects.count(),
        CareVisit.objects.count(),
        AuditEntry.objects.exclude(action="access.denied").count(),
    )


def _refused(clients, url, data, expected):
    """POST as each refused role; each gets its status and nothing is written."""
    for role, status in expected.items():
        before = _state()
        response = clients[role].post(url, data)
        assert response.status_code == status, (role, response.status_code)
        assert _state() == before, role


def _text(response) -> str:
    return response.content.decode()


def test_pages_answer_by_role_and_scope(clients, grid):
    home = make_household(grid)
    scoped = {"anonymous": 302, "resident": 403, "other_secretary": 404}
    for url in (
        reverse("staff:grid-detail", args=[grid.pk]),
        reverse("staff:grid-road-section-create", args=[grid.pk]),
        reverse("staff:grid-household-pair", args=[home.pk]),
    ):
        assert_access(clients, url, {**scoped, "secretary": 200, "staff": 200})
    staff_only = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
    for url in (
        reverse("staff:grid-role-create", args=[grid.pk]),
        reverse("staff:grid-campaign-create"),
    ):
        assert_access(clients, url, {**staff_only, "staff": 200})


def test_staff_gives_and_ends_a_grid_role(clients, grid, staff):
    url = reverse("staff:grid-role-create", args=[grid.pk])
    data = {"kind": "worker", "username": "", "contact_name": "王网格", "started_on": "2026-03-01"}
    _refused(
        clients,
        url,
        data,
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403},
    )
    assert clients["staff"].post(url, {**data, "username": "secretary"}).status_code == 302
    role = GridRole.objects.get()
    assert role.user.username == "secretary" and role.kind == GridRoleKind.WORKER
    assert AuditEntry.objects.filter(action="grid.role_assigned").count() == 1
    page = clients["staff"].get(reverse("staff:grid-detail", args=[grid.pk]))
    assert "2026-03-01" in _text(page)

    end = reverse("staff:grid-role-end", args=[role.pk])
    _refused(
        clients,
        end,
        {"ended_on": "2026-03-10"},
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403},
    )
    before = _state()
    response = clients["staff"].post(end, {"ended_on": "2026-02-01"}, follow=True)
    assert "不能早于" in _text(response) or "之前" in _text(response)
    assert _state() == before
    assert clients["staff"].post(end, {"ended_on": "2026-03-10"}).status_code == 302
    role.refresh_from_db()
    assert role.ended_on == dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "worker", "username": "nobody", "contact_name": ""}, "没有"),
        ({"kind": "worker", "username": "", "contact_name": " "}, "联系人"),
        ({"kind": "chief", "username": "", "contact_name": "王网格"}, "选择"),
        ({"kind": "leader", "username": "", "contact_name": "王网格", "started_on": "x"}, "日期"),
    ],
)
def test_a_bad_grid_role_is_refused_in_chinese(clients, grid, data, message):
    data = {"started_on": "2026-03-01", **data}
    before = _state()
    response = clients["staff"].post(reverse("staff:grid-role-create", args=[grid.pk]), data)
    assert response.status_code == 400
    assert message in _text(response)
    assert _state() == before


def test_a_second_leader_cannot_start_before_the_current_one(clients, grid, staff):
    services.assign_grid_role(
        grid=grid, kind="leader", contact_name="甲", started_on=DAY, actor=staff
    )
    before = _state()
    data = {"kind": "leader", "username": "", "contact_name": "乙", "started_on": "2026-03-01"}
    response = clients["staff"].post(reverse("staff:grid-role-create", args=[grid.pk]), data)
    assert response.status_code == 400
    assert _state() == before


def test_secretary_assigns_and_ends_a_road_section(clients, grid, member):
    url = reverse("staff:grid-road-section-create", args=[grid.pk])
    data = {
        "member": member.pk,
        "road_section": "秦岭路 桐柏路至工人路东侧",
        "started_on": "2026-03-02",
    }
    _refused(clients, url, data, {"anonymous": 302, "resident": 403, "other_secretary": 404})
    assert clients["secretary"].post(url, data).status_code == 302
    link = ContactAssignment.objects.get()
    assert link.household is None and link.grid == grid and link.road_section.startswith("秦岭路")
    page = clients["secretary"].get(reverse("staff:grid-detail", args=[grid.pk]))
    assert "桐柏路至工人路" in _text(page)
    # One road section is the whole assignment: a second one is refused, nothing written.
    before = _state()
    response = clients["staff"].post(url, {**data, "road_section": "另一段"})
    assert response.status_code == 400 and "路段" in _text(response)
    assert _state() == before

    end = reverse("staff:grid-contact-end", args=[link.pk])
    _refused(
        clients,
        end,
        {"ended_on": "2026-03-10"},
        {"anonymous": 302, "resident": 403, "other_secretary": 404},
    )
    assert clients["secretary"].post(end, {"ended_on": "2026-03-10"}).status_code == 302
    link.refresh_from_db()
    assert link.ended_on == dt.date(2026, 3, 10)


def test_contact_limit_of_the_settings_is_refused_with_a_message(
    clients, grid, member, staff, sub_district
):
    GridSettings.objects.create(sub_district=sub_district, contact_max_households=3)
    homes = [make_household(grid, address=f"{n}号楼") for n in range(4)]
    for home in homes[:3]:
        services.assign_contact(member=member, household=home, actor=staff, started_on=START)
    before = _state()
    url = reverse("staff:grid-household-contact", args=[homes[3].pk])
    response = clients["secretary"].post(url, {"member": member.pk, "started_on": "2026-03-02"})
    assert response.status_code == 400
    assert "至多" in _text(response) and "3" in _text(response)
    assert _state() == before


def test_secretary_pairs_within_the_tier_and_ends_the_pairing(clients, grid, member, staff):
    first = make_household(grid, address="1号楼", is_low_income=True)
    second = make_household(grid, address="2号楼", is_disabled=True)
    url = reverse("staff:grid-household-pair", args=[first.pk])
    data = {"member": member.pk, "tier": "member", "started_on": "2026-03-02"}
    _refused(clients, url, data, {"anonymous": 302, "resident": 403, "other_secretary": 404})
    assert clients["secretary"].post(url, data).status_code == 302
    pairing = AssistancePairing.objects.get()
    assert pairing.household == first and pairing.tier == "member"
    # A member helps one household (the "1" of 3+2+1, from the settings): refused, nothing written.
    before = _state()
    other = reverse("staff:grid-household-pair", args=[second.pk])
    response = clients["secretary"].post(other, data)
    assert response.status_code == 400 and "1" in _text(response)
    assert _state() == before

    end = reverse("staff:grid-pairing-end", args=[pairing.pk])
    _refused(
        clients,
        end,
        {"ended_on": "2026-03-10"},
        {"anonymous": 302, "resident": 403, "other_secretary": 404},
    )
    before = _state()
    assert clients["secretary"].post(end, {"ended_on": "bad"}).status_code == 302
    assert _state() == before
    assert clients["secretary"].post(end, {"ended_on": "2026-03-10"}).status_code == 302
    pairing.refresh_from_db()
    assert pairing.ended_on == dt.date(2026, 3, 10)
    # Ended, the member may help the second household.
    assert clients["secretary"].post(other, data).status_code == 302


def test_staff_plans_a_campaign_with_its_list(
    clients, grid, sub_district, other_sub_district_branch
):
    make_household(grid, address="1号楼", is_elderly_alone=True)
    make_household(grid, address="2号楼")
    url = reverse("staff:grid-campaign-create")
    data = {
        "sub_district": sub_district.pk,
        "name": "2027年春节慰问",
        "starts_on": "2027-01-20",
        "ends_on": "2027-02-10",
    }
    _refused(
        clients,
        url,
        data,
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403},
    )
    before = _state()
    response = clients["staff"].post(url, {**data, "ends_on": "2027-01-01"})
    assert response.status_code == 400 and "结束" in _text(response)
    from branches.models import SubDistrict

    elsewhere = SubDistrict.objects.exclude(pk=sub_district.pk).first()
    if elsewhere is not None:
        response = clients["staff"].post(url, {**data, "sub_district": elsewhere.pk})
        assert response.status_code == 400
    assert _state() == before
    response = clients["staff"].post(url, data)
    assert response.status_code == 302
    campaign = CareCampaign.objects.get()
    assert campaign.sub_district == sub_district
    assert CareVisit.objects.filter(campaign=campaign).count() == 1  # the tagged household


def test_grid_page_query_count_does_not_grow(clients, grid, staff, django_assert_max_num_queries):
    url = reverse("staff:grid-detail", args=[grid.pk])
    with django_assert_max_num_queries(20) as few:
        clients["staff"].get(url)
    for n in range(10):
        services.assign_grid_role(
            grid=grid, kind="worker", contact_name=f"网格员{n}", started_on=START, actor=staff
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = clients["staff"].get(url)
    assert "网格员9" in _text(response)
