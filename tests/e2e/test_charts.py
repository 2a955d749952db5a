"""Charts and the hall's display screen in a real Chromium: every chart drawn from its JSON,
no request leaves 127.0.0.1, no CSP violation, no sideways scroll on a phone, and a screen
reloaded again and again does not grow its JavaScript heap. Screenshots are kept."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from charts.figures import CHARTS
from charts.services import create_screen
from config.views import DASHBOARD_CHARTS
from tests.accounts.factories import PASSWORD
from tests.activities.factories import MeetingFactory
from tests.e2e.conftest import ARTIFACTS, pass_two_factor
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
RELOADS = 12


@pytest.fixture
def world(clock, branch, other_branch):
    clock.set(dt.date(2026, 6, 15))
    MemberFactory.create_batch(4, organization=branch, education="college", category="retired")
    MemberFactory.create_batch(3, organization=other_branch, gender="female")
    for day in (3, 9):
        MeetingFactory(organization=branch, held_on=dt.date(2026, 6, day))
    return branch


def watch(page):
    """Every URL the page asks for, and every console error (a CSP refusal is one)."""
    seen = {"urls": [], "errors": []}
    page.on("request", lambda request: seen["urls"].append(request.url))
    page.on(
        "console",
        lambda message: seen["errors"].append(message.text) if message.type == "error" else None,
    )
    return seen


def assert_all_local(seen):
    hosts = {
        urlsplit(url).hostname for url in seen["urls"] if not url.startswith(("data:", "blob:"))
    }
    assert hosts <= LOCAL_HOSTS, hosts
    assert not [e for e in seen["errors"] if "Content Security Policy" in e], seen["errors"]


def sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    pass_two_factor(page, username)


@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_every_chart_is_drawn_with_its_table(live_server, browser, world, staff, secretary, role):
    for size, viewport in (("desktop", (1440, 900)), ("phone", (375, 812))):
        context = browser.new_context(
            locale="zh-CN",
            viewport={"width": viewport[0], "height": viewport[1]},
            is_mobile=size == "phone",
            has_touch=size == "phone",
        )
        page = context.new_page()
        seen = watch(page)
        sign_in(page, live_server.url, role)
        page.goto(f"{live_server.url}/staff/charts/")
        for key in CHARTS:
            page.wait_for_selector(f"[data-testid=chart-{key}][data-ready]", timeout=30_000)
        assert page.locator("figure[data-ready=error]").count() == 0
        assert page.locator("figure[data-ready=true] canvas").count() >= 6
        # The table alternative carries the figures.
        table = page.locator("[data-testid=chart-members-category] table")
        assert "离退休党员" in table.text_content()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0] + 1, f"{size}: sideways scroll ({width}px)"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"charts-{role}-{size}.png"), full_page=True)
        if size == "desktop":
            with page.expect_download() as info:
                page.locator("[data-testid=chart-members-age] [data-role=png]").click()
            assert info.value.suggested_filename == "members-age.png"
            with open(info.value.path(), "rb") as picture:
                assert picture.read(8) == b"\x89PNG\r\n\x1a\n"
        # The home dashboard draws its few charts the same way, and fits a phone too.
        page.goto(f"{live_server.url}/staff/")
        for key in DASHBOARD_CHARTS:
            page.wait_for_selector(f"[data-testid=chart-{key}][data-ready]", timeout=30_000)
        assert page.locator("figure[data-ready=error]").count() == 0
        compliance = page.locator("[data-testid=chart-meetings-by-month] table")
        assert "2026-06" in compliance.text_content()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0] + 1, f"{size}: dashboard scrolls sideways ({width}px)"
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{role}-{size}.png"), full_page=True)
        assert_all_local(seen)
        context.close()


def _heap(client) -> int:
    client.send("HeapProfiler.collectGarbage")
    metrics = client.send("Performance.getMetrics")["metrics"]
    return next(int(m["value"]) for m in metrics if m["name"] == "JSHeapUsedSize")


def test_display_screen_runs_without_growing(live_server, browser, world, sub_district, staff):
    _screen, token = create_screen(
        name="大厅电视", sub_district=sub_district, refresh_seconds=15, actor=staff
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    seen = watch(page)
    client = context.new_cdp_session(page)
    client.send("Performance.enable")
    url = f"{live_server.url}/screen/{token}/"
    page.goto(url)
    page.wait_for_selector("body[data-loaded]", timeout=30_000)
    assert page.inner_text("[data-field=members]") == "7"
    assert page.inner_text("[data-field=branches]") == "2"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screen-1920x1080.png"))
    heaps = []
    for _ in range(RELOADS):
        page.reload()
        page.wait_for_selector("body[data-loaded]", timeout=30_000)
        heaps.append(_heap(client))
    # Redraws in place (the data loop) do not grow it either.
    for _ in range(5):
        page.evaluate("window.dispatchEvent(new Event('resize'))")
    settled = heaps[len(heaps) // 2 :]
    assert max(settled) <= min(heaps[:3]) * 1.3 + 512 * 1024, heaps
    assert page.locator("body[data-failed]").count() == 0
    assert_all_local(seen)
    context.close()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-loaded]", timeout=30_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(ARTIFACTS / "screen-phone.png"), full_page=True)
    phone.close()


def test_revoked_screen_link_stops_opening(live_server, browser, sub_district, staff, clock):
    clock.set(dt.date(2026, 6, 15))
    from charts.services import revoke_screen

    screen, token = create_screen(name="旧电视", sub_district=sub_district, actor=staff)
    revoke_screen(screen=screen, actor=staff)
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(f"{live_server.url}/screen/{token}/")
    assert response.status == 404
    context.close()
