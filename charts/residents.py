"""The charts of residents' affairs: opinions in the ledger (governance), disputes on the grids
(grids) and the community school's courses (community).

Each is one aggregate query over the scope's rows whatever their number, and reads the year as
it was on its day: an opinion's state is the last step of its life recorded by then, a
dispute's the outcome it had reached by then, a course's places the enrolments made and not
withdrawn by then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from charts.chart import AsOf, Chart, chart
from charts.scope import ChartScope
from community import rules as community_rules
from community.models import EnrolmentStatus
from governance.models import Category as OpinionCategory
from governance.models import OpinionEvent, OpinionState
from grids.models import CLOSED_STATUSES, DisputeKind, DisputeStatus, MediationSession


def _next_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, timezone.get_current_timezone()
    )


def _stacked(
    key: str,
    title: str,
    counts: dict[tuple[str, str], int],
    groups: list[tuple[str, str]],
    states: list[tuple[str, str]],
    group_heading: str,
    note: str,
) -> Chart:
    """Bars per group (category, kind), stacked by state; groups and states with no row are
    left out, so an empty year is an empty chart."""
    groups = [(v, label) for v, label in groups if any(counts.get((v, s), 0) for s, _l in states)]
    states = [(s, label) for s, label in states if any(counts.get((v, s), 0) for v, _l in groups)]
    labels = [str(label) for _v, label in groups]
    series = [
        {"name": str(label), "data": [counts.get((v, s), 0) for v, _l in groups], "stack": "all"}
        for s, label in states
    ]
    columns = [group_heading, *[s["name"] for s in series], _("Total")]
    rows = []
    for i, label in enumerate(labels):
        values = [s["data"][i] for s in series]
        rows.append([label, *values, sum(values)])
    return chart(key, title, "bar", labels, series, columns, rows, note=note)


def opinions_by_category(scope: ChartScope, as_of: AsOf) -> Chart:
    """Opinions received in the year up to its day, by category and by the state they were in
    on that day (the last recorded step of each; merged ones are left out, their original is
    counted)."""
    until = _next_midnight(as_of.day)
    state_then = Coalesce(
        Subquery(
            OpinionEvent.objects.filter(opinion=OuterRef("pk"), at__lt=until)
            .order_by("-at", "-pk")
            .values("state")[:1]
        ),
        Value(OpinionState.RECEIVED.value),
    )
    found = (
        scope.opinions.filter(received_on__gte=as_of.start, received_on__lte=as_of.day)
        .annotate(state_then=state_then)
        .exclude(state_then=OpinionState.MERGED)
        .values_list("category", "state_then")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for category, state, n in found:
        counts[(category, state)] += n
    states = [(s, label) for s, label in OpinionState.choices if s != OpinionState.MERGED]
    return _stacked(
        "opinions",
        _("Opinions by category and state"),
        counts,
        list(OpinionCategory.choices),
        states,
        _("Opinion category"),
        _("Opinions received in %(year)s up to %(day)s, by the state each was in that day.")
        % {"year": as_of.year, "day": as_of.day.isoformat()},
    )


def disputes_by_kind(scope: ChartScope, as_of: AsOf) -> Chart:
    """Disputes opened in the year up to its day, by type and by where they stood that day:
    their outcome once closed by then, being mediated once a session had been held, else
    open."""
    day = as_of.day
    status_then = Case(
        When(closed_on__lte=day, then="status"),
        When(
            Exists(MediationSession.objects.filter(dispute=OuterRef("pk"), held_on__lte=day)),
            then=Value(DisputeStatus.MEDIATING.value),
        ),
        default=Value(DisputeStatus.OPEN.value),
    )
    found = (
        scope.disputes.filter(opened_on__gte=as_of.start, opened_on__lte=day)
        .annotate(status_then=status_then)
        .values_list("kind", "status_then")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for kind, status, n in found:
        # A row closed later than the day but with a closed status stays "open" above.
        counts[(kind, status)] += n
    order = [DisputeStatus.OPEN, DisputeStatus.MEDIATING, *CLOSED_STATUSES]
    labels = dict(DisputeStatus.choices)
    return _stacked(
        "disputes",
        _("Disputes by type and state"),
        counts,
        list(DisputeKind.choices),
        [(s.value, labels[s]) for s in order],
        _("Type"),
        _("Disputes opened in %(year)s up to %(day)s, by where each stood that day.")
        % {"year": as_of.year, "day": day.isoformat()},
    )


def courses(scope: ChartScope, as_of: AsOf) -> Chart:
    """Per course of the terms running in the year up to its day: the share of its places
    taken that day, and the attendance at the sessions held in the year by then."""
    until = min(_next_midnight(as_of.day), timezone.now())
    since = dt.datetime.combine(as_of.start, dt.time.min, timezone.get_current_timezone())
    taken = (
        Q(enrolments__created_at__lt=until)
        & ~Q(enrolments__status=EnrolmentStatus.WAITLISTED)
        & (Q(enrolments__withdrawn_at__isnull=True) | Q(enrolments__withdrawn_at__gte=until))
    )
    held = Q(sessions__starts_at__gte=since, sessions__starts_at__lt=until)
    found = (
        scope.courses.filter(term__starts_on__lte=as_of.day, term__ends_on__gte=as_of.start)
        .select_related("term")
        .annotate(
            taken=Count("enrolments", filter=taken, distinct=True),
            held=Count("sessions", filter=held, distinct=True),
            present=Count("sessions__attendances", filter=held, distinct=True),
        )
        .order_by("term__starts_on", "term__pk", "weekday", "starts_at", "title", "pk")
    )
    labels, fill, attendance, rows = [], [], [], []
    for course in found:
        label = f"{course.title} · {course.term.name}"
        fill_rate = community_rules.attendance_percent(course.taken, course.places)
        expected = course.held * course.taken
        present = community_rules.attendance_percent(course.present, expected) if expected else None
        labels.append(label)
        fill.append(fill_rate)
        attendance.append(present)
        rows.append(
            [
                label,
                course.places,
                course.taken,
                fill_rate,
                course.held,
                "—" if present is None else present,
            ]
        )
    return chart(
        "courses",
        _("Courses: places taken and attendance"),
        "bar",
        labels,
        [
            {"name": _("Places taken (%)"), "data": fill},
            {"name": _("Attendance (%)"), "data": attendance},
        ],
        [
            _("Course"),
            _("Places"),
            _("Enrolled"),
            _("Places taken (%)"),
            _("Sessions held"),
            _("Attendance (%)"),
        ],
        rows,
        unit="%",
        note=_(
            "Courses of the terms running in %(year)s up to %(day)s: enrolments made and not "
            "withdrawn by then, and attendance at the sessions held in the year by then."
        )
        % {"year": as_of.year, "day": as_of.day.isoformat()},
    )
