"""A party member on a 375-px phone: sign in, ask for leave from one meeting, check in at another
with the code the secretary shows, claim a community need and report the service done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from activities import participation
from activities.models import CheckIn, LeaveRequest
from branches.models import Community
from members.binding.services import member_of
from members.inservice import services as inservice
from members.models import CommunityService, NeedClaim
from tests.activities.factories import MeetingFactory
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_phone import WIDTH, sign_in, too_wide

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]


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


def test_member_asks_leave_checks_in_and_claims_a_need_on_a_phone(
    live_server, phone, member_user, branch, sub_district, staff, secretary
):
    me = member_of(member_user)
    later = MeetingFactory(
        organization=branch,
        topic="下周主题党日",
        starts_at=timezone.now() + dt.timedelta(days=5),
    )
    now = MeetingFactory(organization=branch, topic="今晚支部党员大会", starts_at=timezone.now())
    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(community)
    inservice.register_member(
        actor=secretary,
        member=me,
        community=community,
        registered_on=timezone.localdate(),
        employer_name="郑州市儿童医院",
    )
    need = inservice.post_need(
        actor=staff,
        community=community,
        title="楼道清扫",
        needed_by=timezone.localdate() + dt.timedelta(days=7),
        slots=2,
    )
    base = live_server.url
    sign_in(phone, base, "member")

    phone.goto(f"{base}/me/")
    assert phone.locator("[data-testid=my-branch]").inner_text() == branch.name
    assert too_wide(phone) <= WIDTH

    # Leave from next week's meeting
    phone.goto(f"{base}/me/meetings/")
    phone.click("text=下周主题党日")
    phone.fill("input[name=reason]", "出差在外地")
    phone.click("#submit-id-submit")
    phone.wait_for_selector("[data-testid=leave-asked]")
    assert too_wide(phone) <= WIDTH
    assert LeaveRequest.objects.get(meeting=later, member=me).reason == "出差在外地"

    # Check in at tonight's meeting with the code the secretary shows
    code, _left = participation.current_code(now)
    phone.goto(f"{base}/me/meetings/{now.pk}/")
    phone.fill("input[name=code]", code)
    phone.click("#submit-id-submit")
    phone.wait_for_selector("[data-testid=checked-in]")
    assert CheckIn.objects.filter(meeting=now, member=me).exists()
    assert too_wide(phone) <= WIDTH

    # Claim a need and report the service
    phone.goto(f"{base}/me/service/")
    phone.click("[data-testid=claim-need]")
    phone.wait_for_selector("[data-testid=claimed]")
    assert NeedClaim.objects.filter(need=need).count() == 1
    phone.fill("input[name=hours]", "2")
    phone.fill("textarea[name=description]", "清扫三个楼道")
    phone.select_option("select[name=need]", str(need.pk))
    phone.click("#submit-id-submit")
    phone.wait_for_selector("[data-testid=my-services] >> text=清扫三个楼道")
    assert CommunityService.objects.get(member=me).status == "pending"
    assert too_wide(phone) <= WIDTH

    for path in ("/me/", "/me/meetings/", "/me/record/", "/me/service/"):
        phone.goto(f"{base}{path}")
        assert too_wide(phone) <= WIDTH, path
