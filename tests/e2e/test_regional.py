from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import pass_two_factor
from tests.regional.regional_setup import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_admit_a_unit_and_see_it_on_the_committee_page(
    live_server, page, staff, sub_district
):
    w = build(sub_district)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    pass_two_factor(page, "staff")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.get_by_role("link", name="区域化党建").click()
    page.get_by_role("link", name="如意湖大工委").click()
    members = page.locator("[data-testid=member-units]")
    assert "郑州国际会展中心党委" not in members.inner_text()

    page.get_by_role("link", name="吸纳成员单位").click()
    page.select_option("select[name=unit]", label="郑州国际会展中心党委")
    page.fill("input[name=joined_on]", "2018-03-01")
    page.click("#submit-id-submit")

    page.wait_for_url(f"{live_server.url}/staff/branches/regional/{w.committee.pk}/")
    assert "该单位已加入区域党委。" in page.locator(".alert").first.inner_text()
    members = page.locator("[data-testid=member-units]").inner_text()
    assert "郑州国际会展中心党委" in members and "2018-03-01" in members

    # As of a day before the admission, the unit is not yet on the committee.
    page.fill("input[name=on]", "2018-02-28")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("[data-testid=member-units]")).not_to_contain_text("郑州国际会展中心党委")
