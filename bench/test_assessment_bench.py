"""The weekly ranking (亮赛比) of a whole seed_scale district: every branch's week (meetings held,
volunteer hours at its communities' teams, needs claimed) scored and ranked per sub-district in
one statement, whatever the number of branches; and publishing one sub-district's week."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from activities.models import Meeting, MeetingKind
from assessment.models import RankingRow, RankingWeek
from assessment.ranking import week_of, weekly_ranking
from assessment.services.targets import notify_ranking, publish_ranking
from branches.models import Organization, SubDistrict
from demo import scale

pytestmark = pytest.mark.django_db

# A fixed past week (the module reads no clock: benches do not hold it).
WEEK = dt.date(2026, 6, 1)


def a_week_of_meetings(week: dt.date) -> int:
    """A theme day for two branches in three, spread over the week."""
    rows = [
        Meeting(
            organization_id=pk,
            kind=MeetingKind.THEME_DAY,
            topic="规模测试",
            starts_at=timezone.make_aware(
                dt.datetime.combine(week + dt.timedelta(days=n % 7), dt.time(19))
            ),
            held_on=week + dt.timedelta(days=n % 7),
            status="held",
        )
        for n, pk in enumerate(
            Organization.objects.filter(
                sub_district__district__name=scale.SCALE_DISTRICT, kind="branch"
            ).values_list("pk", flat=True)
        )
        if n % 3
    ]
    Meeting.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def test_weekly_ranking_at_district_scale(timer, django_assert_num_queries):
    scale.build()
    week = week_of(WEEK)
    held = a_week_of_meetings(week)
    district = Organization.objects.filter(sub_district__district__name=scale.SCALE_DISTRICT)
    timer.measure(
        "weekly ranking, whole district",
        lambda: weekly_ranking(district, week),
        repeat=3,
    )
    with django_assert_num_queries(1):
        rows = weekly_ranking(district, week)
    assert len(rows) > 100
    assert sum(row.meetings for row in rows) == held
    ranked = [row for row in rows if row.sub_district_id == rows[0].sub_district_id]
    assert ranked[0].rank == 1
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:], strict=False))

    sub_district = SubDistrict.objects.get(pk=rows[0].sub_district_id)
    # A week is published once (a second call is refused), so it is timed once, by hand.
    start = time.perf_counter()
    publish_ranking(sub_district=sub_district, week_start=week, actor=None)
    timer.record(
        f"publish one sub-district's week ({sub_district.name})",
        ms=(time.perf_counter() - start) * 1000,
    )
    start = time.perf_counter()
    assert notify_ranking(RankingWeek.objects.get(sub_district=sub_district, week_start=week).pk)
    timer.record("tell its secretaries (outbox rows)", ms=(time.perf_counter() - start) * 1000)
    assert RankingRow.objects.filter(week__sub_district=sub_district).count() == len(ranked)
