"""What the apps above read of the year-end assessment: the grade and rank of each branch in a
decided year, and the score the grade gives the branch star rating (支部创星) by the
sub-district's settings (the points app, the report pack). One query, whatever the number of
branches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from assessment.models import AssessmentSettings, BranchAssessment, YearGrade

_SETTING = "round__sub_district__assessment_settings__"
# The settings field holding each grade's star-rating score.
STAR_SCORE_FIELDS = {
    YearGrade.GOOD: "star_score_good",
    YearGrade.FAIRLY_GOOD: "star_score_fairly_good",
    YearGrade.AVERAGE: "star_score_average",
    YearGrade.POOR: "star_score_poor",
}


@dataclass(frozen=True)
class YearResult:
    organization_id: int
    total: Decimal
    rank: int
    grade: str
    grade_label: str
    # What the grade adds to the branch's star rating (the sub-district's settings).
    star_score: Decimal = Decimal(0)


def year_results(
    organization_ids: Iterable[int], year: int, *, decided_by: dt.date | None = None
) -> dict[int, YearResult]:
    """Per branch (by pk) assessed in a decided round of `year` (decided by `decided_by` when
    given): total, rank in its sub-district, grade, and the grade's star-rating score (the
    sub-district's settings joined in the same query; the defaults where it has none)."""
    rows = BranchAssessment.objects.filter(
        organization_id__in=list(organization_ids),
        round__year=year,
        round__decided_on__isnull=False,
    )
    if decided_by is not None:
        rows = rows.filter(round__decided_on__lte=decided_by)
    defaults = AssessmentSettings()
    fields = list(STAR_SCORE_FIELDS.values())
    results = {}
    for row in rows.order_by("organization_id").values(
        "organization_id", "total", "rank", "grade", *(_SETTING + f for f in fields)
    ):
        grade = row["grade"]
        field = STAR_SCORE_FIELDS.get(grade)
        score = None
        if field is not None:
            score = row[_SETTING + field]
            if score is None:  # the sub-district never changed its settings
                score = getattr(defaults, field)
        results[row["organization_id"]] = YearResult(
            organization_id=row["organization_id"],
            total=row["total"] or Decimal(0),
            rank=row["rank"] or 0,
            grade=grade,
            grade_label=str(YearGrade(grade).label) if grade in YearGrade.values else "",
            star_score=Decimal(score or 0),
        )
    return results
