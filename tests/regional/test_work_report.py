from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from accounts.errors import DomainError
from accounts.models import AuditEntry
from regional.exporters.work_report import work_report_docx
from regional.models import WorkReport, WorkReportStatus
from regional.services import joint
from regional.services import work_report as services
from tests.access import assert_access
from tests.printed import assert_printed_page
from tests.regional import joint_setup

API = "/api/v1"
STAFF_ONLY = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}


@pytest.fixture
def w(db, sub_district, branch):
    return joint_setup.build(sub_district, branch)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _a_year_of_work(w, staff):
    """One held meeting (one unit present, one absent), a resolution with an overdue item and a
    done one, a claimed need, an evaluation with a commended and a failed unit."""
    meeting = w.meeting
    joint.record_attendance(meeting=meeting, unit=w.unit, status="present", actor=staff)
    joint.record_attendance(
        meeting=meeting, unit=w.second_unit, status="absent", reason="出差", actor=staff
    )
    joint.hold_meeting(meeting=meeting, minutes="纪要", actor=staff, today=meeting.scheduled_on)
    resolution = joint.add_resolution(meeting=meeting, text="开展义诊", actor=staff)
    late = joint.add_action_item(
        resolution=resolution,
        title="义诊场地",
        deadline=meeting.scheduled_on,
        owner_community=w.community,
        actor=staff,
    )
    done = joint.add_action_item(
        resolution=resolution,
        title="宣传海报",
        deadline=meeting.scheduled_on + dt.timedelta(days=30),
        owner_unit=w.unit,
        actor=staff,
    )
    joint.note_action_progress(item=done, text="已印制", done=True, actor=staff)
    joint.claim_need(need=w.need, unit=w.unit, deadline=w.today, actor=w.liaison)
    joint.evaluate_year(committee=w.committee, year=meeting.year, actor=staff)
    first, second = (
        w.committee.evaluations.get(unit=w.unit),
        w.committee.evaluations.get(unit=w.second_unit),
    )
    joint.judge_unit(evaluation=first, score=95, commended=True, failed_duties=False, actor=staff)
    joint.judge_unit(
        evaluation=second,
        score=50,
        commended=False,
        failed_duties=True,
        comment="缺席",
        actor=staff,
    )
    return late


def test_figures_are_assembled_from_the_records(w, staff):
    late = _a_year_of_work(w, staff)
    after_deadline = late.deadline + dt.timedelta(days=1)
    figures = services.assemble_figures(w.committee, w.meeting.year, today=after_deadline)
    assert figures["meetings"]["held"] == 1
    assert figures["meetings"]["per_year"] == 4
    rows = {row["unit"]: row for row in figures["attendance"]}
    assert rows[w.unit.name]["present"] == 1 and rows[w.unit.name]["rate"] == 100
    assert rows[w.second_unit.name]["absent"] == 1 and rows[w.second_unit.name]["rate"] == 0
    assert figures["attendance_rate"] == 50
    items = figures["action_items"]
    assert (items["total"], items["done"], items["open"], items["overdue"]) == (2, 1, 1, 1)
    assert items["overdue_list"][0]["title"] == "义诊场地"
    assert figures["lists"]["needs"]["claimed"] == 1
    assert figures["lists"]["projects"]["from_needs"] == 1
    assert figures["evaluations"]["commended"] == [w.unit.name]
    assert figures["evaluations"]["failed"] == [{"unit": w.second_unit.name, "comment": "缺席"}]
    assert figures["evaluations"]["average_score"] == 72.5


def test_assembling_takes_the_same_queries_whatever_the_size(
    w, staff, django_assert_max_num_queries
):
    _a_year_of_work(w, staff)
    with django_assert_max_num_queries(18) as small:
        services.assemble_figures(w.committee, w.meeting.year)
    for n in range(5):
        need = joint.add_need(
            committee=w.committee, community=w.community, title=f"需求{n}", actor=staff
        )
        joint.claim_need(need=need, unit=w.second_unit, deadline=w.today, actor=staff)
    with django_assert_max_num_queries(len(small.captured_queries)):
        services.assemble_figures(w.committee, w.meeting.year)


def test_draft_is_saved_then_submitted_and_frozen(w, staff):
    _a_year_of_work(w, staff)
    year = w.meeting.year
    with pytest.raises(DomainError, match="计划"):
        report = services.save_work_report(
            committee=w.committee, year=year, summary="总结", next_year_plan="", actor=staff
        )
        services.submit_work_report(report=report, actor=staff)
    report = WorkReport.objects.get()
    assert report.status == WorkReportStatus.DRAFT and report.figures["meetings"]["held"] == 1
    report = services.save_work_report(
        committee=w.committee, year=year, summary="总结", next_year_plan="明年计划", actor=staff
    )
    report = services.submit_work_report(report=report, actor=staff)
    assert report.status == WorkReportStatus.SUBMITTED and report.submitted_at
    frozen = dict(report.figures)
    # New records do not change a submitted report; edits are refused with a 409.
    joint.add_need(committee=w.committee, community=w.community, title="新需求", actor=staff)
    with pytest.raises(DomainError, match="已提交") as refused:
        services.save_work_report(
            committee=w.committee, year=year, summary="改", next_year_plan="改", actor=staff
        )
    assert refused.value.status_code == 409
    with pytest.raises(DomainError, match="已提交"):
        services.submit_work_report(report=report, actor=staff)
    report.refresh_from_db()
    assert report.figures == frozen and report.summary == "总结"
    assert list(
        AuditEntry.objects.filter(action__startswith="joint.work_report")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "joint.work_report_created",
        "joint.work_report_saved",
        "joint.work_report_submitted",
    ]


def test_bad_year_and_date_are_refused(w, staff):
    with pytest.raises(DomainError, match="2016"):
        services.save_work_report(
            committee=w.committee, year=2010, summary="", next_year_plan="", actor=staff
        )
    with pytest.raises(DomainError):
        services.save_work_report(
            committee=w.committee, year=w.today.year + 1, summary="", next_year_plan="", actor=staff
        )
    with pytest.raises(DomainError, match="日期"):
        services.save_work_report(
            committee=w.committee,
            year=w.today.year,
            summary="",
            next_year_plan="",
            dated=dt.date(w.today.year - 1, 12, 31),
            actor=staff,
        )
    assert not WorkReport.objects.exists()


def test_docx_has_title_sentences_and_tables_in_chinese(w, staff):
    late = _a_year_of_work(w, staff)
    report = services.save_work_report(
        today=late.deadline + dt.timedelta(days=1),
        committee=w.committee,
        year=w.meeting.year,
        summary="全年围绕双迎攻坚开展工作。",
        next_year_plan="举办如意湖大讲堂。",
        actor=staff,
    )
    buffer = io.BytesIO()
    assert work_report_docx(report, buffer) is None
    document = Document(io.BytesIO(buffer.getvalue()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"如意湖大工委{w.meeting.year}年度工作报告" in text
    assert "召开联席会议1次" in text
    assert "全年围绕双迎攻坚开展工作。" in text and "举办如意湖大讲堂。" in text
    assert "草稿" in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {w.unit.name, w.second_unit.name, "义诊场地"} <= cells
    assert work_report_docx(report)[:2] == b"PK"
    assert_printed_page(
        buffer.getvalue(),
        header=f"{w.committee.sub_district.name} · {w.committee.name} · {w.meeting.year}",
    )


def test_report_page_access_matrix_includes_the_liaison(clients, w):
    url = reverse("staff:joint-work-report", args=[w.committee.pk, w.today.year])
    assert_access(clients, url, {**STAFF_ONLY, "staff": 200})
    assert as_user(w.liaison).get(url).status_code == 403
    other = reverse("staff:joint-work-report", args=[w.other_committee.pk, w.today.year])
    assert clients["staff"].get(other).status_code == 404
    for year in (0, 99999):
        bad = reverse("staff:joint-work-report", args=[w.committee.pk, year])
        assert clients["staff"].get(bad).status_code == 404
    data = {"dated": w.today.isoformat(), "summary": "总结", "next_year_plan": "计划"}
    liaison = as_user(w.liaison)
    before = joint_setup.snapshot()
    for role, status in STAFF_ONLY.items():
        assert clients[role].post(url, data).status_code == status
    assert liaison.post(url, data).status_code == 403
    assert joint_setup.snapshot() == before
    assert clients["staff"].post(url, data).status_code == 302
    assert WorkReport.objects.get().summary == "总结"


def test_staff_builds_edits_submits_and_downloads_the_report(clients, w, staff):
    c = clients["staff"]
    year = w.today.year
    url = reverse("staff:joint-work-report", args=[w.committee.pk, year])
    docx = reverse("staff:joint-work-report-docx", args=[w.committee.pk, year])
    submit = reverse("staff:joint-work-report-submit", args=[w.committee.pk, year])
    assert c.get(docx).status_code == 404
    response = c.get(url)
    assert response.context["report"] is None and "meetings" in response.context["sentences"]
    before = joint_setup.snapshot()
    assert c.post(url, {"dated": "bad", "summary": "x"}).status_code == 200
    assert c.post(url, {"dated": "2001-01-01", "summary": "x"}).status_code == 200
    assert c.post(url, {"dated": w.today.isoformat(), "summary": "x" * 10001}).status_code == 200
    assert joint_setup.snapshot() == before
    assert c.post(submit).status_code == 302  # nothing to submit: a message, nothing written
    assert joint_setup.snapshot() == before
    data = {"dated": w.today.isoformat(), "summary": "总结", "next_year_plan": ""}
    assert c.post(url, data).status_code == 302
    c.post(submit)
    assert WorkReport.objects.get().status == WorkReportStatus.DRAFT  # no plan yet
    assert c.post(url, {**data, "next_year_plan": "计划"}).status_code == 302
    assert c.post(submit).status_code == 302
    report = WorkReport.objects.get()
    assert report.status == WorkReportStatus.SUBMITTED
    response = c.get(url)
    assert response.context["form"] is None and not response.context["can_submit"]
    frozen = joint_setup.snapshot()
    response = c.post(url, {**data, "summary": "改"})
    assert response.status_code == 200 and joint_setup.snapshot() == frozen
    download = c.get(docx)
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert_access(clients, docx, {**STAFF_ONLY, "staff": 200})
    assert as_user(w.liaison).get(docx).status_code == 403


def test_report_api(clients, w):
    year = w.today.year
    data = {"committee": w.committee.pk, "year": year, "summary": "总结"}
    liaison = as_user(w.liaison)  # before the snapshot: a login is audited
    before = joint_setup.snapshot()
    for role in ("resident", "secretary", "other_secretary"):
        assert clients[role].post(f"{API}/work-reports/", data).status_code == 403
    assert liaison.post(f"{API}/work-reports/", data).status_code == 403
    other = {**data, "committee": w.other_committee.pk}
    assert clients["staff"].post(f"{API}/work-reports/", other).status_code == 400
    assert clients["staff"].post(f"{API}/work-reports/", {**data, "year": 1999}).status_code == 400
    assert joint_setup.snapshot() == before
    response = clients["staff"].post(f"{API}/work-reports/", data)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["sentences"]["meetings"]
    detail = f"{API}/work-reports/{pk}/"
    assert clients["secretary"].get(detail).status_code == 403
    submit = f"{API}/work-reports/{pk}/submit/"
    assert clients["staff"].post(submit).status_code == 400  # no plan
    response = clients["staff"].patch(
        detail, {"next_year_plan": "计划"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["summary"] == "总结"
    assert clients["staff"].post(submit).json()["status"] == "submitted"
    response = clients["staff"].patch(detail, {"summary": "改"}, content_type="application/json")
    assert response.status_code == 409
    docx = clients["staff"].get(f"{API}/work-reports/{pk}/docx/")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert clients["other_secretary"].get(f"{API}/work-reports/{pk}/docx/").status_code == 403
    assert clients["anonymous"].get(f"{API}/work-reports/{pk}/docx/").status_code in (401, 403)


def test_admin_lists_the_sub_districts_reports_and_keeps_submitted_ones_read_only(
    clients, w, staff
):
    mine = services.save_work_report(
        committee=w.committee, year=w.today.year, summary="总结", next_year_plan="计划", actor=staff
    )
    theirs = WorkReport.objects.create(
        committee=w.other_committee, year=w.today.year, dated=w.today
    )
    response = clients["staff"].get(reverse("admin:regional_workreport_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [mine]
    other = reverse("admin:regional_workreport_change", args=[theirs.pk])
    assert clients["staff"].get(other).status_code == 302
    assert clients["staff"].get(reverse("admin:regional_workreport_add")).status_code == 403
    change = reverse("admin:regional_workreport_change", args=[mine.pk])
    assert clients["staff"].get(change).status_code == 200
    services.submit_work_report(report=mine, actor=staff)
    before = joint_setup.snapshot()
    response = clients["staff"].post(
        change, {"dated": w.today.isoformat(), "summary": "改", "next_year_plan": "改"}
    )
    assert response.status_code == 403 and joint_setup.snapshot() == before
    assert clients["secretary"].get(change).status_code == 302
