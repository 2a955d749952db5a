"""What the ledger adds up to: a member's entries with their sources, totals per member for a
month, quarter or year, rankings inside a branch and of the branches of a sub-district, and the
stars (星级党员, 支部创星). Every figure is one aggregate query; stars are read from the
sub-district's thresholds in Python over rows already fetched.

`member_ledger(member, year)` is the service the member's own page (selfservice) will call.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank

from assessment.figures import YearResult, year_results
from branches.models import Organization
from config.periods import Period, period_containing, quarter
from members.models import Member
from points import rules, sources
from points.models import BranchScore, PointEntry, PointsSettings

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=9, decimal_places=1))

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})|Q(?P<quarter>[1-4]))?$")


def parse_period(text: str | None, today: dt.date) -> Period | None:
    """`2026-03` a month, `2026Q1` a quarter, `2026` a year; None when it is none of them or lies
    after this year."""
    found = _PERIOD.match((text or "").strip())
    if not found:
        return None
    year = int(found["year"])
    if not 2000 <= year <= today.year:
        return None
    if found["month"]:
        month = int(found["month"])
        if not 1 <= month <= 12:
            return None
        return period_containing(dt.date(year, month, 1), "month")
    if found["quarter"]:
        return quarter(year, int(found["quarter"]))
    return period_containing(dt.date(year, 1, 1), "year")


def previous(period: Period) -> Period:
    return period_containing(period.start - dt.timedelta(days=1), period.granularity)


def thresholds_for(sub_district_id: int | None) -> tuple[list[Decimal], list[Decimal], bool]:
    """(member thresholds, branch thresholds, show members their rank) of a sub-district."""
    row = PointsSettings.objects.filter(sub_district_id=sub_district_id).first()
    if row is None:
        row = PointsSettings(sub_district_id=sub_district_id)
    return row.member_thresholds(), row.branch_thresholds(), row.show_rank_to_members


@dataclass(frozen=True)
class LedgerLine:
    entry: PointEntry
    source_label: str
    link: str | None


def member_ledger(member: Member, year: int) -> tuple[list[LedgerLine], Decimal]:
    """A member's entries of a year, newest first, each with its source ("支部党员大会
    2026-03-12 出席 +2") and a link to it, and the year's total of what counts. One query."""
    entries = list(
        PointEntry.objects.filter(member=member)
        .between(dt.date(year, 1, 1), dt.date(year, 12, 31))
        .order_by("-day", "event", "-pk")
    )
    lines = []
    for entry in entries:
        kind = sources.source(entry.source_kind)
        lines.append(
            LedgerLine(
                entry=entry,
                source_label=str(kind.label) if kind else entry.source_kind,
                link=kind.link(entry.link_pk) if kind else None,
            )
        )
    total = sum((e.points for e in entries if e.approved), Decimal(0))
    return lines, total


def _member_total_subquery(period: Period) -> Subquery:
    return Subquery(
        PointEntry.objects.filter(
            member_id=OuterRef("pk"), approved=True, day__gte=period.start, day__lte=period.end
        )
        .order_by()
        .values("member_id")
        .annotate(total=Sum("points"))
        .values("total"),
        output_field=DecimalField(max_digits=9, decimal_places=1),
    )


def branch_ranking(branch: Organization, period: Period) -> QuerySet[Member]:
    """The branch's members on the roll ranked by their points in `period`, with the previous
    period's total beside it (who dropped): one query, whatever the number of members."""
    return (
        Member.objects.current()
        .filter(organization__path__startswith=branch.path)
        .annotate(
            total=Coalesce(_member_total_subquery(period), ZERO),
            before=Coalesce(_member_total_subquery(previous(period)), ZERO),
        )
        .annotate(
            rank=Window(Rank(), order_by=F("total").desc()),
            change=F("total") - F("before"),
        )
        .order_by("-total", "full_name", "pk")
        .only("pk", "full_name", "organization_id", "status")
    )


def with_member_stars(rows: list[Member], sub_district_id: int) -> list[Member]:
    thresholds, _branch, _show = thresholds_for(sub_district_id)
    for row in rows:
        row.stars = rules.stars_for(row.total, thresholds)
    return rows


def branches_ranked(organizations: QuerySet[Organization], year: int) -> list[dict[str, Any]]:
    """Branches ranked by their star rating for `year`: the average points of their members on
    the roll plus the score the level above gave (支部创星) — the score staff entered for the
    branch, or else the score its grade in the year's decided year-end assessment gives (by the
    sub-district's assessment settings). Three queries (branches with their sums, the
    thresholds of their sub-districts, the assessment results)."""
    period = period_containing(dt.date(year, 1, 1), "year")
    sums = Subquery(
        PointEntry.objects.filter(
            organization_id=OuterRef("pk"),
            approved=True,
            day__gte=period.start,
            day__lte=period.end,
            member__state="active",
        )
        .order_by()
        .values("organization_id")
        .annotate(total=Sum("points"))
        .values("total"),
        output_field=DecimalField(max_digits=12, decimal_places=1),
    )
    scores = Subquery(
        BranchScore.objects.filter(organization_id=OuterRef("pk"), year=year).values("score")[:1],
        output_field=DecimalField(max_digits=6, decimal_places=1),
    )
    rows = list(
        organizations.filter(kind="branch", status="active")
        .annotate(
            member_count=Count("members", filter=Q(members__state="active"), distinct=True),
            points_sum=Coalesce(sums, ZERO),
            score=scores,
        )
        .values("pk", "name", "sub_district_id", "member_count", "points_sum", "score")
    )
    thresholds = {
        row.sub_district_id: row.branch_thresholds()
        for row in PointsSettings.objects.filter(
            sub_district_id__in={r["sub_district_id"] for r in rows}
        )
    }
    default = [Decimal(str(x)) for x in settings.POINTS_BRANCH_STAR_THRESHOLDS]
    assessed = year_results([row["pk"] for row in rows if row["score"] is None], year)
    for row in rows:
        row["score"], row["assessment_grade"] = score_from_above(
            row["score"], assessed.get(row["pk"])
        )
        count = row["member_count"]
        average = (row["points_sum"] / count).quantize(Decimal("0.1")) if count else Decimal(0)
        row["average"] = average
        row["rating"] = average + row["score"]
        row["stars"] = rules.stars_for(
            row["rating"], thresholds.get(row["sub_district_id"], default)
        )
    rows.sort(key=lambda r: (-r["rating"], r["name"]))
    for position, row in enumerate(rows, start=1):
        row["rank"] = position
    return rows


def score_from_above(entered: Decimal | None, assessed: YearResult | None) -> tuple[Decimal, str]:
    """The score the level above gives a branch (RULES.md, 支部创星) and the year-end grade it
    comes from: a score staff entered wins; else the grade of the decided year-end assessment
    (述职评议) gives its score; else nothing."""
    if entered is not None:
        return Decimal(entered), ""
    if assessed is not None:
        return assessed.star_score, assessed.grade_label
    return Decimal(0), ""


def member_year(member: Member, year: int) -> dict[str, Any]:
    """A member's year: total, stars and rank in their branch (whether to show the rank is the
    sub-district's setting). Three queries."""
    period = period_containing(dt.date(year, 1, 1), "year")
    branch = Organization.objects.get(pk=member.organization_id)
    ranked = {row.pk: row for row in branch_ranking(branch, period).only("pk", "full_name")}
    thresholds, _branch, show_rank = thresholds_for(branch.sub_district_id)
    row = ranked.get(member.pk)
    total = row.total if row is not None else Decimal(0)
    return {
        "total": total,
        "stars": rules.stars_for(total, thresholds),
        "rank": row.rank if row is not None and show_rank else None,
        "of": len(ranked),
    }


@dataclass(frozen=True)
class HonourRoll:
    sub_district_name: str
    names: list[tuple[str, str]]  # (member's name, branch's name), best first


def honour_rolls(period: Period) -> list[HonourRoll]:
    """The resident site's honour roll: for each sub-district that shows one
    (`PointsSettings.public_top_members` > 0), its top members of `period` by the points that
    count, names and branches only. Members no longer on the roll are left out; ties are
    broken by name. One query for the settings and one per sub-district shown."""
    rolls = []
    shown = (
        PointsSettings.objects.filter(public_top_members__gt=0)
        .select_related("sub_district")
        .order_by("sub_district__name")
    )
    for setting in shown:
        rows = (
            PointEntry.objects.filter(
                approved=True,
                day__gte=period.start,
                day__lte=period.end,
                organization__sub_district_id=setting.sub_district_id,
                member__in=Member.objects.current().values("pk"),
            )
            .values("member_id", "member__full_name", "member__organization__name")
            .annotate(total=Sum("points"))
            .filter(total__gt=0)
            .order_by("-total", "member__full_name", "member_id")[: setting.public_top_members]
        )
        rolls.append(
            HonourRoll(
                setting.sub_district.name,
                [(row["member__full_name"], row["member__organization__name"]) for row in rows],
            )
        )
    return rolls
