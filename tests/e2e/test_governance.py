"""Residents' voice on a phone: a resident gives an opinion with a photo, staff reply, the
resident rates the reply; the pages never scroll sideways."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from governance.models import Opinion
from governance.services import opinions as services
from tests.accounts.factories import PASSWORD, UserFactory
from tests.branches.factories import CommunityFactory
from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _held_clock(clock):
    return clock


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"governance-{name}.png"), full_page=True)


def test_a_resident_submits_an_opinion_and_rates_the_reply_on_a_phone(
    live_server, phone_page, sub_district, branch, staff, tmp_path
):
    page = phone_page
    base = live_server.url
    community = CommunityFactory(sub_district=sub_district, name="联盟新城社区")
    UserFactory(username="resident", full_name="刘芳", phone="13900000001")
    photo = tmp_path / "light.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 30, 30)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "resident")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_load_state()

    page.goto(f"{base}/voice/")
    page.click("[data-testid=new-opinion]")
    page.select_option("select[name=community]", str(community.pk))
    page.select_option("select[name=category]", "facilities")
    page.fill("input[name=title]", "楼道灯坏了")
    page.fill("textarea[name=text]", "2单元3楼楼道灯坏了一周。")
    page.set_input_files("input[name=photos]", str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "submit")
    page.click("#opinion-form [type=submit]")
    page.wait_for_load_state()
    assert "楼道灯坏了" in page.inner_text("h1")

    opinion = Opinion.objects.get(title="楼道灯坏了")
    assert opinion.photos.count() == 1
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    services.start_opinion(opinion=opinion, actor=staff)
    services.reply_to_opinion(opinion=opinion, reply="已更换灯泡。", actor=staff)

    page.reload()
    assert "已更换灯泡" in page.inner_text("[data-testid=reply]")
    page.check("#rate-form input[name=rating][value='4']")
    page.fill("#rate-form input[name=comment]", "修得快")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "rate")
    page.click("#rate-form [type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=closed]").is_visible()
    opinion.refresh_from_db()
    assert (opinion.state, opinion.rating, opinion.rating_comment) == ("closed", 4, "修得快")
