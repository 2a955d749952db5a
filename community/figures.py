"""Figures of community life for the quarterly pack (reports/figures.py reads them): per course
of the terms that overlap the period, enrolments, fill rate, waiting list and attendance; per
award campaign, nominations and votes cast in the period. Set-based: one query per table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from community import rules
from community.models import Campaign, Course, EnrolmentStatus, NominationStatus


def course_rows(sub_district_id: int, start: dt.date, end: dt.date) -> list[list[Any]]:
    tz = timezone.get_current_timezone()
    # Sessions count as held once they have begun: a pack drawn mid-quarter counts none ahead.
    until = min(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz), timezone.now())
    since = dt.datetime.combine(start, dt.time(), tz)
    in_period = Q(sessions__starts_at__gte=since, sessions__starts_at__lt=until)
    courses = (
        Course.objects.filter(
            term__school__sub_district_id=sub_district_id,
            term__starts_on__lte=end,
            term__ends_on__gte=start,
        )
        .select_related("term__school")
        .annotate(
            waiting=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
                distinct=True,
            ),
            held=Count("sessions", filter=in_period, distinct=True),
            present=Count("sessions__attendances", filter=in_period, distinct=True),
        )
        .order_by("term__school__name", "term__starts_on", "weekday", "title")
    )
    rows = []
    for c in courses:
        expected = c.held * c.enrolled_count
        rows.append(
            [
                c.term.school.name,
                c.term.name,
                c.title,
                c.places,
                c.enrolled_count,
                rules.attendance_percent(c.enrolled_count, c.places),
                c.waiting,
                c.held,
                rules.attendance_percent(c.present, expected) if expected else 0,
            ]
        )
    return rows


def campaign_rows(sub_district_id: int, start: dt.date, end: dt.date) -> list[list[Any]]:
    campaigns = (
        Campaign.objects.filter(
            sub_district_id=sub_district_id,
            nomination_opens_at__date__lte=end,
        )
        .filter(Q(vote_closes_at__date__gte=start) | Q(nomination_closes_at__date__gte=start))
        .annotate(
            nominations=Count("categories__nominations", distinct=True),
            accepted=Count(
                "categories__nominations",
                filter=Q(categories__nominations__status=NominationStatus.ACCEPTED),
                distinct=True,
            ),
            votes=Count(
                "categories__votes",
                filter=Q(categories__votes__day__gte=start, categories__votes__day__lte=end),
                distinct=True,
            ),
        )
        .order_by("nomination_opens_at")
    )
    return [
        [
            c.title,
            c.get_kind_display(),
            c.nominations,
            c.accepted,
            c.votes,
            timezone.localtime(c.published_at).date().isoformat() if c.published_at else "",
        ]
        for c in campaigns
    ]


def contest_rows(sub_district_id: int, start: dt.date, end: dt.date) -> list[list[Any]]:
    """Knowledge contests whose window overlaps the period: participants (anyone with a
    scored attempt), branches that took part, attempts and the average best score."""
    from django.db.models import Avg

    from community.contests.models import Contest

    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time(), tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
    contests = (
        Contest.objects.filter(sub_district_id=sub_district_id, opens_at__lt=until)
        .filter(closes_at__gte=since)
        .annotate(
            people=Count("entrants", filter=Q(entrants__best_score__isnull=False), distinct=True),
            branches=Count("entrants__organization", distinct=True),
            average=Avg("entrants__best_score"),
        )
        .order_by("opens_at")
    )
    attempts = dict(
        Contest.objects.filter(pk__in=[c.pk for c in contests])
        .annotate(n=Count("attempts", filter=Q(attempts__submitted_at__isnull=False)))
        .values_list("pk", "n")
    )
    return [
        [
            c.title,
            timezone.localtime(c.opens_at).date().isoformat(),
            timezone.localtime(c.closes_at).date().isoformat(),
            c.people,
            c.branches,
            attempts.get(c.pk, 0),
            round(float(c.average), 1) if c.average is not None else 0,
        ]
        for c in contests
    ]
