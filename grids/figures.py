"""The quarter's figures of grid work for the report pack (reports/figures.py → grids)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from grids.models import (
    AssistancePairing,
    CareFund,
    CareVisit,
    ContactAssignment,
    Dispute,
    DisputeKind,
    DisputeStatus,
    GridRole,
    GridRoleKind,
    Household,
    HouseholdVisit,
    ScreeningReport,
)


def _overlap_days(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    lo, hi = max(start, first), min(end or last, last)
    return max((hi - lo).days + 1, 0)


def quarter_figures(grid_q: Q, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Disputes by type and outcome, screening report coverage, visits and households covered,
    for the grids matching `grid_q` (a filter on Grid reached through "grid__") between `first`
    and `last` (inclusive; `last` no later than today)."""
    disputes = Dispute.objects.filter(grid_q, opened_on__gte=first, opened_on__lte=last)
    by_kind = {
        row["kind"]: row
        for row in disputes.values("kind").annotate(
            total=Count("pk"),
            **{s.value: Count("pk", filter=Q(status=s.value)) for s in DisputeStatus},
        )
    }
    kind_rows = [
        [str(kind.label), by_kind.get(kind.value, {}).get("total", 0)]
        + [by_kind.get(kind.value, {}).get(s.value, 0) for s in DisputeStatus]
        for kind in DisputeKind
    ]
    owed = sum(
        _overlap_days(started, ended, first, last)
        for started, ended in GridRole.objects.filter(
            grid_q, kind=GridRoleKind.SCREENING_OFFICER, started_on__lte=last
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values_list("started_on", "ended_on")
    )
    filed = ScreeningReport.objects.filter(grid_q, day__gte=first, day__lte=last).count()
    visits = HouseholdVisit.objects.filter(grid_q, visited_on__gte=first, visited_on__lte=last)
    visit_figures = visits.aggregate(
        visits=Count("pk"),
        households=Count("household_id", distinct=True),
        helped=Count("pk", filter=~Q(help_given="")),
    )
    households = Household.objects.filter(grid_q)
    covered = households.filter(
        Q(pk__in=ContactAssignment.objects.open_on(last).values("household_id"))
        | Q(pk__in=AssistancePairing.objects.open_on(last).values("household_id"))
    ).count()
    return {
        "disputes": disputes.count(),
        "disputes_escalated": disputes.filter(escalated_at__isnull=False).count(),
        "kind_rows": kind_rows,
        "reports_owed": owed,
        "reports_filed": filed,
        "coverage_percent": round(100 * filed / owed) if owed else None,
        "visits": visit_figures["visits"],
        "households_visited": visit_figures["households"],
        "visits_with_help": visit_figures["helped"],
        "households": households.count(),
        "households_covered": covered,
    }


def care_figures(community_q: Q, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Care visits made between `first` and `last` for the communities matching `community_q`
    (a filter on CareVisit reached through "community__"): how many, the money given per fund
    and in all (Decimal yuan), and per campaign of the period."""
    done = CareVisit.objects.filter(
        community_q, visited_on__gte=first, visited_on__lte=last
    ).order_by()
    funds = dict(CareFund.choices)
    by_fund = [
        [str(funds.get(row["fund"], row["fund"])), row["visits"], row["total"]]
        for row in done.filter(amount__isnull=False)
        .values("fund")
        .annotate(visits=Count("pk"), total=Sum("amount"))
        .order_by("fund")
    ]
    by_campaign = [
        [row["campaign__name"], row["visits"], row["total"] or Decimal("0")]
        for row in done.filter(campaign__isnull=False)
        .values("campaign_id", "campaign__name", "campaign__starts_on")
        .annotate(visits=Count("pk"), total=Sum("amount"))
        .order_by("campaign__starts_on", "campaign_id")
    ]
    return {
        "care_visits": done.count(),
        "care_money": sum((row[2] for row in by_fund), Decimal("0")),
        "care_by_fund": by_fund,
        "care_by_campaign": by_campaign,
    }
