from __future__ import annotations

import datetime as dt

import pytest

from branches.services.tree import found_organization
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import pass_two_factor
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_merge_two_branches_and_find_the_archived_ones_in_the_history(
    live_server, page, staff, sub_district
):
    root = found_organization(
        sub_district=sub_district,
        parent=None,
        name="如意湖党工委",
        kind="work_committee",
        founded_on=dt.date(2008, 1, 1),
        actor=None,
    )
    west, ruyihu = (
        found_organization(
            sub_district=sub_district,
            parent=root,
            name=name,
            kind="branch",
            sector="community",
            founded_on=dt.date(2008, 6, 1),
            actor=None,
        )
        for name in ("商务西街社区党支部", "如意湖社区党支部")
    )
    for branch in (west, ruyihu):
        MemberFactory(organization=branch)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    pass_two_factor(page, "staff")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/branches/tree/")
    page.get_by_role("link", name="商务西街社区党支部").click()
    page.get_by_role("link", name="合并").click()
    page.get_by_label("如意湖社区党支部").check()
    page.get_by_label("合并成立新的党组织（在下方填写名称）").check()
    page.fill("input[name=new_name]", "商务区社区党支部")
    page.fill("input[name=on]", "2016-09-01")
    page.screenshot(path="tests/e2e/artifacts/merge-form.png", full_page=True)
    page.get_by_role("button", name="合并").click()

    page.wait_for_selector("h1:has-text('商务区社区党支部')")
    assert "党组织已合并" in page.content()
    history = page.locator("[data-testid=history]").inner_text()
    assert "由 商务西街社区党支部、如意湖社区党支部 合并成立" in history
    assert "2 名党员" not in history  # counts live in the figures, not the history
    assert "共 2 名" in page.locator("[data-testid=member-counts]").inner_text()

    page.locator("[data-testid=merged-from]", has_text="商务西街社区党支部").click()
    page.wait_for_selector("[data-testid=archived-badge]")
    assert "已于 2016-09-01 并入" in page.content()

    page.goto(f"{live_server.url}/staff/branches/tree/?on=2015-01-01")
    tree = page.locator("[data-testid=tree]").inner_text()
    assert "商务西街社区党支部" in tree and "商务区社区党支部" not in tree
