"""The catalogue of metrics a target can be measured by, computed from the portal's records.

Each metric is one function `(organization_ids, start, end) -> {organization_id: value}` that
computes the figure for every branch asked in one grouped query (set-based, whatever the number
of branches); a branch with nothing to measure (no in-service member, no dues bill) is absent
from the answer rather than given a made-up 0 %. Values are `Decimal`s: counts, hours, or per
cent with one decimal. The catalogue's keys are stored on targets, so a key never changes.

The compliance rate reads `activities.compliance`, whose statement runs on PostgreSQL and SQLite
(`activities.dialect`). A metric that cannot run on a database is marked `portable=False` and
shows "not computed" there; none is at present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Values = dict[int, Decimal]
ONE_DECIMAL = Decimal("0.1")


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the portal's timezone, as aware datetimes."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return first, after


def per_cent(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def meetings_held(ids: Sequence[int], start: dt.date, end: dt.date, *, kind: str = "") -> Values:
    """三会一课 and other meetings held in [start, end], per branch (a party group's count in
    its own row: targets name branches)."""
    from activities.models import Meeting, MeetingStatus

    rows = Meeting.objects.filter(
        organization_id__in=list(ids), status=MeetingStatus.HELD, held_on__range=(start, end)
    )
    if kind:
        rows = rows.filter(kind=kind)
    counted = rows.values("organization_id").annotate(n=Count("pk")).order_by()
    return {row["organization_id"]: Decimal(row["n"]) for row in counted}


def theme_days_held(ids: Sequence[int], start: dt.date, end: dt.date) -> Values:
    """主题党日 held in [start, end]."""
    from activities.models import MeetingKind

    return meetings_held(ids, start, end, kind=MeetingKind.THEME_DAY)


def compliance_rate(ids: Sequence[int], start: dt.date, end: dt.date) -> Values:
    """Per cent of the 三会一课 requirements whose period closed by `end` that were met (the
    compliance view's rule, party groups counted in their branch)."""
    from activities.compliance import checks_by_branch
    from branches.models import Organization

    branches = list(Organization.objects.filter(pk__in=list(ids)).order_by("path"))
    result: Values = {}
    for pk, checks in checks_by_branch(branches, start, end, end + dt.timedelta(days=1)).items():
        closed = [check for check in checks if check.closed]
        if closed:
            result[pk] = per_cent(sum(1 for check in closed if check.met), len(closed))
    return result


def inservice_registration_rate(ids: Sequence[int], start: dt.date, end: dt.date) -> Values:
    """Per cent of the branch's in-service members on the roll whose registration with their
    community (到社区报到) was in force on `end`."""
    from members.models import Category, Member, MembershipState

    in_force = Q(community_registrations__registered_on__lte=end) & (
        Q(community_registrations__ended_on__isnull=True)
        | Q(community_registrations__ended_on__gt=end)
    )
    rows = (
        Member.objects.filter(
            organization_id__in=list(ids),
            category=Category.IN_SERVICE,
            state=MembershipState.ACTIVE,
        )
        .values("organization_id")
        .annotate(
            total=Count("pk", distinct=True),
            registered=Count("pk", filter=in_force, distinct=True),
        )
        .order_by()
    )
    return {
        row["organization_id"]: per_cent(row["registered"], row["total"])
        for row in rows
        if row["total"]
    }


def claimed_needs(ids: Sequence[int], start: dt.date, end: dt.date) -> Values:
    """Needs of the branch's communities (需求清单) claimed in [start, end] and still claimed."""
    from regional.models import Need

    first, after = day_bounds(start, end)
    rows = (
        Need.objects.filter(
            community__organizations__in=list(ids),
            claimed_by__isnull=False,
            claimed_at__gte=first,
            claimed_at__lt=after,
        )
        .values("community__organizations")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row["community__organizations"]: Decimal(row["n"]) for row in rows}


def volunteer_hours(ids: Sequence[int], start: dt.date, end: dt.date) -> Values:
    """Hours served (credit and honour minutes) at the activities of the volunteer teams of the
    branch's communities that began in [start, end]."""
    from volunteers.models import Enrollment

    first, after = day_bounds(start, end)
    rows = (
        Enrollment.objects.filter(
            activity__team__community__organizations__in=list(ids),
            activity__starts_at__gte=first,
            activity__starts_at__lt=after,
        )
        .values("activity__team__community__organizations")
        .annotate(minutes=Sum(F("credit_minutes") + F("honour_minutes")))
        .order_by()
    )
    return {
        row["activity__team__community__organizations"]: (
            Decimal(row["minutes"] or 0) / 60
        ).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        for row in rows
    }


def dues_collection_rate(ids: Sequence[int], start: dt.date, end: dt.date) -> Values:
    """Per cent of the monthly dues bills of the months in [start, end] paid by `end`."""
    from dues.models import DuesBill

    rows = (
        DuesBill.objects.filter(organization_id__in=list(ids), month__range=(start, end))
        .values("organization_id")
        .annotate(
            total=Count("pk"),
            paid=Count("pk", filter=Q(paid_on__isnull=False, paid_on__lte=end)),
        )
        .order_by()
    )
    return {
        row["organization_id"]: per_cent(row["paid"], row["total"]) for row in rows if row["total"]
    }


def opinions_replied_on_time(ids: Sequence[int], start: dt.date, end: dt.date) -> Values:
    """Per cent of the opinions the branch owns whose deadline falls in [start, end] that were
    replied to by their deadline (local day). Opinions merged into another count with the one
    they were merged into, not twice."""
    from governance.models import Opinion, OpinionState

    rows = (
        Opinion.objects.filter(
            owner_organization_id__in=list(ids),
            deadline__range=(start, end),
        )
        .exclude(state=OpinionState.MERGED)
        .annotate(replied_on=TruncDate("replied_at"))
        .values("owner_organization_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(replied_on__lte=F("deadline"))),
        )
        .order_by()
    )
    return {
        row["owner_organization_id"]: per_cent(row["on_time"], row["total"])
        for row in rows
        if row["total"]
    }


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    unit: Promise
    compute: Callable[[Sequence[int], dt.date, dt.date], Values]
    portable: bool = True
    #: A count (meetings, hours, items) is a real 0 where no record is found; a rate is not.
    counts: bool = False

    @property
    def available(self) -> bool:
        return self.portable or connection.vendor == "postgresql"


PER_CENT = _("%")

CATALOGUE: dict[str, Metric] = {
    metric.key: metric
    for metric in [
        Metric(
            "compliance_rate",
            _("Compliance rate of organisational life"),
            PER_CENT,
            compliance_rate,
        ),
        Metric(
            "theme_days_held", _("Theme party days held"), _("times"), theme_days_held, counts=True
        ),
        Metric("meetings_held", _("Meetings held"), _("times"), meetings_held, counts=True),
        Metric(
            "inservice_registration_rate",
            _("In-service members' registration rate"),
            PER_CENT,
            inservice_registration_rate,
        ),
        Metric("claimed_needs", _("Needs claimed"), _("items"), claimed_needs, counts=True),
        Metric(
            "volunteer_hours",
            _("Volunteer service hours"),
            _("hours"),
            volunteer_hours,
            counts=True,
        ),
        Metric("dues_collection_rate", _("Dues collection rate"), PER_CENT, dues_collection_rate),
        Metric(
            "opinions_replied_on_time",
            _("Opinions replied to by their deadline"),
            PER_CENT,
            opinions_replied_on_time,
        ),
    ]
}


def metric_choices() -> list[tuple[str, Promise]]:
    return [(metric.key, metric.label) for metric in CATALOGUE.values()]
