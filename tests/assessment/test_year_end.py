from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from assessment import rules
from assessment.errors import TargetRefused
from assessment.figures import year_results
from assessment.models import AssessmentRound, BranchAssessment, Rating, RepresentativeTurnout
from assessment.services import inspections, targets, year_end
from tests.access import assert_access
from tests.activities.factories import MeetingFactory
from tests.assessment.conftest import TODAY

pytestmark = pytest.mark.django_db

D = Decimal


def test_grades_are_capped_and_ties_take_the_lower_grade():
    totals = [(1, D(95)), (2, D(90)), (3, D(90)), (4, D(80)), (5, D(70)), (6, D(59))]
    graded = rules.year_grades(totals, good_percent=34, fairly_good_percent=34, poor_below=D(60))
    # 6 × 34 % = 2 good, 2 fairly good; 2 and 3 tie across the good cap: both fairly good,
    # which fills 较好, so 4 is average.
    assert graded == {
        1: (1, rules.GOOD),
        2: (2, rules.FAIRLY_GOOD),
        3: (2, rules.FAIRLY_GOOD),
        4: (4, rules.AVERAGE),
        5: (5, rules.AVERAGE),
        6: (6, rules.POOR),
    }


def test_grades_fill_each_cap_in_rank_order():
    totals = [(n, D(100 - n)) for n in range(10)]
    graded = rules.year_grades(totals, good_percent=30, fairly_good_percent=40, poor_below=D(92))
    grades = [graded[n][1] for n in range(10)]
    assert grades == [rules.GOOD] * 3 + [rules.FAIRLY_GOOD] * 4 + [
        rules.AVERAGE,
        rules.AVERAGE,
        rules.POOR,
    ]


def test_round_weights_must_sum_to_100(sub_district, staff):
    with pytest.raises(TargetRefused):
        year_end.open_round(
            sub_district=sub_district,
            year=2026,
            opens_on=TODAY,
            closes_on=TODAY,
            weights=(50, 20, 20),
            actor=staff,
        )
    assert not AssessmentRound.objects.exists()


@pytest.fixture
def assessment_round(sub_district, staff, branch, other_branch):
    return year_end.open_round(
        sub_district=sub_district,
        year=2026,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=5),
        weights=(50, 20, 30),
        representatives=[staff],
        actor=staff,
    )


def test_a_representative_rates_once_and_secretly(assessment_round, staff, secretary):
    rows = dict(assessment_round.branches.values_list("pk", "organization__name"))
    grades = {pk: "good" for pk in rows}
    year_end.cast_rating(assessment_round=assessment_round, voter=staff, grades=grades)
    with pytest.raises(year_end.AlreadyRated):
        year_end.cast_rating(assessment_round=assessment_round, voter=staff, grades=grades)
    with pytest.raises(TargetRefused):
        year_end.cast_rating(assessment_round=assessment_round, voter=secretary, grades=grades)
    assert RepresentativeTurnout.objects.count() == 1
    assert Rating.objects.count() == len(rows)
    field_names = {f.name for f in Rating._meta.get_fields()}
    assert "voter" not in field_names and not {"created_at", "cast_at"} & field_names


def test_decision_scores_ranks_and_grades(
    assessment_round, sub_district, staff, branch, other_branch
):
    plan = targets.create_plan(sub_district=sub_district, year=2026, title="目标", actor=staff)
    targets.add_target(
        plan=plan,
        title="主题党日",
        owner=staff,
        deadline=dt.date(2026, 12, 31),
        weight=100,
        goal=D(4),
        metric="theme_days_held",
        actor=staff,
    )
    targets.adopt_plan(plan=plan, actor=staff)
    for month in (1, 2, 3, 4):
        MeetingFactory(organization=branch, held_on=dt.date(2026, month, 8))
    MeetingFactory(organization=other_branch, held_on=dt.date(2026, 1, 8))
    checklist = inspections.create_checklist(
        sub_district=sub_district,
        title="督查",
        kind="routine",
        items=[("记录", D(10))],
        actor=staff,
    )
    inspections.record_inspection(
        checklist=checklist,
        organization=branch,
        visited_on=TODAY,
        inspectors="张三",
        summary="",
        scores={checklist.items.get().pk: (D(8), "")},
        actor=staff,
    )
    ours = assessment_round.branches.get(organization=branch)
    theirs = assessment_round.branches.get(organization=other_branch)
    year_end.rate_by_committee(branch=ours, score=D(90), actor=staff)
    year_end.cast_rating(
        assessment_round=assessment_round,
        voter=staff,
        grades={ours.pk: "good", theirs.pk: "average"},
    )
    year_end.decide_round(assessment_round=assessment_round, actor=staff)

    ours.refresh_from_db()
    theirs.refresh_from_db()
    # ours: targets 100, inspections 80, report (90 + 100) / 2 = 95 → 50 + 16 + 28.5
    assert (ours.metrics_score, ours.inspection_score, ours.report_score) == (
        D("100.00"),
        D("80.00"),
        D("95.00"),
    )
    assert ours.total == D("94.50")
    # theirs: targets 1/4 = 25, no inspection, report 70 (representatives only) → 12.5 + 21
    assert theirs.total == D("33.50")
    assert (ours.rank, theirs.rank) == (1, 2)
    assert theirs.grade == rules.POOR
    results = year_results([branch.pk, other_branch.pk], 2026)
    assert results[branch.pk].rank == 1
    with pytest.raises(TargetRefused):
        year_end.rate_by_committee(branch=ours, score=D(10), actor=staff)


def test_round_pages_scope_and_docx(clients, assessment_round, branch, staff):
    ours = assessment_round.branches.get(organization=branch)
    assert_access(
        clients,
        reverse("staff:assessment-branch-report", args=[ours.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )
    assert_access(
        clients,
        reverse("staff:assessment-round", args=[assessment_round.pk]),
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    response = clients["secretary"].post(
        reverse("staff:assessment-branch-report", args=[ours.pk]), {"text": "本年度述职报告"}
    )
    assert response.status_code == 302
    assert BranchAssessment.objects.get(pk=ours.pk).report_text == "本年度述职报告"
    assert (
        clients["secretary"]
        .post(reverse("staff:assessment-round-decide", args=[assessment_round.pk]))
        .status_code
        == 403
    )
    assert (
        clients["staff"]
        .post(reverse("staff:assessment-round-decide", args=[assessment_round.pk]))
        .status_code
        == 302
    )
    notice = clients["staff"].get(
        reverse("staff:assessment-round-notice", args=[assessment_round.pk])
    )
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(notice.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert branch.name in text
    mine = clients["secretary"].get(reverse("staff:assessment-branch-docx", args=[ours.pk]))
    assert mine.status_code == 200
    assert "本年度述职报告" in "\n".join(
        p.text for p in Document(io.BytesIO(mine.content)).paragraphs
    )
    other = clients["other_secretary"].get(reverse("staff:assessment-branch-docx", args=[ours.pk]))
    assert other.status_code == 404


def test_unit_letter_is_a_docx_for_staff_only(clients, unit):
    url = reverse("staff:assessment-unit-letter")
    data = {
        "unit": unit.pk,
        "superior": "郑州市卫生健康委员会机关党委",
        "failings": "未认领需求清单\n未参加联席会议",
        "requested": "落实共建职责",
        "reply_by": "2026-07-10",
    }
    assert clients["secretary"].post(url, data).status_code == 403
    response = clients["staff"].post(url, data)
    assert response.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "郑州市卫生健康委员会机关党委：" in paragraphs
    assert "未参加联席会议" in paragraphs


def test_a_representative_casts_the_ballot_on_the_page(clients, assessment_round, staff):
    url = reverse("staff:assessment-round-ballot", args=[assessment_round.pk])
    assert clients["secretary"].get(url).status_code == 404  # not a representative
    assert clients["staff"].get(url).status_code == 200
    data = {f"grade_{pk}": "good" for pk in assessment_round.branches.values_list("pk", flat=True)}
    assert clients["staff"].post(url, data).status_code == 302
    assert clients["staff"].post(url, data).status_code == 200  # the second is refused
    assert RepresentativeTurnout.objects.count() == 1


def test_staff_name_representatives_by_phone_or_user_name(clients, assessment_round, resident):
    url = reverse("staff:assessment-round-representatives", args=[assessment_round.pk])

    def named():
        return sorted(assessment_round.representatives.values_list("user__username", flat=True))

    data = {"people": f"{resident.phone}\nsecretary\n"}
    matrix = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 403,
        "secretary": 403,
        "staff": 200,
    }
    assert_access(clients, url, matrix)
    # Refused for every other role, nothing written (staff: the form answers, as the line
    # names nobody).
    bad = {"people": "13800000000"}
    assert_access(clients, url, matrix, method="post", data=bad, snapshot=named)
    assert named() == ["staff"]
    assert clients["staff"].post(url, data).status_code == 302
    assert named() == ["resident", "secretary", "staff"]
    # Once each, whatever the repetition; an unknown line refuses the whole list.
    assert clients["staff"].post(url, data).status_code == 302
    refused = clients["staff"].post(url, {"people": "other_secretary\n13800000000"})
    assert refused.status_code == 200
    assert "13800000000" in refused.content.decode()
    assert named() == ["resident", "secretary", "staff"]


def test_representatives_are_not_named_once_decided(assessment_round, staff, resident):
    year_end.decide_round(assessment_round=assessment_round, actor=staff)
    with pytest.raises(TargetRefused):
        year_end.name_representatives(
            assessment_round=assessment_round, users=[resident], actor=staff
        )
    assert assessment_round.representatives.count() == 1


def test_staff_remove_a_representative_who_has_not_rated(
    clients, assessment_round, staff, secretary, resident
):
    def named():
        return sorted(assessment_round.representatives.values_list("user__username", flat=True))

    year_end.name_representatives(assessment_round=assessment_round, users=[resident], actor=staff)
    assert named() == ["resident", "staff"]

    def remove_url(user) -> str:
        return reverse(
            "staff:assessment-round-representative-remove", args=[assessment_round.pk, user.pk]
        )

    # Every role but staff is refused before the row is looked up; staff get 404 for someone
    # not named. Nothing changes on any refusal.
    matrix = {
        "anonymous": 302,
        "resident": 403,
        "other_secretary": 403,
        "secretary": 403,
        "staff": 404,
    }
    assert_access(clients, remove_url(secretary), matrix, method="post", snapshot=named)
    assert clients["secretary"].post(remove_url(resident)).status_code == 403
    assert named() == ["resident", "staff"]

    assert clients["staff"].post(remove_url(resident)).status_code == 302
    assert named() == ["staff"]

    # One who has rated stays: the secret ballot cannot be taken back.
    grades = dict.fromkeys(assessment_round.branches.values_list("pk", flat=True), "good")
    year_end.cast_rating(assessment_round=assessment_round, voter=staff, grades=grades)
    response = clients["staff"].post(remove_url(staff), follow=True)
    assert "已评议，不能移除" in response.content.decode()
    assert named() == ["staff"]


def test_representatives_are_not_removed_once_decided(assessment_round, staff, resident):
    year_end.name_representatives(assessment_round=assessment_round, users=[resident], actor=staff)
    year_end.decide_round(assessment_round=assessment_round, actor=staff)
    with pytest.raises(TargetRefused):
        year_end.remove_representative(
            assessment_round=assessment_round, user=resident, actor=staff
        )
    assert assessment_round.representatives.filter(user=resident).exists()
