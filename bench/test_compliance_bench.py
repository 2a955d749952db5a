"""The compliance heat map on the seed_scale district with 3 years of meetings: one sub-district
for a year, and the whole district, at a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from activities.compliance import heat_map
from activities.models import Meeting, MeetingKind
from branches.models import Organization, SubDistrict
from demo import scale

pytestmark = pytest.mark.django_db


def three_years_of_meetings() -> int:
    rng = random.Random(7)  # noqa: S311
    today = timezone.localdate()
    rows = []
    organizations = Organization.objects.filter(
        sub_district__district__name=scale.SCALE_DISTRICT, kind__in=["branch", "party_group"]
    ).only("pk", "kind")
    for org in organizations:
        kind = MeetingKind.GROUP_MEETING if org.kind == "party_group" else MeetingKind.THEME_DAY
        for year in (today.year - 2, today.year - 1, today.year):
            for month in range(1, 13):
                day = dt.date(year, month, rng.randint(1, 27))
                if day >= today or rng.random() < 0.15:
                    continue
                rows.append(
                    Meeting(
                        organization_id=org.pk,
                        kind=kind,
                        topic="规模测试",
                        starts_at=timezone.make_aware(dt.datetime(year, month, day.day, 19)),
                        held_on=day,
                        status="held",
                    )
                )
    Meeting.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def test_heat_map_at_district_scale(timer, django_assert_max_num_queries):
    scale.build()
    created = three_years_of_meetings()
    assert created > 50_000
    today = timezone.localdate()
    sub_district = SubDistrict.objects.filter(district__name=scale.SCALE_DISTRICT).first()
    one = list(Organization.objects.filter(sub_district=sub_district, kind="branch"))
    every = list(
        Organization.objects.filter(
            sub_district__district__name=scale.SCALE_DISTRICT, kind="branch"
        )
    )
    timer.measure(
        f"heat map, one sub-district ({len(one)} branches), a year",
        lambda: heat_map(one, today.year, today),
    )
    timer.measure(
        f"heat map, whole district ({len(every)} branches), a year",
        lambda: heat_map(every, today.year, today),
        repeat=3,
    )
    with django_assert_max_num_queries(6):
        heat_map(every, today.year, today)
