from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import PASSWORD
from tests.activities.factories import MeetingFactory, at
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretary_records_a_30_member_meeting_from_the_roster_on_a_phone(
    live_server, phone_page, secretary, branch, clock
):
    """The live server shares this process's held clock: 'yesterday' is the server's too."""
    members = [MemberFactory(organization=branch, full_name=f"党员{i:02d}") for i in range(30)]
    meeting = MeetingFactory(
        organization=branch,
        kind="general_meeting",
        topic="第四季度支部党员大会",
        starts_at=at(timezone.localdate() - dt.timedelta(days=1)),
    )
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/activities/meetings/{meeting.pk}/")
    page.get_by_role("link", name="登记召开情况").click()
    roster = page.locator("[data-testid=roster]")
    assert roster.locator(".roster-row").count() == 30
    # Everyone is present by default: mark only the one on leave.
    absent = members[7]
    page.locator(f"[data-member='{absent.pk}'] label", has_text="请假").click()
    page.get_by_label(f"{absent.full_name} 的原因").fill("外出学习")
    page.fill("input[name=motion_0]", "接收预备党员")
    page.fill("input[name=yes_0]", "29")
    page.fill("input[name=no_0]", "0")
    page.fill("input[name=abstain_0]", "0")
    page.fill("textarea[name=main_points]", "传达学习上级会议精神，讨论接收预备党员。")
    page.screenshot(path="tests/e2e/artifacts/meeting-record-phone.png", full_page=True)
    page.click("#save-record")

    page.wait_for_selector("[data-testid=attendance-summary]")
    assert "应到 30 人，实到 29 人" in page.locator("[data-testid=attendance-summary]").inner_text()
    assert "通过" in page.locator("[data-testid=vote-result]").inner_text()
    page.get_by_role("button", name="签发").click()
    page.wait_for_selector("[data-testid=signed-off]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400


def test_secretary_records_a_meeting_already_held_in_one_step(
    live_server, page, secretary, branch, clock
):
    """Paper minutes of last night's branch meeting, entered from the branch page in one form.
    The live server shares this process's held clock: 'yesterday' is the server's too."""
    members = [MemberFactory(organization=branch, full_name=f"党员{i:02d}") for i in range(6)]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/branches/organizations/{branch.pk}/")
    page.click("[data-testid=record-held-meeting]")
    page.select_option("select[name=kind]", "general_meeting")
    page.fill("input[name=topic]", "第四季度支部党员大会")
    yesterday = clock.today - dt.timedelta(days=1)
    page.fill("input[name=starts_at]", f"{yesterday.isoformat()}T19:00")
    assert page.input_value("input[name=starts_at]") == f"{yesterday.isoformat()}T19:00"
    absent = members[2]
    page.locator(f"[data-member='{absent.pk}'] label", has_text="请假").click()
    page.get_by_label(f"{absent.full_name} 的原因").fill("外出学习")
    page.fill("input[name=motion_0]", "接收预备党员")
    page.fill("input[name=yes_0]", "5")
    page.fill("input[name=no_0]", "0")
    page.fill("input[name=abstain_0]", "0")
    page.screenshot(path="tests/e2e/artifacts/meeting-record-held.png", full_page=True)
    page.click("#save-record")

    page.wait_for_selector("[data-testid=attendance-summary]")
    assert "应到 6 人，实到 5 人" in page.locator("[data-testid=attendance-summary]").inner_text()
    assert "通过" in page.locator("[data-testid=vote-result]").inner_text()
