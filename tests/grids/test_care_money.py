"""Money of care visits: a Decimal amount of yuan naming its fund (a choice, with a note), the
free text of before parsed by the migration, and the totals per fund and campaign on the staff
pages and in the report pack."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from branches.models import Community
from config.periods import quarter
from grids import services
from grids.models import CareVisit
from reports.figures import grids_section
from reports.scope import ReportScope
from tests.grids.conftest import DAY, make_household

pytestmark = pytest.mark.django_db

migration = importlib.import_module("grids.migrations.0002_care_fund_choices")


@pytest.fixture(autouse=True)
def _held(clock):
    clock.set(DAY)


@pytest.fixture
def campaign(grid, staff, sub_district):
    for n in range(3):
        make_household(grid, address=f"{n}号楼", is_elderly_alone=True)
    return services.plan_campaign(
        sub_district=sub_district, name="春节慰问", starts_on=DAY, ends_on=DAY, actor=staff
    )


def test_migration_reads_the_fund_kind_and_an_amount_from_free_text():
    assert migration.fund_kind("公益慈善基金") == "charity"
    assert migration.fund_kind("留存党费") == "dues"
    assert migration.fund_kind("社区办公经费") == "budget"
    assert migration.fund_kind("爱心企业捐赠") == "donation"
    assert migration.fund_kind("不详") == "other"
    assert migration.parse_amount("米面油和慰问金500元") == Decimal("500")
    assert migration.parse_amount("慰问金 300.50 元") == Decimal("300.50")
    assert migration.parse_amount("米面油") is None
    assert migration.parse_amount("0元") is None


def test_migration_step_rewrites_old_rows(grid, community):
    def visit(**fields):
        return CareVisit.objects.create(
            household=make_household(grid, address=str(CareVisit.objects.count())),
            community=community,
            visited_on=DAY,
            visitors="王书记",
            **fields,
        )

    charity = visit(given="慰问金500元", fund="公益慈善基金")
    kept = visit(given="慰问金500元", amount=Decimal("200"), fund="党费")
    goods = visit(given="米面油")
    # A row of before could hold money without a fund (the constraint came with this step).
    CareVisit.objects.filter(pk=goods.pk).update(fund="", amount=None)
    migration.forwards(apps, None)
    charity.refresh_from_db()
    kept.refresh_from_db()
    goods.refresh_from_db()
    assert (charity.fund, charity.fund_note, charity.amount) == ("charity", "公益慈善基金", 500)
    assert (kept.fund, kept.amount) == ("dues", Decimal("200"))  # a recorded amount wins
    assert (goods.fund, goods.amount) == ("", None)


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"amount": "200"}, "fund"),  # money names its fund
        ({"amount": "200", "fund": "piggy-bank"}, "fund"),
        ({"amount": "12.345", "fund": "charity"}, "amount"),
        ({"amount": "-5", "fund": "charity"}, "amount"),
        ({"amount": "十元", "fund": "charity"}, "amount"),
        ({"amount": "123456789", "fund": "charity"}, "amount"),
    ],
)
def test_bad_money_is_refused_with_a_message_and_writes_nothing(clients, campaign, extra, field):
    planned = campaign.visits.order_by("pk").first()
    url = reverse("staff:grid-campaign-detail", args=[campaign.pk])
    data = {"visit": planned.pk, "visited_on": DAY.isoformat(), "visitors": "王书记", **extra}
    response = clients["secretary"].post(url, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    planned.refresh_from_db()
    assert planned.visited_on is None and planned.amount is None


def test_service_refuses_a_fraction_of_a_fen(staff, campaign):
    planned = campaign.visits.order_by("pk").first()
    with pytest.raises(services.GridRefused) as refused:
        services.record_care_visit(
            actor=staff,
            planned=planned,
            visited_on=DAY,
            visitors="王书记",
            amount=Decimal("0.001"),
            fund="charity",
        )
    assert refused.value.field == "amount"
    planned.refresh_from_db()
    assert planned.visited_on is None


def test_totals_per_campaign_and_fund_on_the_pages_and_in_the_pack(
    clients, staff, campaign, sub_district, other_grid
):
    first, second, third = campaign.visits.order_by("pk")
    for planned, amount, fund in (
        (first, "500", "charity"),
        (second, "300.50", "dues"),
        (third, None, ""),
    ):
        services.record_care_visit(
            actor=staff,
            planned=planned,
            visited_on=DAY,
            visitors="王书记",
            given="米面油",
            amount=Decimal(amount) if amount else None,
            fund=fund,
        )
    # A visit elsewhere (another sub-district's community) counts in neither total.
    elsewhere = Community.objects.exclude(sub_district=sub_district).first() or other_grid.community
    if elsewhere.sub_district_id != sub_district.pk:
        CareVisit.objects.create(
            household=make_household(other_grid, address="外"),
            community=elsewhere,
            visited_on=DAY,
            visitors="某",
            amount=Decimal("999"),
            fund="other",
        )
    detail = clients["staff"].get(reverse("staff:grid-campaign-detail", args=[campaign.pk]))
    assert detail.context["money_total"] == Decimal("800.50")
    assert "800.50" in detail.content.decode()
    listing = clients["staff"].get(reverse("staff:grid-campaign-list"))
    assert listing.context["campaigns"][0].money_given == Decimal("800.50")
    section = grids_section(ReportScope(sub_district=sub_district), quarter(2026, 1))
    assert section["figures"]["care_visits"] == 3
    assert section["figures"]["care_money"] == 800.5
    care = next(t for t in section["tables"] if t["key"] == "care_money")
    assert care["rows"][-1][1:] == [3, 800.5]
    assert sorted(row[2] for row in care["rows"][:2]) == [300.5, 500.0]
    assert care["rows"][2][1:] == [3, 800.5]  # the campaign's row


def test_a_care_visit_outside_a_campaign_by_role_and_rule(
    clients, grid, branch, community, other_grid
):
    from tests.access import assert_access
    from tests.members.factories import MemberFactory

    tagged = make_household(grid, address="独居户", is_elderly_alone=True)
    plain = make_household(grid, address="普通户")
    url = reverse("staff:grid-household-care", args=[tagged.pk])
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )
    data = {
        "visited_on": DAY.isoformat(),
        "visitors": "王书记",
        "given": "米面油",
        "amount": "300",
        "fund": "donation",
        "fund_note": "爱心企业",
    }
    for role, status in (("anonymous", 302), ("resident", 403), ("other_secretary", 404)):
        assert clients[role].post(url, data).status_code == status
    assert not CareVisit.objects.exists()
    response = clients["secretary"].post(
        reverse("staff:grid-household-care", args=[plain.pk]), data
    )
    assert response.status_code == 400 and "困难" in response.content.decode()
    assert not CareVisit.objects.exists()
    assert clients["secretary"].post(url, data).status_code == 302
    visit = CareVisit.objects.get()
    assert (visit.household, visit.amount, visit.fund) == (tagged, Decimal("300"), "donation")
    assert visit.campaign is None and visit.community == community

    poor = MemberFactory(
        organization=branch, community=community, in_hardship=True, full_name="困难甲"
    )
    other = MemberFactory(organization=branch, community=community, full_name="普通乙")
    listing = clients["secretary"].get(reverse("staff:grid-campaign-list")).content.decode()
    assert "困难甲" in listing and "普通乙" not in listing
    member_url = reverse("staff:grid-member-care", args=[other.pk])
    assert clients["secretary"].post(member_url, data).status_code == 400
    assert (
        clients["other_secretary"]
        .post(reverse("staff:grid-member-care", args=[poor.pk]), data)
        .status_code
        == 404
    )
    assert CareVisit.objects.count() == 1
    response = clients["secretary"].post(reverse("staff:grid-member-care", args=[poor.pk]), data)
    assert response.status_code == 302
    assert CareVisit.objects.filter(member=poor, household=None).count() == 1
