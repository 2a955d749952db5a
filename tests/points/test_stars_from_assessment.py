"""支部创星 takes the year-end assessment into account (RULES.md: a branch's star rating is the
average member points plus a score set by the level above): without a score entered by hand, the
branch's grade in the decided 述职评议 gives its score, by the sub-district's assessment settings;
a score entered by hand wins; an undecided round, or one decided after the day, gives nothing.
One query for every branch, whatever their number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import AssessmentRound, AssessmentSettings, BranchAssessment, YearGrade
from branches.models import Organization
from points import figures, rankings
from points.models import BranchScore
from tests.branches.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

GOOD, POOR = str(YearGrade.GOOD.label), str(YearGrade.POOR.label)


def decide(sub_district, grades: dict, decided_on=dt.date(2026, 12, 28)) -> AssessmentRound:
    """A round of 2026 as `decide_round` leaves it (its grading is tested in assessment)."""
    assessment_round = AssessmentRound.objects.create(
        sub_district=sub_district,
        year=2026,
        metrics_weight=50,
        inspection_weight=20,
        report_weight=30,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        decided_on=decided_on,
    )
    for rank, (organization, grade) in enumerate(grades.items(), start=1):
        BranchAssessment.objects.create(
            round=assessment_round,
            organization=organization,
            total=Decimal(90 - 10 * rank),
            rank=rank,
            grade=grade,
        )
    return assessment_round


def ranked(sub_district) -> dict[str, tuple[Decimal, str]]:
    rows = rankings.branches_ranked(Organization.objects.filter(sub_district=sub_district), 2026)
    return {row["name"]: (row["score"], row["assessment_grade"]) for row in rows}


def test_the_grade_gives_the_score_from_above_by_the_local_settings(
    sub_district, branch, other_branch
):
    decide(sub_district, {branch: "good", other_branch: "poor"})
    assert ranked(sub_district) == {
        branch.name: (Decimal(10), GOOD),  # the defaults: 好 +10, 差 −10
        other_branch.name: (Decimal(-10), POOR),
    }
    AssessmentSettings.objects.create(
        sub_district=sub_district, star_score_good=Decimal("7.5"), star_score_poor=0
    )
    assert ranked(sub_district)[branch.name] == (Decimal("7.5"), GOOD)
    assert ranked(sub_district)[other_branch.name][0] == 0
    # The rating adds it to the members' average (none here: 0).
    rows = rankings.branches_ranked(Organization.objects.filter(sub_district=sub_district), 2026)
    assert {row["name"]: row["rating"] for row in rows}[branch.name] == Decimal("7.5")


def test_a_score_entered_by_hand_wins_over_the_grade(sub_district, branch, other_branch):
    decide(sub_district, {branch: "good", other_branch: "poor"})
    BranchScore.objects.create(organization=other_branch, year=2026, score=3, reason="上级评定")
    assert ranked(sub_district)[other_branch.name] == (Decimal(3), "")
    assert ranked(sub_district)[branch.name] == (Decimal(10), GOOD)


def test_an_undecided_round_or_another_year_gives_nothing(sub_district, branch, other_branch):
    decide(sub_district, {branch: "good", other_branch: "good"}, decided_on=None)
    assert ranked(sub_district)[branch.name] == (Decimal(0), "")
    rows = rankings.branches_ranked(Organization.objects.filter(sub_district=sub_district), 2025)
    assert all(row["score"] == 0 for row in rows)


def test_the_pack_reads_the_grade_only_once_decided_by_its_day(sub_district, branch, other_branch):
    decide(sub_district, {branch: "good", other_branch: "average"})
    ids = [branch.pk, other_branch.pk]
    found, _top = figures.year_to_date(ids, sub_district.pk, dt.date(2026, 12, 31))
    assert (found[branch.pk].score, found[other_branch.pk].score) == (Decimal(10), Decimal(0))
    found, _top = figures.year_to_date(ids, sub_district.pk, dt.date(2026, 9, 30))
    assert found[branch.pk].score == 0  # the round was decided after the quarter's end


def test_branches_are_rated_in_a_fixed_number_of_queries(sub_district, work_committee, branch):
    decide(sub_district, {branch: "good"})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            ranked(sub_district)
        return len(queries)

    few = count()
    more = [OrganizationFactory(parent=work_committee) for _ in range(6)]
    AssessmentRound.objects.all().delete()
    decide(sub_district, dict.fromkeys([branch, *more], "fairly_good"))
    assert count() == few
    assert set(ranked(sub_district).values()) == {(Decimal(5), str(YearGrade.FAIRLY_GOOD.label))}
