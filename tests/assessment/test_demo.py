from __future__ import annotations

import pytest
from django.db.models import Sum

from assessment import demo
from assessment.models import (
    AssessmentRound,
    AssessmentSettings,
    Inspection,
    Plan,
    RankingWeek,
    Rectification,
)
from branches import demo as branches_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_beilinlu_plan_inspections_and_round_once():
    branches_demo.seed()
    demo.seed()
    demo.seed()  # idempotent

    plan = Plan.objects.get(sub_district__name="北林路街道")
    assert plan.adopted_on is not None
    assert plan.targets.count() == 12
    assert plan.targets.aggregate(total=Sum("weight"))["total"] == 100
    assert Inspection.objects.filter(organization__sub_district=plan.sub_district).count() == 2
    statuses = sorted(Rectification.objects.values_list("status", flat=True))
    assert statuses == ["closed", "open", "open"]
    assert Rectification.objects.filter(escalated_at__isnull=False).count() == 1
    assert RankingWeek.objects.published().count() == 1
    assessment_round = AssessmentRound.objects.get(sub_district=plan.sub_district)
    assert assessment_round.decided_on is not None
    grades = list(assessment_round.branches.values_list("grade", flat=True))
    caps = AssessmentSettings.for_sub_district(plan.sub_district_id)
    assert grades.count("good") <= len(grades) * caps.good_percent // 100
    assert all(grades)
    assert assessment_round.representatives.filter(
        user__username="beilinlu_representative"
    ).exists()
    assert AssessmentSettings.for_sub_district(plan.sub_district_id).ranking_public
