from __future__ import annotations

import pytest

from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretary_signs_in_and_sees_only_their_branch(
    live_server, page, secretary, branch, party_group, other_branch
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.locator("h1").inner_text() == "工作台"
    organizations = page.locator("[data-testid=my-organizations]").inner_text()
    assert branch.name in organizations
    assert party_group.name in organizations
    assert other_branch.name not in organizations

    page.locator("[data-testid=my-organizations]").get_by_role("link", name=branch.name).click()
    page.wait_for_url(f"{live_server.url}/staff/branches/organizations/{branch.pk}/")
    assert party_group.name in page.content()

    page.goto(f"{live_server.url}/staff/branches/organizations/{other_branch.pk}/")
    assert page.locator("body").inner_text().strip() != ""
    assert other_branch.name not in page.content()


def test_resident_home_page_works_on_a_phone(live_server, phone_page):
    phone_page.goto(f"{live_server.url}/")
    assert "党群服务中心" in phone_page.locator("h1").inner_text()
    # Mobile-first: nothing wider than the screen.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
