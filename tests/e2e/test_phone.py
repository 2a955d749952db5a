"""On a 375-px phone every workbench page is reachable from the menu and nothing is wider than
the screen; the same for a resident's pages."""

from __future__ import annotations

import pytest

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import ARTIFACTS, pass_two_factor
from tests.members.factories import MemberFactory
from tests.venues.factories import RoomFactory, ServiceHallFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 375
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
)


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    pass_two_factor(page, username)


def too_wide(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def broken_labels(page) -> list[str]:
    """Tab and pill labels that wrap onto a second line ("活/动")."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main .nav:not(.flex-column) .nav-link')]
            .filter(a => a.offsetParent !== null)
            .filter(a => a.getClientRects().length > 1 || a.offsetHeight >
                         2 * parseFloat(getComputedStyle(a).lineHeight))
            .map(a => a.innerText)"""
    )


def test_a_secretary_reaches_every_menu_entry_on_a_phone_and_nothing_overflows(
    live_server, phone, secretary, branch, party_group
):
    for n in range(46):
        MemberFactory(
            organization=branch,
            party_group=party_group if n % 2 else None,
            full_name=f"{SURNAMES[n]}欣怡{n}",
        )
    base = live_server.url
    sign_in(phone, base, "secretary")
    phone.goto(f"{base}/staff/")
    assert not phone.locator("#staff-menu").is_visible()
    phone.click("[data-testid=menu-button]")
    phone.wait_for_selector("#staff-menu.show")
    entries = phone.locator("[data-testid=staff-menu] a.nav-link")
    labels = [entries.nth(i).inner_text() for i in range(entries.count())]
    assert "三会一课" in labels, labels
    assert len(labels) >= 10

    problems = []
    for label in labels:
        phone.goto(f"{base}/staff/")
        phone.click("[data-testid=menu-button]")
        phone.wait_for_selector("#staff-menu.show")
        phone.locator("[data-testid=staff-menu]").get_by_role(
            "link", name=label, exact=True
        ).click()
        phone.wait_for_load_state()
        current = phone.locator("[data-testid=staff-menu] a.nav-link[aria-current=page]")
        on_workbench = "/staff/" in phone.url
        if on_workbench and (current.count() != 1 or current.text_content().strip() != label):
            problems.append(f"{label}: not marked as the current entry")
        if too_wide(phone) > WIDTH:
            phone.screenshot(path=str(ARTIFACTS / f"phone-{label}.png"), full_page=True)
            problems.append(f"{label} ({phone.url}): {too_wide(phone)} px wide")
        if broken_labels(phone):
            problems.append(f"{label}: tab labels wrap {broken_labels(phone)}")
    assert problems == [], "\n".join(problems)

    phone.goto(f"{base}/staff/members/")
    name = phone.locator("[data-testid=member-table] a", has_text="王欣怡0").first
    box = name.bounding_box()
    assert box and box["height"] < 30, "a name wraps onto several lines"


def test_a_residents_pages_fit_a_phone(live_server, phone, sub_district):
    UserFactory(username="walker", phone="13900000009")
    hall = ServiceHallFactory(sub_district=sub_district, name="国泰一品党群服务站")
    RoomFactory(hall=hall, name="休闲吧", kind="leisure")
    base = live_server.url
    sign_in(phone, base, "walker")
    pages = ["/", "/venues/", "/venues/my/", "/volunteers/"]
    phone.goto(f"{base}/volunteers/")
    tabs = phone.locator("main nav.nav a.nav-link")
    pages += [tabs.nth(i).get_attribute("href") for i in range(tabs.count())]
    problems = []
    for path in dict.fromkeys(pages):
        phone.goto(f"{base}{path}")
        if too_wide(phone) > WIDTH:
            culprits = phone.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth)
                    .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
            )
            problems.append(f"{path}: {too_wide(phone)} px wide {culprits}")
        if broken_labels(phone):
            problems.append(f"{path}: tab labels wrap {broken_labels(phone)}")
    assert problems == [], "\n".join(problems)
