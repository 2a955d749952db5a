"""What a hall's display screen shows: a place's figures with no personal data.

Counts, titles of public activities, rooms and times of today's bookings (never who booked or
why: a resident's purpose may name them), the three lists' claims by state. Built in a fixed
number of queries and cached per screen for `SCREEN_CACHE_SECONDS`, so a dozen TVs refreshing
every minute cost one build a minute.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities.models import Meeting
from branches.models import OrganizationKind
from charts.figures import AsOf, meetings_by_month, roll_on
from charts.models import DisplayScreen
from charts.scope import ChartScope
from regional.models import ItemStatus, ProjectStatus
from venues.models import BookingKind, BookingStatus

SCREEN_CACHE_SECONDS = 30
UPCOMING_DAYS = 14


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(day, dt.time.min, tz),
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tz),
    )


def _claims(queryset: Any, choices: Any) -> list[dict[str, Any]]:
    found = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return [{"name": str(label), "value": found.get(value, 0)} for value, label in choices]


def _decisions(sub_district: Any, community: Any, today: dt.date) -> list[dict[str, str]]:
    """The community decisions published today (四议两公开 publications in their window): the
    ticker's items, titles only."""
    from governance.models import Publication

    if sub_district is None:
        return []
    shown = Publication.objects.shown_on(today).filter(matter__community__sub_district=sub_district)
    if community is not None:
        shown = shown.filter(matter__community=community)
    rows = shown.order_by("-starts_on", "pk").values_list("title", "matter__community__name")[:10]
    return [{"title": title, "community": name} for title, name in rows]


def _course_sessions(scope: ChartScope, now: dt.datetime) -> list[dict[str, str]]:
    """The next sessions of the seniors' college courses held in the scope's halls."""
    from community.models import CourseSession

    rows = (
        CourseSession.objects.filter(
            course__room__hall__in=scope.halls.order_by().values("pk"),
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS),
        )
        .order_by("starts_at", "pk")
        .values_list("course__title", "course__room__name", "starts_at")[:8]
    )
    return [
        {
            "title": title,
            "room": room,
            "when": timezone.localtime(starts_at).strftime("%m-%d %H:%M"),
        }
        for title, room, starts_at in rows
    ]


def screen_figures(
    scope: ChartScope, now: dt.datetime, *, sub_district: Any = None, community: Any = None
) -> dict[str, Any]:
    today = timezone.localdate(now)
    month_start = today.replace(day=1)
    year_start, _end = _day_bounds(dt.date(today.year, 1, 1))
    day_start, day_end = _day_bounds(today)
    hours = (
        scope.enrollments.credited()
        .filter(activity__starts_at__gte=year_start, activity__starts_at__lt=day_end)
        .aggregate(minutes=Sum(F("credit_minutes") + F("honour_minutes")))["minutes"]
    )
    upcoming = (
        scope.activities.filter(
            status="scheduled",
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS),
        )
        .order_by("starts_at")
        .values_list("title", "starts_at", "place")[:8]
    )
    bookings = (
        scope.bookings()
        .filter(
            status__in=(BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.PENDING),
            starts_at__lt=day_end,
            ends_at__gt=day_start,
        )
        .exclude(kind=BookingKind.BLOCK)
        .order_by("starts_at", "room__name")
        .values_list("room__hall__name", "room__name", "starts_at", "ends_at", "kind")[:20]
    )
    kinds = dict(BookingKind.choices)
    lists = [
        (_("Needs list"), _claims(scope.needs, ItemStatus.choices)),
        (_("Resources list"), _claims(scope.resources, ItemStatus.choices)),
        (_("Projects list"), _claims(scope.projects, ProjectStatus.choices)),
    ]
    meetings = meetings_by_month(scope, AsOf.for_year(today.year, today))
    return {
        "generated_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        "members": roll_on(scope, today).count(),
        "branches": scope.organizations.active().filter(kind=OrganizationKind.BRANCH).count(),
        "meetings_this_month": Meeting.objects.held_between(month_start, today)
        .filter(organization_id__in=scope.organization_ids)
        .count(),
        "volunteer_hours": round((hours or 0) / 60, 1),
        "upcoming": [
            {
                "title": title,
                "when": timezone.localtime(starts_at).strftime("%m-%d %H:%M"),
                "place": place,
            }
            for title, starts_at, place in upcoming
        ],
        "rooms_today": [
            {
                "hall": hall,
                "room": room,
                "time": f"{timezone.localtime(s):%H:%M}–{timezone.localtime(e):%H:%M}",
                "kind": str(kinds[kind]),
            }
            for hall, room, s, e, kind in bookings
        ],
        "lists": [{"name": str(name), "states": states} for name, states in lists],
        "meetings_chart": meetings,
        "courses": _course_sessions(scope, now),
        "decisions": _decisions(sub_district, community, today),
    }


def cached_screen_figures(screen: DisplayScreen, now: dt.datetime) -> dict[str, Any]:
    key = f"charts:screen:{screen.pk}:{get_language()}:{timezone.localdate(now).isoformat()}"
    found = cache.get(key)
    if found is None:
        scope = ChartScope.of_place(screen.sub_district, screen.community)
        found = screen_figures(
            scope, now, sub_district=screen.sub_district, community=screen.community
        )
        cache.set(key, found, timeout=SCREEN_CACHE_SECONDS)
    return found
