from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OutgoingEmail
from assessment.errors import InspectionRefused
from assessment.models import Inspection, Rectification, RectificationStatus
from assessment.services import inspections
from assessment.tasks import scan_rectifications
from tests.assessment.conftest import TODAY

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def checklist(sub_district, staff):
    return inspections.create_checklist(
        sub_district=sub_district,
        title="日常督查清单",
        kind="routine",
        items=[
            ("三会一课记录完整", Decimal(40)),
            ("党费按时收缴", Decimal(30)),
            ("阵地建设", Decimal(30)),
        ],
        actor=staff,
    )


def _scores(checklist, *points):
    return {
        item.pk: (Decimal(p), "")
        for item, p in zip(checklist.items.order_by("position"), points, strict=True)
    }


@pytest.fixture
def inspection(checklist, branch, staff):
    return inspections.record_inspection(
        checklist=checklist,
        organization=branch,
        visited_on=TODAY - dt.timedelta(days=10),
        inspectors="组织办 张三、李四",
        summary="整体较好",
        scores=_scores(checklist, 35, 20, 30),
        actor=staff,
    )


def test_an_inspection_scores_each_item_and_sums(inspection):
    assert (inspection.score, inspection.max_score) == (Decimal(85), Decimal(100))
    assert inspection.findings.count() == 3


def test_a_score_above_the_item_is_refused_and_nothing_written(checklist, branch, staff):
    with pytest.raises(InspectionRefused):
        inspections.record_inspection(
            checklist=checklist,
            organization=branch,
            visited_on=TODAY,
            inspectors="张三",
            summary="",
            scores=_scores(checklist, 41, 20, 30),
            actor=staff,
        )
    assert not Inspection.objects.exists()


def test_every_item_must_be_scored(checklist, branch, staff):
    scores = _scores(checklist, 1, 1, 1)
    scores.popitem()
    with pytest.raises(InspectionRefused):
        inspections.record_inspection(
            checklist=checklist,
            organization=branch,
            visited_on=TODAY,
            inspectors="张三",
            summary="",
            scores=scores,
            actor=staff,
        )


def test_a_branch_of_another_sub_district_is_refused(checklist, other_sub_district_branch, staff):
    with pytest.raises(InspectionRefused):
        inspections.record_inspection(
            checklist=checklist,
            organization=other_sub_district_branch,
            visited_on=TODAY,
            inspectors="张三",
            summary="",
            scores=_scores(checklist, 1, 1, 1),
            actor=staff,
        )


def test_rectification_is_closed_on_accepted_evidence(inspection, secretary, staff):
    item = inspections.add_rectification(
        inspection=inspection,
        description="补齐党费收缴台账",
        owner=secretary,
        deadline=TODAY + dt.timedelta(days=20),
        actor=staff,
    )
    with pytest.raises(InspectionRefused):
        inspections.submit_evidence(item=item, text="已补齐", evidence=None, actor=staff)
    item = inspections.submit_evidence(
        item=item,
        text="已补齐",
        evidence=SimpleUploadedFile("ledger.pdf", PDF),
        actor=secretary,
    )
    assert item.status == RectificationStatus.SUBMITTED
    item = inspections.review_rectification(item=item, accept=True, actor=staff)
    assert (item.status, item.closed_on) == (RectificationStatus.CLOSED, TODAY)


def test_reminder_once_before_the_deadline_and_escalation_once_after(
    inspection, secretary, staff, clock
):
    item = inspections.add_rectification(
        inspection=inspection,
        description="补齐党费收缴台账",
        owner=secretary,
        deadline=TODAY + dt.timedelta(days=5),
        actor=staff,
    )
    assert scan_rectifications() == (0, 0)  # 5 days ahead: outside the 3-day window
    clock.set(TODAY + dt.timedelta(days=2))
    assert scan_rectifications() == (1, 0)
    assert scan_rectifications() == (0, 0)  # once
    assert OutgoingEmail.objects.filter(to=secretary.email).count() == 1
    clock.set(TODAY + dt.timedelta(days=5))  # the deadline day: not yet overdue
    assert scan_rectifications() == (0, 0)
    clock.set(TODAY + dt.timedelta(days=6))
    assert scan_rectifications() == (0, 1)
    assert scan_rectifications() == (0, 0)
    assert OutgoingEmail.objects.filter(to=staff.email).count() == 1
    item.refresh_from_db()
    assert item.escalated_at is not None


def test_a_closed_rectification_never_escalates(inspection, secretary, staff, clock):
    item = inspections.add_rectification(
        inspection=inspection,
        description="阵地标识更新",
        owner=secretary,
        deadline=TODAY + dt.timedelta(days=1),
        actor=staff,
    )
    inspections.submit_evidence(item=item, text="已更新", evidence=None, actor=secretary)
    inspections.review_rectification(item=item, accept=True, actor=staff)
    clock.set(TODAY + dt.timedelta(days=10))
    assert scan_rectifications() == (0, 0)
    assert Rectification.objects.get(pk=item.pk).escalated_at is None


def test_inspection_scores_per_branch(inspection, branch, other_branch):
    assert inspections.inspection_scores([branch.pk, other_branch.pk], TODAY.year) == {
        branch.pk: Decimal("85.0")
    }
