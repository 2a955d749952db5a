"""A representative of the year-end assessment (述职评议) — a resident, not a party member — rates
the secretaries' reports on a 375-px phone from /me/: an incomplete ballot is refused and stores
nothing, the full one is counted once, and the grades carry no voter."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from assessment.models import Rating, RepresentativeTurnout
from assessment.services import year_end
from tests.e2e.test_member_pages import phone  # noqa: F401  (the 375-px phone fixture)
from tests.e2e.test_phone import WIDTH, sign_in, too_wide

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]


def test_a_resident_representative_rates_the_reports_on_a_phone(
    live_server,
    phone,  # noqa: F811
    resident,
    sub_district,
    branch,
    other_branch,
    staff,
    clock,
):
    clock.set(dt.date(2026, 12, 10))
    assessment_round = year_end.open_round(
        sub_district=sub_district,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        representatives=[resident],
        actor=staff,
    )
    ours, theirs = (
        assessment_round.branches.get(organization=branch),
        assessment_round.branches.get(organization=other_branch),
    )
    year_end.record_report(
        branch=ours,
        text="全年召开主题党日十二次，" * 20 + "在职党员报到率百分之九十八。",
        actor=staff,
    )
    base = live_server.url
    sign_in(phone, base, "resident")

    phone.goto(f"{base}/me/")
    phone.click("[data-testid=assessment-link] a")
    phone.click(f"a.btn[href='/me/assessment/{assessment_round.pk}/']")
    expect(phone.locator("[data-testid=ballot]")).to_be_visible()
    phone.click("[data-testid=ballot] details summary")
    assert too_wide(phone) <= WIDTH

    # An incomplete ballot is refused on the page and stores nothing.
    phone.click(f"label[for=g{ours.pk}_good]")
    phone.click("[data-testid=ballot] button[type=submit]")
    expect(phone.locator("[data-testid=ballot] .alert-danger")).to_be_visible()
    assert Rating.objects.count() == RepresentativeTurnout.objects.count() == 0
    assert too_wide(phone) <= WIDTH

    phone.click(f"label[for=g{ours.pk}_good]")
    phone.click(f"label[for=g{theirs.pk}_average]")
    phone.click("[data-testid=ballot] button[type=submit]")
    expect(phone.locator("[data-testid=assessment-round] .text-success")).to_be_visible()
    assert too_wide(phone) <= WIDTH

    assert RepresentativeTurnout.objects.filter(round=assessment_round).count() == 1
    assert sorted(Rating.objects.values_list("branch_id", "grade")) == sorted(
        [(ours.pk, "good"), (theirs.pk, "average")]
    )
    phone.goto(f"{base}/me/assessment/{assessment_round.pk}/")
    expect(phone.locator("[data-testid=rated]")).to_be_visible()
    assert not phone.locator("[data-testid=ballot]").count()
    assert too_wide(phone) <= WIDTH
