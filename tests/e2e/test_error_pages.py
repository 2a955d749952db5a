"""A refused page in a real browser: the portal's own page in Chinese, and the way back works."""

from __future__ import annotations

import pytest

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_opening_the_workbench_sees_the_403_page_and_goes_home(live_server, page):
    UserFactory(username="resident_e2e")
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "resident_e2e")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_load_state()

    response = page.goto(f"{base}/staff/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "您无权打开此页面"
    assert page.locator(".navbar-brand").inner_text() == "街道党建工作平台"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "errors-403.png"), full_page=True)

    page.get_by_role("link", name="返回首页").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/"

    response = page.goto(f"{base}/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    page.screenshot(path=str(ARTIFACTS / "errors-404.png"), full_page=True)
