from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regional.models import ActionItem, JointMeeting, Need, Project, Resolution
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import pass_two_factor
from tests.regional.joint_setup import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """The live server runs in this process: holding Django's clock at 10:00 holds the server's
    too, so 'today', 'in ten minutes' and 'ninety minutes ago' never straddle midnight."""
    return clock


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    pass_two_factor(page, username)


def test_a_quarter_runs_topic_meeting_action_item_claim_and_close(
    live_server, page, staff, secretary, sub_district, branch
):
    w = build(sub_district, branch)
    base = live_server.url
    meeting_url = f"{base}/staff/branches/joint/meetings/{w.meeting.pk}/"

    # A liaison submits a topic before the deadline.
    login(page, base, "liaison")
    page.goto(meeting_url)
    page.get_by_role("link", name="提交议题").click()
    page.fill("input[name=title]", "高考季考生心理辅导")
    page.click("#submit-id-submit")
    page.wait_for_url(meeting_url)
    assert "议题已提交。" in page.locator(".alert").first.inner_text()
    assert "高考季考生心理辅导" in page.locator("[data-testid=topics]").inner_text()

    # The meeting day comes.
    JointMeeting.objects.filter(pk=w.meeting.pk).update(scheduled_on=timezone.localdate())

    # Staff build the agenda, record attendance, a resolution with an action item, the minutes.
    login(page, base, "staff")
    page.goto(meeting_url)
    page.get_by_role("button", name="更新议程").click()
    expect(page.locator("[data-testid=agenda]")).to_contain_text("高考季考生心理辅导")
    page.get_by_role("link", name="登记出席").click()
    page.select_option("select[name=unit]", label="郑州市儿童医院党委")
    page.select_option("select[name=status]", "present")
    page.click("#submit-id-submit")
    page.wait_for_url(f"{meeting_url}attendance/")
    page.select_option("select[name=unit]", label="河南艺术中心党支部")
    page.select_option("select[name=status]", "absent")
    page.click("#submit-id-submit")
    # An absence without a reason is refused with its message.
    assert "请填写缺席原因。" in page.content()
    page.fill("input[name=reason]", "外出演出")
    page.click("#submit-id-submit")
    page.goto(meeting_url)
    page.get_by_role("link", name="添加决议").click()
    page.fill("textarea[name=text]", "开展健康义诊进社区")
    page.fill("input[name=item_title]", "组织儿科义诊")
    page.select_option("select[name=owner_unit]", label="郑州市儿童医院党委")
    page.fill("input[name=deadline]", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.click("#submit-id-submit")
    page.wait_for_url(meeting_url)
    page.get_by_role("link", name="会议纪要").click()
    page.fill("textarea[name=minutes]", "会议通报三张清单，议定健康义诊。")
    page.click("#submit-id-submit")
    page.wait_for_url(meeting_url)
    assert "已召开" in page.locator("[data-testid=meeting-status]").inner_text()
    attendance = page.locator("[data-testid=attendance]").inner_text()
    assert "外出演出" in attendance
    assert ActionItem.objects.get().title == "组织儿科义诊"

    # The unit claims a need.
    login(page, base, "liaison")
    page.goto(f"{base}/staff/branches/joint/needs/")
    page.get_by_role("link", name="认领").click()
    page.fill("input[name=deadline]", (timezone.localdate() + dt.timedelta(days=20)).isoformat())
    page.click("#submit-id-submit")
    project = Project.objects.get()
    page.wait_for_url(f"{base}/staff/branches/joint/projects/{project.pk}/")
    page.fill("textarea[name=text]", "已联系儿科医生三名")
    page.click("#submit-id-submit")
    assert "已联系儿科医生三名" in page.content()

    # The community confirms it done.
    login(page, base, "secretary")
    page.goto(f"{base}/staff/branches/joint/projects/{project.pk}/")
    page.get_by_role("button", name="确认完成").click()
    expect(page.locator("[data-testid=project-status]")).to_contain_text("已完成")
    assert Need.objects.get(pk=w.need.pk).status == "closed"


def test_a_claim_is_released_a_community_closes_its_item_and_the_year_is_reported(
    live_server, page, staff, secretary, sub_district, branch
):
    w = build(sub_district, branch)
    base = live_server.url
    today = timezone.localdate()
    resolution = Resolution.objects.create(meeting=w.meeting, text="整治楼院环境")
    ActionItem.objects.create(
        resolution=resolution,
        title="清理楼道堆物",
        owner_community=w.community,
        deadline=today - dt.timedelta(days=3),
    )

    # The liaison claims a need, then gives it back with a reason: it is claimable again.
    login(page, base, "liaison")
    page.goto(f"{base}/staff/branches/joint/needs/")
    page.get_by_role("link", name="认领").click()
    page.fill("input[name=deadline]", (today + dt.timedelta(days=20)).isoformat())
    page.click("#submit-id-submit")
    page.get_by_test_id("release-claim").click()
    page.fill("input[name=reason]", "   ")
    page.click("#submit-id-submit")
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() == 1  # a blank reason is refused
    assert Need.objects.get(pk=w.need.pk).status == "claimed"
    page.fill("input[name=reason]", "医生排班冲突")
    page.click("#submit-id-submit")
    page.wait_for_url(f"{base}/staff/branches/joint/needs/")
    assert "认领已释放" in page.locator(".alert").first.inner_text()
    assert Need.objects.get(pk=w.need.pk).status == "open"
    assert page.get_by_role("link", name="认领").count() == 1

    # The community secretary sees the overdue item highlighted and closes it with a note.
    login(page, base, "secretary")
    page.goto(f"{base}/staff/branches/joint/community-action-items/?status=overdue")
    row = page.locator("tr[data-overdue]")
    assert "清理楼道堆物" in row.inner_text()
    row.locator("input[name=text]").fill("已清理完毕")
    row.locator("input[name=done]").check()
    row.get_by_role("button", name="保存进展").click()
    page.wait_for_url("**/community-action-items/?status=overdue")
    assert page.locator("tr[data-overdue]").count() == 0
    assert ActionItem.objects.get().status == "done"

    # Staff write, submit and download the committee's work report for the year.
    login(page, base, "staff")
    page.goto(f"{base}/staff/branches/joint/committees/{w.committee.pk}/report/{today.year}/")
    assert "释放1个" in page.get_by_test_id("sentence-lists").inner_text()
    page.fill("textarea[name=summary]", "全年召开联席会议，推进三张清单。")
    page.fill("textarea[name=next_year_plan]", "举办如意湖大讲堂。")
    page.click("#submit-id-submit")
    expect(page.locator(".alert").first).to_contain_text("报告草稿已保存。")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("已提交")
    with page.expect_download() as download:
        page.get_by_test_id("report-docx").click()
    assert download.value.suggested_filename == f"work-report-{today.year}.docx"

    # The year-end evaluation is computed and its notice exported.
    page.goto(f"{base}/staff/branches/joint/committees/{w.committee.pk}/evaluation/{today.year}/")
    page.get_by_role("button", name="计算考评数据").click()
    expect(page.get_by_test_id("evaluation-table")).to_have_count(1)
    with page.expect_download() as notice:
        page.get_by_role("link", name="下载通报（DOCX）").click()
    assert notice.value.suggested_filename == f"notice-{today.year}.docx"
