"""A knowledge contest in a real browser on a phone: a resident starts an attempt, answers,
saves, submits; every page fits 375 px without sideways scroll."""

from __future__ import annotations

import pytest

from community.contests.models import Attempt
from tests.accounts.factories import PASSWORD, UserFactory
from tests.community.factories import ContestFactory, QuestionFactory
from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _held_clock(clock):
    return clock


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_a_resident_takes_a_contest_on_a_phone(live_server, phone_page, sub_district):
    base = live_server.url
    for i in range(3):
        QuestionFactory(
            sub_district=sub_district,
            text=f"第{i + 1}题：中国共产党的最高理想和最终目标是什么？"
            "这是一道比较长的题目，用来检查换行。",
            options=["实现共产主义", "全面建成小康社会", "实现社会主义现代化"],
            answer="A",
        )
    contest = ContestFactory(sub_district=sub_district, question_count=3)
    UserFactory(username="auntie", full_name="张阿姨")

    page = phone_page
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "auntie")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_load_state()

    page.goto(f"{base}/contests/")
    no_sideways_scroll(page)
    page.locator("[data-testid=contest-card]").first.click()
    page.wait_for_load_state()
    no_sideways_scroll(page)
    page.click("[data-testid=start]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=question]").count() == 3
    no_sideways_scroll(page)
    page.check("#q1A")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    assert page.is_checked("#q1A")
    page.check("#q2A")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "contest-attempt.png"), full_page=True)
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=submitted]").count() == 1
    no_sideways_scroll(page)
    attempt = Attempt.objects.get(contest=contest)
    assert attempt.score == 2
