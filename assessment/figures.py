"""What the apps above read of the year-end assessment: the grade and rank of each branch in a
decided year (the points app's branch star rating, the report pack). One query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from assessment.models import BranchAssessment


@dataclass(frozen=True)
class YearResult:
    organization_id: int
    total: Decimal
    rank: int
    grade: str
    grade_label: str


def year_results(
    organization_ids: Iterable[int], year: int, *, decided_by: dt.date | None = None
) -> dict[int, YearResult]:
    """Per branch (by pk) assessed in a decided round of `year` (decided by `decided_by` when
    given): total, rank in its sub-district, grade."""
    rows = BranchAssessment.objects.filter(
        organization_id__in=list(organization_ids),
        round__year=year,
        round__decided_on__isnull=False,
    )
    if decided_by is not None:
        rows = rows.filter(round__decided_on__lte=decided_by)
    return {
        row.organization_id: YearResult(
            organization_id=row.organization_id,
            total=row.total or Decimal(0),
            rank=row.rank or 0,
            grade=row.grade,
            grade_label=str(row.get_grade_display()),
        )
        for row in rows.order_by("organization_id")
    }
