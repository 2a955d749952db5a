from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import OutgoingEmail
from regional.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ItemStatus,
    JointMeeting,
    JointSettings,
    Need,
    Project,
    UnitEvaluation,
)
from regional.services import joint as services
from regional.services.joint_reminders import send_joint_reminders
from tests.printed import assert_printed_page
from tests.regional import joint_setup


@pytest.fixture
def w(db, sub_district, branch):
    return joint_setup.build(sub_district, branch)


def test_schedule_meeting_sets_quarter_and_carries_open_action_items(w, staff):
    resolution = services.add_resolution(meeting=w.meeting, text="开展健康义诊", actor=staff)
    item = services.add_action_item(
        resolution=resolution,
        title="组织义诊",
        deadline=w.meeting.scheduled_on + dt.timedelta(days=30),
        owner_unit=w.unit,
        actor=staff,
    )
    done = services.add_action_item(
        resolution=resolution,
        title="已完成事项",
        deadline=w.meeting.scheduled_on + dt.timedelta(days=30),
        owner_community=w.community,
        actor=staff,
    )
    services.note_action_progress(item=done, text="完成", done=True, actor=staff)
    day = dt.date(w.meeting.scheduled_on.year + 1, 5, 10)
    later = services.schedule_meeting(
        committee=w.committee, scheduled_on=day, topic="Q2", actor=staff
    )
    assert later.quarter == 2 and later.year == day.year
    assert list(AgendaItem.objects.filter(meeting=later).values_list("action_item", flat=True)) == [
        item.pk
    ]


def test_topic_refused_after_deadline_and_deadline_is_a_setting(w):
    deadline = w.meeting.scheduled_on - dt.timedelta(days=10)
    services.submit_topic(
        meeting=w.meeting, unit=w.unit, title="议题", actor=w.liaison, today=deadline
    )
    with pytest.raises(DomainError, match="截止日期"):
        services.submit_topic(
            meeting=w.meeting,
            unit=w.unit,
            title="迟到",
            actor=w.liaison,
            today=deadline + dt.timedelta(days=1),
        )
    JointSettings.objects.filter(sub_district=w.sub_district).update(topic_deadline_days=5)
    services.submit_topic(
        meeting=w.meeting,
        unit=w.unit,
        title="现在可以",
        actor=w.liaison,
        today=deadline + dt.timedelta(days=1),
    )
    assert w.meeting.topics.count() == 2


def test_topic_from_a_unit_not_sitting_is_refused(w):
    with pytest.raises(DomainError, match="成员单位"):
        services.submit_topic(meeting=w.meeting, unit=w.free_unit, title="x", actor=None)


def test_build_agenda_adds_topics_once(w, staff):
    services.submit_topic(meeting=w.meeting, unit=w.unit, title="议题", actor=w.liaison)
    assert services.build_agenda(meeting=w.meeting, actor=staff) == 1
    assert services.build_agenda(meeting=w.meeting, actor=staff) == 0


def test_attendance_absence_needs_reason_and_delegate_a_name(w, staff):
    with pytest.raises(DomainError, match="缺席原因"):
        services.record_attendance(meeting=w.meeting, unit=w.unit, status="absent", actor=staff)
    with pytest.raises(DomainError, match="受委托"):
        services.record_attendance(meeting=w.meeting, unit=w.unit, status="delegate", actor=staff)
    services.record_attendance(
        meeting=w.meeting, unit=w.unit, status="absent", reason="出差", actor=staff
    )
    services.record_attendance(meeting=w.meeting, unit=w.unit, status="present", actor=staff)
    assert Attendance.objects.get().status == "present"
    assert Attendance.objects.get().reason == ""


def test_meeting_cannot_be_held_before_its_day(w, staff):
    with pytest.raises(DomainError, match="不能登记为已召开"):
        services.hold_meeting(meeting=w.meeting, minutes="纪要", actor=staff)
    services.hold_meeting(
        meeting=w.meeting, minutes="纪要", actor=staff, today=w.meeting.scheduled_on
    )
    assert JointMeeting.objects.get(pk=w.meeting.pk).status == "held"


def test_action_item_needs_exactly_one_owner(w, staff):
    resolution = services.add_resolution(meeting=w.meeting, text="决议", actor=staff)
    deadline = w.meeting.scheduled_on + dt.timedelta(days=5)
    with pytest.raises(DomainError, match="一个责任方"):
        services.add_action_item(resolution=resolution, title="x", deadline=deadline, actor=staff)
    with pytest.raises(DomainError, match="一个责任方"):
        services.add_action_item(
            resolution=resolution,
            title="x",
            deadline=deadline,
            owner_unit=w.unit,
            owner_community=w.community,
            actor=staff,
        )
    assert not ActionItem.objects.exists()


def test_claim_need_becomes_project_and_community_closes_it(w, staff, secretary):
    project = services.claim_need(
        need=w.need, unit=w.unit, deadline=w.today + dt.timedelta(days=30), actor=w.liaison
    )
    assert project.unit == w.unit and project.community == w.community
    with pytest.raises(DomainError, match="已被其他"):
        services.claim_need(
            need=w.need, unit=w.second_unit, deadline=w.today, actor=w.second_liaison
        )
    services.note_project_progress(project=project, text="已联系医生", actor=w.liaison)
    services.confirm_project_done(project=project, actor=secretary)
    assert Need.objects.get(pk=w.need.pk).status == ItemStatus.CLOSED
    with pytest.raises(DomainError, match="已办结"):
        services.confirm_project_done(project=project, actor=secretary)


def test_claim_resource_by_community(w, secretary):
    project = services.claim_resource(
        resource=w.resource, community=w.community, deadline=w.today, actor=secretary
    )
    assert project.unit == w.unit
    with pytest.raises(DomainError, match="已被其他"):
        services.claim_resource(
            resource=w.resource, community=w.community, deadline=w.today, actor=secretary
        )


@pytest.mark.django_db(transaction=True)
def test_two_units_racing_for_one_need_have_one_winner(sub_district, branch):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks; SQLite serialises writers")
    w = joint_setup.build(sub_district, branch)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def claim(unit, user):
        try:
            barrier.wait()
            services.claim_need(
                need=w.need, unit=unit, deadline=w.today + dt.timedelta(days=3), actor=user
            )
            results.append("won")
        except DomainError as exc:
            results.append(f"lost: {exc.status_code}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=claim, args=(w.unit, w.liaison)),
        threading.Thread(target=claim, args=(w.second_unit, w.second_liaison)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["lost: 409", "won"]
    assert Project.objects.filter(need=w.need).count() == 1


def test_publish_lists_once_and_export_neutralises_formulas(w, staff):
    import io

    from openpyxl import load_workbook

    Need.objects.create(committee=w.committee, community=w.community, title="=HYPERLINK(1)")
    snapshot = services.publish_lists(meeting=w.meeting, actor=staff)
    assert {n["title"] for n in snapshot.data["needs"]} == {"健康义诊", "=HYPERLINK(1)"}
    with pytest.raises(DomainError, match="已发布过"):
        services.publish_lists(meeting=w.meeting, actor=staff)
    from regional.exporters.joint import lists_xlsx

    book = load_workbook(io.BytesIO(lists_xlsx(snapshot)))
    cells = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in cells
    assert "=HYPERLINK(1)" not in cells


def test_reminders_are_sent_once_each(w, staff):
    resolution = services.add_resolution(meeting=w.meeting, text="决议", actor=staff)
    item = services.add_action_item(
        resolution=resolution,
        title="组织义诊",
        deadline=w.meeting.scheduled_on + dt.timedelta(days=2),
        owner_unit=w.unit,
        actor=staff,
    )
    day = w.meeting.scheduled_on - dt.timedelta(days=3)
    assert send_joint_reminders(today=day - dt.timedelta(days=1)) == 0
    assert send_joint_reminders(today=day) == 1
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == [
        "l1@example.org",
        "l2@example.org",
    ]
    assert send_joint_reminders(today=day) == 0
    assert send_joint_reminders(today=item.deadline - dt.timedelta(days=3)) == 1
    assert OutgoingEmail.objects.filter(to="l1@example.org").count() == 2
    assert send_joint_reminders(today=item.deadline - dt.timedelta(days=1)) == 0


def test_year_end_evaluation_counts_and_notice(w, staff):
    import io

    from docx import Document

    meeting = w.meeting
    services.record_attendance(meeting=meeting, unit=w.unit, status="present", actor=staff)
    services.record_attendance(
        meeting=meeting, unit=w.second_unit, status="absent", reason="未请假", actor=staff
    )
    services.hold_meeting(meeting=meeting, minutes="纪要", actor=staff, today=meeting.scheduled_on)
    services.claim_need(need=w.need, unit=w.unit, deadline=w.today, actor=w.liaison)
    services.evaluate_year(committee=w.committee, year=meeting.year, actor=staff)
    first = UnitEvaluation.objects.get(unit=w.unit)
    second = UnitEvaluation.objects.get(unit=w.second_unit)
    assert (first.meetings_expected, first.meetings_attended, first.claims_taken) == (1, 1, 1)
    assert second.meetings_attended == 0
    with pytest.raises(DomainError, match="既受表扬"):
        services.judge_unit(
            evaluation=first, score=90, commended=True, failed_duties=True, actor=staff
        )
    with pytest.raises(DomainError, match="0至100"):
        services.judge_unit(
            evaluation=first, score=120, commended=True, failed_duties=False, actor=staff
        )
    services.judge_unit(
        evaluation=first, score=95, commended=True, failed_duties=False, actor=staff
    )
    services.judge_unit(
        evaluation=second,
        score=40,
        commended=False,
        failed_duties=True,
        comment="全年未参加联席会议",
        actor=staff,
    )
    from regional.exporters.joint import evaluation_notice_docx

    text = "\n".join(
        p.text
        for p in Document(io.BytesIO(evaluation_notice_docx(w.committee, meeting.year))).paragraphs
    )
    assert "郑州市儿童医院党委" in text
    assert "河南艺术中心党支部: 全年未参加联席会议" in text
    assert_printed_page(
        evaluation_notice_docx(w.committee, meeting.year),
        header=f"{w.committee.sub_district.name} · {w.committee.name} · {meeting.year}",
    )


def test_an_overdue_action_item_is_reminded_once_to_its_owner(w, staff, secretary):
    secretary.email = "sec@example.org"
    secretary.save()
    resolution = services.add_resolution(meeting=w.meeting, text="决议", actor=staff)
    item = services.add_action_item(
        resolution=resolution,
        title="清理楼道",
        deadline=w.meeting.scheduled_on,
        owner_community=w.community,
        actor=staff,
    )
    now = timezone.now()
    ActionItem.objects.filter(pk=item.pk).update(reminder_sent_at=now)
    JointMeeting.objects.filter(pk=w.meeting.pk).update(reminder_sent_at=now)
    day_after = item.deadline + dt.timedelta(days=1)
    assert send_joint_reminders(today=item.deadline) == 0
    assert send_joint_reminders(today=day_after) == 1
    email = OutgoingEmail.objects.get()
    assert email.to == "sec@example.org" and "逾期" in email.subject
    assert send_joint_reminders(today=day_after + dt.timedelta(days=1)) == 0
    # Done items and items long overdue (history) are not reminded.
    late = services.add_action_item(
        resolution=resolution,
        title="旧事项",
        deadline=w.meeting.scheduled_on,
        owner_unit=w.unit,
        actor=staff,
    )
    ActionItem.objects.filter(pk=late.pk).update(reminder_sent_at=now)
    assert send_joint_reminders(today=late.deadline + dt.timedelta(days=31)) == 0
    services.note_action_progress(item=late, text="完成", done=True, actor=staff)
    assert send_joint_reminders(today=late.deadline + dt.timedelta(days=2)) == 0


@pytest.mark.parametrize("year", [1999, 99999])
def test_evaluating_an_impossible_year_is_refused(w, staff, year):
    with pytest.raises(services.JointRuleBroken) as caught:
        services.evaluate_year(committee=w.committee, year=year, actor=staff)
    assert caught.value.field == "year"
    assert not UnitEvaluation.objects.exists()
