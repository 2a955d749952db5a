"""What the quarterly report pack reads of member points: per branch, the year to the quarter's
end — members with points, their average, the score the level above gave, the branch's rating
and stars (支部创星), and how many members reached each star level; and the sub-district's top
members by name, only where its setting shows members their rank. The score from above is the
one staff entered or else the one the decided year-end assessment's grade gives. Four queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from assessment.figures import year_results
from points import rankings, rules
from points.models import BranchScore, PointEntry

TOP_MEMBERS = 10


@dataclass
class BranchPoints:
    organization_id: int
    members: int = 0
    total: Decimal = Decimal(0)
    score: Decimal = Decimal(0)
    stars: int = 0
    # members_by_stars[n]: members with n stars (0…5).
    members_by_stars: list[int] = field(default_factory=lambda: [0] * (rules.STARS + 1))

    @property
    def average(self) -> Decimal:
        if not self.members:
            return Decimal(0)
        return (self.total / self.members).quantize(Decimal("0.1"))

    @property
    def rating(self) -> Decimal:
        return self.average + self.score


@dataclass(frozen=True)
class TopMember:
    member_id: int
    full_name: str
    organization_id: int
    total: Decimal
    stars: int


def year_to_date(
    organization_ids: list[int], sub_district_id: int, day: dt.date
) -> tuple[dict[int, BranchPoints], list[TopMember]]:
    """Branches' points from 1 January to `day`, and the top members (empty unless the
    sub-district shows members their rank)."""
    member_thresholds, branch_thresholds, show_rank = rankings.thresholds_for(sub_district_id)
    found = {pk: BranchPoints(pk) for pk in organization_ids}
    totals = (
        PointEntry.objects.filter(
            organization_id__in=organization_ids,
            approved=True,
            day__gte=dt.date(day.year, 1, 1),
            day__lte=day,
        )
        .order_by()
        .values("member_id", "member__full_name", "organization_id")
        .annotate(total=Sum("points"))
        .values_list("member_id", "member__full_name", "organization_id", "total")
    )
    members: list[TopMember] = []
    for member_id, name, organization_id, total in totals:
        total = Decimal(total).quantize(Decimal("0.1"))
        stars = rules.stars_for(total, member_thresholds)
        branch = found[organization_id]
        branch.members += 1
        branch.total += total
        branch.members_by_stars[stars] += 1
        members.append(TopMember(member_id, name, organization_id, total, stars))
    entered = dict(
        BranchScore.objects.filter(organization_id__in=organization_ids, year=day.year).values_list(
            "organization_id", "score"
        )
    )
    assessed = year_results(
        [pk for pk in organization_ids if pk not in entered], day.year, decided_by=day
    )
    for organization_id, branch in found.items():
        branch.score, _grade = rankings.score_from_above(
            entered.get(organization_id), assessed.get(organization_id)
        )
    for branch in found.values():
        branch.stars = rules.stars_for(branch.rating, branch_thresholds)
    top: list[TopMember] = []
    if show_rank:
        members.sort(key=lambda m: (-m.total, m.full_name, m.member_id))
        top = members[:TOP_MEMBERS]
    return found, top
