"""Thin Celery wrappers of the recomputation (queue `recomputes`, by the `*recompute*` route).

A recomputation is safe to run twice (it writes the ledger the sources give, nothing more), so
the tasks need no claim; a lost message is repaired by the nightly run."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from branches.models import SubDistrict
from members.models import Member
from points.services.recompute import recompute_points


@shared_task(name="points.tasks.recompute_member_points", time_limit=300, soft_time_limit=270)
def recompute_member_points(member_ids: list[int], first_year: int, last_year: int) -> int:
    """After a source record was written: those members, the years it touched."""
    result = recompute_points(
        members=Member.objects.filter(pk__in=member_ids),
        first=dt.date(first_year, 1, 1),
        last=dt.date(last_year, 12, 31),
    )
    return result.inserted_or_updated + result.deleted


@shared_task(
    name="points.tasks.recompute_sub_district_points", time_limit=1800, soft_time_limit=1740
)
def recompute_sub_district_points(sub_district_id: int, first_year: int, last_year: int) -> int:
    """A rule changed, or a whole sub-district was asked for: every member, year by year (each
    year its own transaction, so a long range does not hold one lock for all of it)."""
    changed = 0
    for year in range(first_year, last_year + 1):
        result = recompute_points(
            members=Member.objects.filter(organization__sub_district_id=sub_district_id),
            first=dt.date(year, 1, 1),
            last=dt.date(year, 12, 31),
        )
        changed += result.inserted_or_updated + result.deleted
    return changed


@shared_task(name="points.tasks.recompute_points_nightly", time_limit=3600, soft_time_limit=3540)
def recompute_points_nightly() -> int:
    """Beat, nightly: this year of every sub-district (and last year during January, while late
    records of December still come in)."""
    today = timezone.localdate()
    first_year = today.year - 1 if today.month == 1 else today.year
    changed = 0
    for sub_district_id in SubDistrict.objects.order_by("pk").values_list("pk", flat=True):
        changed += recompute_sub_district_points(sub_district_id, first_year, today.year)
    return changed
