"""The secretary records an election (换届选举) on a phone: the roster of the day, the ballot,
a refusal for too few candidates (差额), then the approved result and its new committee term."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from activities.elections.models import Election
from tests.accounts.factories import PASSWORD
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretary_records_an_election_on_a_phone(
    live_server, phone_page, secretary, branch, clock
):
    """The live server shares this process's held clock: 'yesterday' is the server's too."""
    members = [MemberFactory(organization=branch, full_name=f"党员{i:02d}") for i in range(8)]
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/branches/organizations/{branch.pk}/")
    page.click("[data-testid=election-new]")
    expect(page.locator("[data-testid=roster] .roster-row")).to_have_count(8)
    yesterday = clock.today - dt.timedelta(days=1)
    page.fill("input[name=starts_at]", f"{yesterday.isoformat()}T09:00")
    page.fill("input[name=place]", "党群服务中心")
    absent = members[7]
    page.locator(f"[data-member='{absent.pk}'] label", has_text="请假").click()
    page.get_by_label(f"{absent.full_name} 的原因").fill("外出学习")
    # 3 seats, 3 candidates: not a competitive election.
    page.fill("input[name=seats]", "3")
    for member, votes in zip(members, (7, 6, 5), strict=False):
        page.fill(f"input[name=votes_{member.pk}]", str(votes))
    page.fill("input[name=ballots_cast]", "7")
    page.fill("input[name=ballots_valid]", "7")
    page.fill("input[name=ballots_invalid]", "0")
    page.select_option("select[name=secretary]", str(members[0].pk))
    page.select_option("select[name=deputy]", str(members[1].pk))
    page.fill("input[name=first_meeting_on]", yesterday.isoformat())
    assert page.input_value("input[name=approved_by]") == "如意湖党工委"
    page.fill("input[name=approved_on]", clock.today.isoformat())
    page.click("#save-election")
    page.wait_for_selector("[data-testid=form-errors]")
    assert "差额" in page.locator("[data-testid=form-errors]").inner_text()
    assert not Election.objects.exists()

    # A fourth candidate, who gets 3 of 8 entitled votes: not more than half, not elected.
    page.fill(f"input[name=votes_{members[3].pk}]", "3")
    page.screenshot(path="tests/e2e/artifacts/election-form-phone.png", full_page=True)
    page.click("#save-election")
    page.wait_for_selector("[data-testid=election-figures]")
    assert page.locator("[data-testid=present]").inner_text() == "7"
    candidates = page.locator("[data-testid=candidates]").inner_text()
    assert "书记" in candidates and "副书记" in candidates
    assert page.locator("[data-testid=candidates] .badge").count() == 3
    term = Election.objects.get().term
    assert term.started_on == yesterday and term.positions.count() == 3
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
