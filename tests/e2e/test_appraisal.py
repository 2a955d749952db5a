from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from appraisal.models import Campaign, FollowUp, Participant
from appraisal.services import campaigns
from members.models import MemberStatus
from tests.accounts.factories import PASSWORD
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretary_records_an_appraisal_on_a_phone(
    live_server, phone_page, secretary, branch, clock
):
    """Paper tallies, then the committee's grades (one 优秀 too many is refused at 1/3), then the
    general meeting's decision; the page fits a phone."""
    clock.set(dt.date(2026, 12, 10))
    full = [MemberFactory(organization=branch, full_name=f"党员{i}") for i in range(3)]
    MemberFactory(
        organization=branch,
        full_name="预备党员甲",
        status=MemberStatus.PROBATIONARY,
        joined_on=dt.date(2026, 3, 1),
        confirmed_on=None,
    )
    campaign = campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 9),
        actor=None,
    )
    rows = {p.member_id: p.pk for p in Participant.objects.filter(campaign=campaign)}
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/appraisal/")
    page.get_by_role("link", name="联盟新城社区党支部 · 2026").click()
    assert "预备党员：参加评议，不评定等次" in page.content()
    page.get_by_role("link", name="录入纸质计票").click()
    page.fill("input[name=ballots]", "3")
    page.fill(f"input[name=n_{rows[full[0].pk]}_excellent]", "2")
    page.fill(f"input[name=n_{rows[full[0].pk]}_qualified]", "1")
    for member in full[1:]:
        page.fill(f"input[name=n_{rows[member.pk]}_qualified]", "3")
    page.click("#submit-id-submit")
    page.wait_for_selector("[data-testid=turnout]")
    assert "已有3人投票" in page.locator("[data-testid=turnout]").inner_text()

    page.get_by_role("link", name="支委会评定意见").click()
    page.fill("input[name=proposed_on]", "2026-12-10")
    page.select_option(f"select[name=grade_{rows[full[0].pk]}]", "excellent")
    page.select_option(f"select[name=grade_{rows[full[1].pk]}]", "excellent")
    page.select_option(f"select[name=grade_{rows[full[2].pk]}]", "qualified")
    page.click("#submit-id-submit")
    expect(page.locator("[data-testid=service-form]")).to_contain_text("评为优秀的最多1名")
    page.select_option(f"select[name=grade_{rows[full[1].pk]}]", "qualified")
    page.click("#submit-id-submit")
    page.wait_for_selector("[data-testid=turnout]")

    page.get_by_role("link", name="党员大会评定").click()
    page.fill("input[name=decided_on]", "2026-12-10")
    page.select_option(f"select[name=grade_{rows[full[2].pk]}]", "basically_qualified")
    page.screenshot(path="tests/e2e/artifacts/appraisal-decision-phone.png", full_page=True)
    page.click("#submit-id-submit")
    page.wait_for_selector("[data-testid=decided]")
    grades = page.locator("[data-testid=final-grade]").all_inner_texts()
    assert sorted(grades) == sorted(["优秀", "合格", "基本合格"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    assert Campaign.objects.get(pk=campaign.pk).decided_on == dt.date(2026, 12, 10)
    assert not FollowUp.objects.exists()
