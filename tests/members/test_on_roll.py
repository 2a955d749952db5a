"""Members on the roll on a day (MemberQuerySet.on_roll): the dated interval the report's
members-on-roll figure counts by, indexed so the planner estimates it well at any size."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Q

from members.models import Member, MembershipState
from members.querysets import GONE_STATES
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _by_the_old_predicate(day: dt.date) -> set[int]:
    """The predicate reports/figures.py used before the interval, as the reference."""
    gone = [MembershipState.TRANSFERRED_OUT, MembershipState.LEFT, MembershipState.DECEASED]
    return set(
        Member.objects.filter(
            Q(joined_on__lte=day) | Q(joined_on__isnull=True, created_at__date__lte=day)
        )
        .exclude(
            Q(state__in=gone) & (Q(state_changed_on__isnull=True) | Q(state_changed_on__lte=day))
        )
        .exclude(state=MembershipState.INCOMING)
        .values_list("pk", flat=True)
    )


def test_the_gone_states_are_the_models():
    assert set(GONE_STATES) == {
        MembershipState.TRANSFERRED_OUT,
        MembershipState.LEFT,
        MembershipState.DECEASED,
    }


def test_on_roll_counts_whom_the_old_predicate_counted(branch):
    joined = MemberFactory(organization=branch, joined_on=dt.date(2020, 1, 1), confirmed_on=None)
    undated = MemberFactory(organization=branch, joined_on=None, confirmed_on=None)
    # 00:30 in Shanghai on 1 March is still 29 February in UTC: the local day counts.
    Member.objects.filter(pk=undated.pk).update(
        created_at=dt.datetime(2020, 3, 1, 0, 30, tzinfo=SHANGHAI)
    )
    left = MemberFactory(
        organization=branch,
        joined_on=dt.date(2010, 1, 1),
        confirmed_on=None,
        state=MembershipState.LEFT,
        state_changed_on=dt.date(2021, 6, 1),
    )
    MemberFactory(organization=branch, state=MembershipState.DECEASED, state_changed_on=None)
    MemberFactory(organization=branch, state=MembershipState.INCOMING)
    MemberFactory(
        organization=branch,
        state=MembershipState.TRANSFERRED_OUT,
        state_changed_on=dt.date(2022, 2, 2),
    )
    days = [
        dt.date(2019, 12, 31),
        dt.date(2020, 1, 1),
        dt.date(2020, 2, 29),
        dt.date(2020, 3, 1),
        dt.date(2021, 5, 31),
        dt.date(2021, 6, 1),
        dt.date(2022, 2, 1),
        dt.date(2022, 2, 2),
    ]
    for day in days:
        assert set(Member.objects.on_roll(day).values_list("pk", flat=True)) == (
            _by_the_old_predicate(day)
        ), day
    on_day = set(Member.objects.on_roll(dt.date(2020, 3, 1)).values_list("pk", flat=True))
    assert {joined.pk, undated.pk, left.pk} <= on_day
    assert undated.pk not in set(
        Member.objects.on_roll(dt.date(2020, 2, 29)).values_list("pk", flat=True)
    )


def _estimated_rows(queryset) -> float:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)
def test_the_planner_estimates_the_roll_from_statistics(branch):
    """Records without a joining date count from the day they were made: the old predicate
    (`joined_on IS NULL AND created_at::date <= d`) had no statistics and was guessed."""
    day = dt.date(2000, 1, 1)
    members = [
        Member(organization=branch, full_name=f"有日期{i}", joined_on=dt.date(1990, 1, 1))
        for i in range(100)
    ] + [Member(organization=branch, full_name=f"无日期{i}", joined_on=None) for i in range(400)]
    Member.objects.bulk_create(members)  # made today: none of the undated is on the roll in 2000
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")
    on_roll = Member.objects.on_roll(day)
    assert on_roll.count() == 100
    assert 70 <= _estimated_rows(on_roll) <= 140
