from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Inspection, Plan, RankingWeek, Rectification, Target
from assessment.services import inspections, targets
from tests.access import assert_access
from tests.activities.factories import MeetingFactory
from tests.assessment.conftest import TODAY

pytestmark = pytest.mark.django_db

STAFF_ONLY = {
    "anonymous": 302,
    "resident": 403,
    "other_secretary": 403,
    "secretary": 403,
    "staff": 200,
}
SAME_SUB_DISTRICT = {
    "anonymous": 302,
    "resident": 403,
    "other_secretary": 200,
    "secretary": 200,
    "staff": 200,
}
OWN_BRANCH = {
    "anonymous": 302,
    "resident": 403,
    "other_secretary": 404,
    "secretary": 200,
    "staff": 200,
}


@pytest.fixture
def plan(sub_district, staff, secretary, branch):
    plan = targets.create_plan(
        sub_district=sub_district, year=2026, title="2026年目标", actor=staff
    )
    targets.add_target(
        plan=plan,
        title="每季度至少1次主题党日",
        owner=staff,
        deadline=dt.date(2026, 12, 31),
        weight=60,
        goal=Decimal(4),
        metric="theme_days_held",
        actor=staff,
    )
    targets.add_target(
        plan=plan,
        title="微心愿认领 ≥ 20 个",
        owner=secretary,
        deadline=dt.date(2026, 12, 31),
        weight=40,
        goal=Decimal(20),
        organization=branch,
        actor=staff,
    )
    return plan


@pytest.fixture
def inspection(sub_district, staff, secretary, branch):
    checklist = inspections.create_checklist(
        sub_district=sub_district,
        title="日常督查",
        kind="routine",
        items=[("记录完整", Decimal(10))],
        actor=staff,
    )
    found = inspections.record_inspection(
        checklist=checklist,
        organization=branch,
        visited_on=TODAY,
        inspectors="张三",
        summary="",
        scores={checklist.items.get().pk: (Decimal(6), "缺签到表")},
        actor=staff,
    )
    inspections.add_rectification(
        inspection=found,
        description="补签到表",
        owner=secretary,
        deadline=TODAY + dt.timedelta(days=10),
        actor=staff,
    )
    return found


def test_plan_pages_access(clients, plan):
    assert_access(clients, reverse("staff:assessment-plans"), SAME_SUB_DISTRICT)
    assert_access(clients, reverse("staff:assessment-plan", args=[plan.pk]), SAME_SUB_DISTRICT)
    assert_access(clients, reverse("staff:assessment-plan-new"), STAFF_ONLY)
    assert_access(clients, reverse("staff:assessment-target-new", args=[plan.pk]), STAFF_ONLY)


def test_a_secretary_sees_only_their_branch_figures(clients, plan, branch, other_branch):
    MeetingFactory(organization=branch, held_on=dt.date(2026, 3, 8))
    page = clients["secretary"].get(reverse("staff:assessment-plan", args=[plan.pk]))
    text = page.content.decode()
    assert branch.name in text and other_branch.name not in text
    staff_page = clients["staff"].get(reverse("staff:assessment-plan", args=[plan.pk])).content
    assert other_branch.name in staff_page.decode()


def test_adopt_refused_by_role_then_done_by_staff(clients, plan):
    url = reverse("staff:assessment-plan-adopt", args=[plan.pk])
    for role, status in [("anonymous", 302), ("resident", 403), ("secretary", 403)]:
        assert clients[role].post(url).status_code == status
    assert Plan.objects.get(pk=plan.pk).adopted_on is None
    assert clients["staff"].post(url).status_code == 302
    assert Plan.objects.get(pk=plan.pk).adopted_on == TODAY


def test_target_form_refuses_weights_past_100_and_writes_nothing(clients, plan, staff):
    response = clients["staff"].post(
        reverse("staff:assessment-target-new", args=[plan.pk]),
        {
            "title": "多余的目标",
            "goal": "1",
            "owner": staff.pk,
            "deadline": "2026-12-31",
            "weight": "5",
            "metric": "meetings_held",
        },
    )
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert Target.objects.count() == 2


def test_the_owner_reports_on_their_target(clients, plan, secretary):
    target = plan.targets.get(owner=secretary)
    url = reverse("staff:assessment-target-report", args=[target.pk])
    assert clients["other_secretary"].get(url).status_code == 404
    assert clients["staff"].get(url).status_code == 404  # not the owner
    response = clients["secretary"].post(url, {"value": "12", "text": "认领12个"})
    assert response.status_code == 302
    assert target.reports.count() == 1


def test_ranking_page_and_publish(clients, sub_district, branch, other_branch):
    week = dt.date(2026, 6, 1)
    MeetingFactory(organization=branch, held_on=week)
    assert_access(clients, reverse("staff:assessment-ranking"), SAME_SUB_DISTRICT)
    url = reverse("staff:assessment-ranking-publish")
    for role in ("resident", "secretary", "other_secretary"):
        assert clients[role].post(url, {"week_start": "2026-06-01"}).status_code == 403
    assert not RankingWeek.objects.exists()
    assert clients["staff"].post(url, {"week_start": "2026-06-01"}).status_code == 302
    page = clients["secretary"].get(reverse("staff:assessment-ranking")).content.decode()
    assert "2026-06-01" in page and other_branch.name in page


def test_inspection_pages_are_scoped(clients, inspection):
    assert_access(clients, reverse("staff:assessment-inspection", args=[inspection.pk]), OWN_BRANCH)
    assert_access(clients, reverse("staff:assessment-inspections"), SAME_SUB_DISTRICT)
    assert_access(
        clients,
        reverse("staff:assessment-inspection-new", args=[inspection.checklist_id]),
        STAFF_ONLY,
    )


def test_secretary_submits_evidence_staff_closes(clients, inspection):
    item = inspection.rectifications.get()
    evidence = reverse("staff:assessment-rectification-evidence", args=[item.pk])
    assert clients["other_secretary"].post(evidence, {"text": "x"}).status_code == 404
    assert clients["secretary"].post(evidence, {"text": "已补签"}).status_code == 302
    review = reverse("staff:assessment-rectification-review", args=[item.pk])
    assert clients["secretary"].post(review, {"decision": "accept"}).status_code == 403
    assert clients["staff"].post(review, {"decision": "accept"}).status_code == 302
    assert Rectification.objects.get(pk=item.pk).status == "closed"


def test_record_an_inspection_by_form(clients, inspection, branch):
    checklist = inspection.checklist
    item = checklist.items.get()
    url = reverse("staff:assessment-inspection-new", args=[checklist.pk])
    data = {
        "organization": branch.pk,
        "visited_on": "2026-06-09",
        "inspectors": "李四",
        f"score_{item.pk}": "11",  # above the item's 10
        f"note_{item.pk}": "",
    }
    assert clients["staff"].post(url, data).status_code == 200
    assert Inspection.objects.count() == 1
    data[f"score_{item.pk}"] = "9"
    assert clients["staff"].post(url, data).status_code == 302
    assert Inspection.objects.count() == 2


def test_lists_do_not_grow_in_queries(clients, inspection, django_assert_max_num_queries):
    for _ in range(5):
        inspections.record_inspection(
            checklist=inspection.checklist,
            organization=inspection.organization,
            visited_on=TODAY,
            inspectors="王五",
            summary="",
            scores={inspection.checklist.items.get().pk: (Decimal(5), "")},
            actor=None,
        )
    with django_assert_max_num_queries(14):
        assert clients["staff"].get(reverse("staff:assessment-inspections")).status_code == 200


def test_api_is_scoped(clients, plan, inspection):
    assert clients["staff"].get("/api/v1/target-plans/").json()["count"] == 1
    assert clients["secretary"].get("/api/v1/target-plans/").status_code == 200
    assert clients["secretary"].get("/api/v1/target-plans/").json()["count"] == 0
    assert clients["secretary"].get(f"/api/v1/inspections/{inspection.pk}/").status_code == 200
    assert (
        clients["other_secretary"].get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    )
    assert clients["resident"].get("/api/v1/inspections/").status_code == 403
