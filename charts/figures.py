"""The figures behind each chart, for a scope as of a day.

Every chart is a few aggregate queries whatever the size of the scope (the tests hold the
counts), and returns plain JSON: the chart's categories and series, and the same numbers as a
table (the alternative for screen readers and printing, the XLSX download). "As of": the roll of
members is read for the chosen day from dated records (`members_on`: joined, confirmed, left,
and the branch that kept each member that day), the pipeline from the date of each step, the
monthly series for the months of the chosen year up to that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, ExtractWeekDay, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.compliance import heat_map
from activities.models import LectureKind, Meeting, MeetingKind
from branches.models import Organization, OrganizationKind
from charts.chart import AsOf, Chart, chart, month_label
from charts.residents import courses, disputes_by_kind, opinions_by_category
from charts.scope import ChartScope
from dues.models import DuesBill
from members.models import (
    Category,
    Development,
    Education,
    Gender,
    Member,
    Stage,
)
from reports.figures import members_on
from venues.models import BookingStatus

AGE_BANDS = ((0, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, 200))
PARTY_YEARS = ((0, 4), (5, 9), (10, 19), (20, 29), (30, 49), (50, 200))
WEEKDAYS = (
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
)
BOOKED = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


# --- Members ------------------------------------------------------------------------------


def roll_on(scope: ChartScope, day: dt.date) -> QuerySet[Member]:
    """The scope's members on the roll on `day`, in the branch that kept them that day: the
    report pack's own rule (`reports.figures.members_on`), read for a chart scope, which has
    the report scope's shape (`paths`, `organizations_q`)."""
    return members_on(scope, day)  # type: ignore[arg-type]


def _bands(field: str, day: dt.date, bands: tuple[tuple[int, int], ...]) -> Case:
    """The band index of a date column counted in whole years before `day` (-1: not recorded).

    Whole years by comparing dates (born on or before the day N years back), so SQLite and
    PostgreSQL agree and leap days need no arithmetic."""

    def years_back(n: int) -> dt.date:
        try:
            return day.replace(year=day.year - n)
        except ValueError:  # 29 February
            return day.replace(year=day.year - n, day=28)

    whens = [
        When(
            **{
                f"{field}__lte": years_back(low),
                f"{field}__gt": years_back(high + 1),
            },
            then=Value(index),
        )
        for index, (low, high) in enumerate(bands)
        if high + 1 <= day.year - 1
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def _band_labels(bands: tuple[tuple[int, int], ...], unit: str) -> list[str]:
    labels = []
    for low, high in bands:
        if low == 0:
            labels.append(_("%(high)d %(unit)s or under") % {"high": high, "unit": unit})
        elif high >= 200:
            labels.append(_("%(low)d %(unit)s or over") % {"low": low, "unit": unit})
        else:
            labels.append(f"{low}–{high} {unit}")
    return labels


def _banded_chart(
    key: str,
    title: str | Promise,
    scope: ChartScope,
    as_of: AsOf,
    field: str,
    bands: Any,
    unit: str,
) -> Chart:
    counts = dict(
        roll_on(scope, as_of.day)
        .annotate(band=_bands(field, as_of.day, bands))
        .values_list("band")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = _band_labels(bands, unit)
    values = [counts.get(i, 0) for i in range(len(bands))]
    if counts.get(-1):
        labels.append(_("Not recorded"))
        values.append(counts[-1])
    return chart(
        key,
        title,
        "bar",
        labels,
        [{"name": _("Members"), "data": values}],
        [_("Band"), _("Members")],
        [[label, value] for label, value in zip(labels, values, strict=True)],
        note=_("Members on the roll on %(day)s.") % {"day": as_of.day.isoformat()},
    )


def members_by_age(scope: ChartScope, as_of: AsOf) -> Chart:
    return _banded_chart(
        "members-age",
        _("Members by age"),
        scope,
        as_of,
        "birth_date",
        AGE_BANDS,
        _("years old"),
    )


def members_by_party_years(scope: ChartScope, as_of: AsOf) -> Chart:
    return _banded_chart(
        "members-party-years",
        _("Members by years in the party"),
        scope,
        as_of,
        "joined_on",
        PARTY_YEARS,
        _("years in the party"),
    )


def _choice_chart(
    key: str, title: str | Promise, scope: ChartScope, as_of: AsOf, field: str, choices: Any
) -> Chart:
    counts = dict(roll_on(scope, as_of.day).values_list(field).annotate(n=Count("pk")).order_by())
    labels = [str(label) for value, label in choices if counts.get(value)]
    values = [counts[value] for value, _label in choices if counts.get(value)]
    if counts.get("") or counts.get(None):
        labels.append(_("Not recorded"))
        values.append(counts.get("", 0) + counts.get(None, 0))
    return chart(
        key,
        title,
        "pie",
        labels,
        [
            {
                "name": _("Members"),
                "data": [{"name": n, "value": v} for n, v in zip(labels, values, strict=True)],
            }
        ],
        [str(title), _("Members")],
        [[label, value] for label, value in zip(labels, values, strict=True)],
        note=_("Members on the roll on %(day)s.") % {"day": as_of.day.isoformat()},
    )


def members_by_education(scope: ChartScope, as_of: AsOf) -> Chart:
    return _choice_chart(
        "members-education",
        _("Members by education"),
        scope,
        as_of,
        "education",
        Education.choices,
    )


def members_by_category(scope: ChartScope, as_of: AsOf) -> Chart:
    return _choice_chart(
        "members-category", _("Members by category"), scope, as_of, "category", Category.choices
    )


def members_by_gender(scope: ChartScope, as_of: AsOf) -> Chart:
    return _choice_chart(
        "members-gender", _("Members by sex"), scope, as_of, "gender", Gender.choices
    )


def joining_pipeline(scope: ChartScope, as_of: AsOf) -> Chart:
    """People who had applied by the day, by the furthest step they had reached that day."""
    day = as_of.day
    reached = (
        Development.objects.filter(organization_id__in=scope.organization_ids)
        .filter(applied_on__lte=day)
        .aggregate(
            applicant=Count("pk"),
            activist=Count("pk", filter=Q(activist_on__lte=day)),
            candidate=Count("pk", filter=Q(candidate_on__lte=day)),
            probationary=Count("pk", filter=Q(approved_on__lte=day)),
            full=Count("pk", filter=Q(confirmed_on__lte=day)),
        )
    )
    names = dict(Stage.choices)
    stages = [s for s in Stage.values if s in reached]
    labels = [str(names[s]) for s in stages]
    values = [reached[s] or 0 for s in stages]
    return chart(
        "joining-pipeline",
        _("Joining pipeline"),
        "funnel",
        labels,
        [
            {
                "name": _("People"),
                "data": [{"name": n, "value": v} for n, v in zip(labels, values, strict=True)],
            }
        ],
        [_("Stage"), _("People who had reached it")],
        [[label, value] for label, value in zip(labels, values, strict=True)],
        note=_("Everyone who had applied by %(day)s, counted at each step they had reached.")
        % {"day": day.isoformat()},
    )


# --- Organisational life ------------------------------------------------------------------


def _branches(scope: ChartScope) -> list[Organization]:
    return list(
        scope.organizations.active()
        .filter(kind=OrganizationKind.BRANCH)
        .select_related("sub_district")
        .order_by("path")
    )


def _compliance_by_month(scope: ChartScope, as_of: AsOf) -> dict[dt.date, list[int]]:
    """Per month of the year: [requirements falling due, met, closed, closed and met]."""
    totals: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in heat_map(_branches(scope), as_of.year, as_of.day):
        for cell in row.cells:
            figures = totals[cell.month.start]
            figures[0] += cell.total
            figures[1] += cell.met
            figures[2] += cell.closed
            figures[3] += cell.closed_met
    return totals


def meetings_by_month(scope: ChartScope, as_of: AsOf) -> Chart:
    """Meetings held per month by kind (stacked), beside the requirements falling due."""
    months = as_of.months
    held = (
        Meeting.objects.held_between(as_of.start, as_of.day)
        .filter(organization_id__in=scope.organization_ids)
        .annotate(month=TruncMonth("held_on"))
        .values_list("month", "kind", "lecture_kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kinds = dict(MeetingKind.choices)
    lectures = dict(LectureKind.choices)
    by_kind: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for month, kind, lecture_kind, n in held:
        month = month.date() if isinstance(month, dt.datetime) else month
        label = str(lectures.get(lecture_kind) or kinds.get(kind, kind))
        by_kind[label][month] += n
    required = _compliance_by_month(scope, as_of)
    labels = [month_label(m) for m in months]
    series = [
        {"name": name, "data": [counts.get(m, 0) for m in months], "stack": "held"}
        for name, counts in sorted(by_kind.items())
    ]
    series.append(
        {
            "name": _("Required meetings falling due"),
            "data": [required[m][0] for m in months],
            "type": "line",
        }
    )
    columns = [_("Month"), *[s["name"] for s in series]]
    rows = [[label, *[s["data"][i] for s in series]] for i, label in enumerate(labels)]
    return chart(
        "meetings-by-month",
        _("Meetings held per month"),
        "bar",
        labels,
        series,
        columns,
        rows,
        note=_(
            "Meetings held by kind; the line is the requirements of the cadence rules whose "
            "period ends that month."
        ),
    )


def compliance_trend(scope: ChartScope, as_of: AsOf) -> Chart:
    months = as_of.months
    figures = _compliance_by_month(scope, as_of)
    labels = [month_label(m) for m in months]
    rates = [
        round(100 * figures[m][3] / figures[m][2], 1) if figures[m][2] else None for m in months
    ]
    rows = [
        [label, figures[m][2], figures[m][3], "—" if rate is None else rate]
        for label, m, rate in zip(labels, months, rates, strict=True)
    ]
    return chart(
        "compliance-trend",
        _("Compliance per month"),
        "line",
        labels,
        [{"name": _("Requirements met (%)"), "data": rates}],
        [_("Month"), _("Requirements due"), _("Met"), _("Met (%)")],
        rows,
        unit="%",
        note=_("Requirements whose period ended in the month, and the share of them met."),
    )


def what_is_due(scope: ChartScope, today: dt.date) -> list[dict[str, Any]]:
    """Per branch: the requirements falling due this month, how many are met, which are not."""
    due: list[dict[str, Any]] = []
    for row in heat_map(_branches(scope), today.year, today):
        cell = row.cells[today.month - 1]
        if cell.total:
            due.append(
                {
                    "organization": row.organization,
                    "total": cell.total,
                    "met": cell.met,
                    "open": cell.missing_labels,
                }
            )
    return due


# --- Volunteers, rooms, dues --------------------------------------------------------------


def volunteer_hours(scope: ChartScope, as_of: AsOf) -> Chart:
    months = as_of.months
    start = dt.datetime.combine(as_of.start, dt.time.min, timezone.get_current_timezone())
    end = dt.datetime.combine(
        as_of.day + dt.timedelta(days=1), dt.time.min, timezone.get_current_timezone()
    )
    rows_by_month = dict(
        scope.enrollments.credited()
        .filter(activity__starts_at__gte=start, activity__starts_at__lt=end)
        .annotate(month=TruncMonth("activity__starts_at"))
        .values_list("month")
        .annotate(minutes=Sum(F("credit_minutes") + F("honour_minutes")))
        .order_by()
    )
    by_month = {
        (m.date() if isinstance(m, dt.datetime) else m): minutes
        for m, minutes in rows_by_month.items()
    }
    labels = [month_label(m) for m in months]
    hours = [round((by_month.get(m) or 0) / 60, 1) for m in months]
    return chart(
        "volunteer-hours",
        _("Volunteer hours per month"),
        "bar",
        labels,
        [{"name": _("Hours"), "data": hours}],
        [_("Month"), _("Hours")],
        [[label, h] for label, h in zip(labels, hours, strict=True)],
        unit=_("hours"),
        note=_("Credit and honour hours of the service held in the month."),
    )


def room_use(scope: ChartScope, as_of: AsOf) -> Chart:
    """Booked hours by weekday and starting hour over the year: a heat map of the week."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(as_of.start, dt.time.min, tz)
    end = dt.datetime.combine(as_of.day + dt.timedelta(days=1), dt.time.min, tz)
    found = (
        scope.bookings()
        .filter(status__in=BOOKED, starts_at__gte=start, starts_at__lt=end)
        .annotate(
            weekday=ExtractWeekDay("starts_at", tzinfo=tz), hour=ExtractHour("starts_at", tzinfo=tz)
        )
        .values_list("weekday", "hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hours = list(range(7, 23))
    cells: dict[tuple[int, int], int] = {}
    for weekday, hour, n in found:
        monday_first = (weekday + 5) % 7  # Django: 1 = Sunday … 7 = Saturday
        cells[(monday_first, hour)] = cells.get((monday_first, hour), 0) + n
    days = [str(d) for d in WEEKDAYS]
    data = [[hours.index(h), d, n] for (d, h), n in sorted(cells.items()) if h in hours]
    rows = [[days[d], *[cells.get((d, h), 0) for h in hours]] for d in range(7)]
    return chart(
        "room-use",
        _("Room bookings by hour of the week"),
        "heatmap",
        [f"{h}:00" for h in hours],
        [{"name": _("Bookings"), "data": data}],
        [_("Day"), *[f"{h}:00" for h in hours]],
        rows,
        y_categories=days,
        note=_("Confirmed and checked-in bookings of the year, by the hour they start."),
    )


def dues_collection(scope: ChartScope, as_of: AsOf) -> Chart:
    months = as_of.months
    found = (
        DuesBill.objects.filter(
            organization_id__in=scope.organization_ids,
            month__gte=as_of.start,
            month__lte=as_of.day,
        )
        .values_list("month")
        .annotate(
            due=Sum("amount_due"),
            paid=Sum("amount_due", filter=Q(paid_on__lte=as_of.day)),
            bills=Count("pk"),
        )
        .order_by()
    )
    by_month = {month: (due or 0, paid or 0, bills) for month, due, paid, bills in found}
    labels = [month_label(m) for m in months]
    rates, rows = [], []
    for label, month in zip(labels, months, strict=True):
        due, paid, bills = by_month.get(month, (0, 0, 0))
        rate = round(float(100 * paid / due), 1) if due else None
        rates.append(rate)
        rows.append([label, bills, float(due), float(paid), "—" if rate is None else rate])
    return chart(
        "dues-collection",
        _("Dues collected per month"),
        "line",
        labels,
        [{"name": _("Collected (%)"), "data": rates}],
        [_("Month"), _("Bills"), _("Due (yuan)"), _("Paid by the day (yuan)"), _("Collected (%)")],
        rows,
        unit="%",
        note=_("Dues of each month's bills paid by %(day)s.") % {"day": as_of.day.isoformat()},
    )


# The charts of the workbench, in the order they are shown.
CHARTS: dict[str, Callable[[ChartScope, AsOf], Chart]] = {
    "members-age": members_by_age,
    "members-education": members_by_education,
    "members-party-years": members_by_party_years,
    "members-category": members_by_category,
    "members-gender": members_by_gender,
    "joining-pipeline": joining_pipeline,
    "meetings-by-month": meetings_by_month,
    "compliance-trend": compliance_trend,
    "volunteer-hours": volunteer_hours,
    "room-use": room_use,
    "dues-collection": dues_collection,
    "opinions": opinions_by_category,
    "disputes": disputes_by_kind,
    "courses": courses,
}

TITLES: dict[str, Promise] = {
    "members-age": gettext_lazy("Members by age"),
    "members-education": gettext_lazy("Members by education"),
    "members-party-years": gettext_lazy("Members by years in the party"),
    "members-category": gettext_lazy("Members by category"),
    "members-gender": gettext_lazy("Members by sex"),
    "joining-pipeline": gettext_lazy("Joining pipeline"),
    "meetings-by-month": gettext_lazy("Meetings held per month"),
    "compliance-trend": gettext_lazy("Compliance per month"),
    "volunteer-hours": gettext_lazy("Volunteer hours per month"),
    "room-use": gettext_lazy("Room bookings by hour of the week"),
    "dues-collection": gettext_lazy("Dues collected per month"),
    "opinions": gettext_lazy("Opinions by category and state"),
    "disputes": gettext_lazy("Disputes by type and state"),
    "courses": gettext_lazy("Courses: places taken and attendance"),
}
