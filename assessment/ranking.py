"""The weekly ranking of branches (亮赛比): each branch's week in figures (meetings held,
volunteer hours at its communities' teams, needs of its communities claimed), a score by the
sub-district's points (AssessmentSettings) and the rank within its sub-district.

One statement for any number of branches and sub-districts: correlated subqueries give each
branch's figures, a window function ranks. The score is ranked as an integer (sixtieths of a
point: minutes carry the hours), so equal scores tie exactly and share a rank (RANK(): 1, 1, 3),
listed by name. Portable: PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, Rank

from activities.models import Meeting, MeetingStatus
from assessment.metrics import day_bounds
from assessment.models import AssessmentSettings
from branches.models import Organization, OrganizationKind
from regional.models import Need
from volunteers.models import Enrollment

CENT = Decimal("0.01")
RANKED_KINDS = (OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH)


def week_of(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def _count() -> Func:
    return Func(F("pk"), function="COUNT", output_field=IntegerField())


def _setting(field: str, default: int) -> Coalesce:
    return Coalesce(
        Subquery(
            AssessmentSettings.objects.filter(sub_district_id=OuterRef("sub_district_id")).values(
                field
            )[:1]
        ),
        Value(default),
        output_field=IntegerField(),
    )


def ranked_branches(branches: QuerySet[Organization], week_start: dt.date) -> QuerySet:
    """`branches` (active branches and general branches only) annotated with the week's
    `week_meetings`, `week_minutes`, `week_needs`, `score60` and `rank` (within the
    sub-district), in rank order: one statement."""
    week_end = week_start + dt.timedelta(days=6)
    first, after = day_bounds(week_start, week_end)
    meetings = (
        Meeting.objects.filter(
            organization_id=OuterRef("pk"),
            status=MeetingStatus.HELD,
            held_on__range=(week_start, week_end),
        )
        .order_by()
        .annotate(n=_count())
        .values("n")
    )
    minutes = (
        Enrollment.objects.filter(
            activity__team__community__organizations=OuterRef("pk"),
            activity__starts_at__gte=first,
            activity__starts_at__lt=after,
        )
        .order_by()
        .annotate(
            m=Func(
                F("credit_minutes") + F("honour_minutes"),
                function="SUM",
                output_field=IntegerField(),
            )
        )
        .values("m")
    )
    needs = (
        Need.objects.filter(
            community__organizations=OuterRef("pk"),
            claimed_by__isnull=False,
            claimed_at__gte=first,
            claimed_at__lt=after,
        )
        .order_by()
        .annotate(n=_count())
        .values("n")
    )
    defaults = AssessmentSettings()
    zero = Value(0)
    return (
        branches.filter(kind__in=RANKED_KINDS, status="active")
        .annotate(
            week_meetings=Coalesce(Subquery(meetings), zero, output_field=IntegerField()),
            week_minutes=Coalesce(Subquery(minutes), zero, output_field=IntegerField()),
            week_needs=Coalesce(Subquery(needs), zero, output_field=IntegerField()),
        )
        .annotate(
            score60=F("week_meetings")
            * _setting("points_per_meeting", defaults.points_per_meeting)
            * 60
            + F("week_minutes")
            * _setting("points_per_volunteer_hour", defaults.points_per_volunteer_hour)
            + F("week_needs")
            * _setting("points_per_claimed_need", defaults.points_per_claimed_need)
            * 60,
        )
        .annotate(
            rank=Window(Rank(), partition_by=[F("sub_district_id")], order_by=F("score60").desc())
        )
        .order_by("sub_district_id", "-score60", "name", "pk")
    )


@dataclass(frozen=True)
class RankedBranch:
    organization_id: int
    name: str
    sub_district_id: int
    rank: int
    meetings: int
    volunteer_hours: Decimal
    claimed_needs: int
    score: Decimal


def weekly_ranking(branches: QuerySet[Organization], week_start: dt.date) -> list[RankedBranch]:
    """The week's ranking as plain rows (one query)."""
    return [
        RankedBranch(
            organization_id=row["pk"],
            name=row["name"],
            sub_district_id=row["sub_district_id"],
            rank=row["rank"],
            meetings=row["week_meetings"],
            volunteer_hours=(Decimal(row["week_minutes"]) / 60).quantize(CENT, ROUND_HALF_UP),
            claimed_needs=row["week_needs"],
            score=(Decimal(row["score60"]) / 60).quantize(CENT, ROUND_HALF_UP),
        )
        for row in ranked_branches(branches, week_start).values(
            "pk",
            "name",
            "sub_district_id",
            "rank",
            "week_meetings",
            "week_minutes",
            "week_needs",
            "score60",
        )
    ]
