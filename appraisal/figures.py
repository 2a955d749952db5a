"""What the report pack and the member's record read of the appraisal: grades decided per
branch and year (one grouped query), and a member's grades over the years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from appraisal.models import Grade, Participant


@dataclass
class BranchSummary:
    """One branch's appraisal of one year: who took part, who was graded, and each grade."""

    organization_id: int
    participants: int = 0
    graded: int = 0
    decided: bool = False
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Grade.values, 0))


def summary_by_branch(
    organization_ids: Iterable[int], year: int, *, decided_by: dt.date | None = None
) -> dict[int, BranchSummary]:
    """Per branch (by pk) that ran an appraisal in `year`: one grouped query, whatever the
    number of branches. Grades count once the general meeting has decided (by `decided_by`,
    when given: the report of a past quarter shows what was decided by its end)."""
    decided = Q(campaign__decided_on__isnull=False)
    if decided_by is not None:
        decided &= Q(campaign__decided_on__lte=decided_by)
    counts = {
        f"n_{grade}": Count("pk", filter=decided & Q(final_grade=grade)) for grade in Grade.values
    }
    rows = (
        Participant.objects.filter(
            campaign__organization_id__in=list(organization_ids), campaign__year=year
        )
        .values("campaign__organization_id")
        .annotate(
            participants=Count("pk"),
            graded=Count("pk", filter=Q(is_graded=True)),
            decided=Count("pk", filter=decided),
            **counts,
        )
        .order_by()
    )
    result = {}
    for row in rows:
        org = row["campaign__organization_id"]
        result[org] = BranchSummary(
            organization_id=org,
            participants=row["participants"],
            graded=row["graded"],
            decided=row["decided"] > 0,
            grades={grade: row[f"n_{grade}"] for grade in Grade.values},
        )
    return result
