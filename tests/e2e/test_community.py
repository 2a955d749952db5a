"""Community life in a real browser on a phone: a resident enrols in a course of the seniors'
college and votes in an award campaign; no sideways scroll."""

from __future__ import annotations

import pytest

from community.models import Enrolment, Vote
from tests.accounts.factories import PASSWORD, UserFactory
from tests.community.factories import (
    CampaignFactory,
    CategoryFactory,
    CourseFactory,
    NominationFactory,
    SchoolFactory,
)
from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _held_clock(clock):
    return clock


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"community-{name}.png"), full_page=True)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_a_resident_enrols_in_a_course_and_votes_on_a_phone(live_server, phone_page, sub_district):
    base = live_server.url
    school = SchoolFactory(sub_district=sub_district, name="老年大学如意湖分校")
    course = CourseFactory(term__school=school, title="茶艺", places=1)
    CourseFactory(term=course.term, title="书法", places=20)
    category = CategoryFactory(campaign=CampaignFactory(sub_district=sub_district), name="最美家庭")
    nominee = NominationFactory(category=category, nominee_name="王秀英家庭")
    resident = UserFactory(username="auntie", full_name="张阿姨")
    UserFactory(username="late", full_name="李大爷")

    page = phone_page
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "auntie")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_load_state()

    page.goto(f"{base}/courses/")
    assert page.locator("[data-testid=course-card]").count() == 2
    no_sideways_scroll(page)
    shot(page, "catalogue")
    page.locator("[data-testid=course-card]", has_text="茶艺").click()
    page.wait_for_load_state()
    page.click("[data-testid=enrol]")
    page.wait_for_load_state()
    assert "已报名" in page.inner_text("[data-testid=enrolment-status]")
    no_sideways_scroll(page)
    shot(page, "enrolled")
    assert Enrolment.objects.get(resident=resident, course=course).status == "enrolled"

    page.goto(f"{base}/courses/me/")
    assert "茶艺" in page.inner_text("[data-testid=my-course]")
    no_sideways_scroll(page)

    page.goto(f"{base}/awards/")
    page.locator("[data-testid=campaign-card]").first.click()
    page.wait_for_load_state()
    no_sideways_scroll(page)
    page.locator("[data-testid=nominee]", has_text="王秀英家庭").locator(
        "[data-testid=vote]"
    ).click()
    page.wait_for_load_state()
    assert "已投票" in page.inner_text("[data-testid=nominee]")
    shot(page, "voted")
    nominee.refresh_from_db()
    assert nominee.vote_count == 1
    assert Vote.objects.filter(voter=resident).count() == 1


def test_a_resident_nominates_a_neighbour_on_a_phone(
    live_server, phone_page, sub_district, tmp_path, settings
):
    import datetime as dt
    import io

    from django.utils import timezone
    from PIL import Image

    from community.models import Nomination

    now = timezone.now()
    campaign = CampaignFactory(
        sub_district=sub_district,
        title="十佳志愿者",
        nomination_opens_at=now - dt.timedelta(days=1),
        nomination_closes_at=now + dt.timedelta(days=5),
        vote_opens_at=now + dt.timedelta(days=6),
        vote_closes_at=now + dt.timedelta(days=12),
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    category = CategoryFactory(campaign=campaign, name="十佳志愿者")
    resident = UserFactory(username="auntie", full_name="张阿姨")
    photo = tmp_path / "neighbour.png"
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(out, format="PNG")
    photo.write_bytes(out.getvalue())

    base = live_server.url
    page = phone_page
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "auntie")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_load_state()

    page.goto(f"{base}/awards/")
    page.click("[data-testid=nominating-card]")
    page.wait_for_load_state()
    no_sideways_scroll(page)
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=nominee_name]", "刘大姐")
    page.fill("textarea[name=citation]", "坚持十年为楼栋独居老人送餐，组织邻里志愿服务队。")
    page.set_input_files("input[name=photo]", str(photo))
    shot(page, "nominate")
    page.click("[data-testid=nominate-form] [type=submit]")
    page.wait_for_load_state()
    from playwright.sync_api import expect

    expect(page.locator("[data-testid=my-nomination]")).to_contain_text("刘大姐")
    no_sideways_scroll(page)
    shot(page, "nominated")
    nomination = Nomination.objects.get(nominated_by=resident)
    assert (nomination.nominee_name, nomination.status) == ("刘大姐", "pending")
    assert nomination.photo
