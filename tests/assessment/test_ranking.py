from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assessment.errors import AlreadyPublished, TargetRefused
from assessment.models import AssessmentSettings, RankingRow
from assessment.ranking import week_of, weekly_ranking
from assessment.services import targets
from branches.models import Organization
from tests.activities.factories import MeetingFactory, at
from tests.branches.factories import OrganizationFactory
from tests.volunteers.factories import (
    EnrollmentFactory,
    ServiceActivityFactory,
    VolunteerTeamFactory,
)

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 6, 1)  # a Monday


def test_week_of_is_monday():
    assert week_of(dt.date(2026, 6, 7)) == WEEK
    assert week_of(WEEK) == WEEK


def test_ranking_scores_the_week_and_ties_share_a_rank(
    sub_district, work_committee, branch, other_branch, communities
):
    third = OrganizationFactory(parent=work_committee, name="商务区社区党支部")
    MeetingFactory(organization=branch, held_on=WEEK)  # 10 points
    MeetingFactory(organization=other_branch, held_on=WEEK + dt.timedelta(days=6))  # 10
    MeetingFactory(organization=third, held_on=WEEK - dt.timedelta(days=1))  # last week
    team = VolunteerTeamFactory(community=communities[0])
    activity = ServiceActivityFactory(team=team, starts_at=at(WEEK + dt.timedelta(days=2), 9))
    EnrollmentFactory(activity=activity, credit_minutes=90)  # 1.5 h × 2 = 3 points

    rows = weekly_ranking(Organization.objects.filter(sub_district=sub_district), WEEK)
    assert [(r.name, r.rank, r.score) for r in rows] == [
        ("联盟新城社区党支部", 1, Decimal("13.00")),
        ("天路社区党支部", 2, Decimal("10.00")),
        ("商务区社区党支部", 3, Decimal("0.00")),
    ]
    assert (rows[0].meetings, rows[0].volunteer_hours) == (1, Decimal("1.50"))


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped(
    sub_district, work_committee, branch, other_branch
):
    third = OrganizationFactory(parent=work_committee, name="商务区社区党支部")
    MeetingFactory(organization=branch, held_on=WEEK)
    MeetingFactory(organization=other_branch, held_on=WEEK)
    rows = weekly_ranking(Organization.objects.filter(sub_district=sub_district), WEEK)
    assert [(r.name, r.rank) for r in rows] == [
        ("天路社区党支部", 1),  # equal scores are listed by name
        ("联盟新城社区党支部", 1),
        ("商务区社区党支部", 3),
    ]
    assert third.pk == rows[2].organization_id


def test_the_sub_district_points_change_the_score(sub_district, branch, communities):
    AssessmentSettings.objects.create(sub_district=sub_district, points_per_meeting=3)
    MeetingFactory(organization=branch, held_on=WEEK)
    [row] = [
        r
        for r in weekly_ranking(Organization.objects.filter(sub_district=sub_district), WEEK)
        if r.organization_id == branch.pk
    ]
    assert row.score == Decimal("3.00")


def test_ranking_is_one_query_whatever_the_branches(
    sub_district, work_committee, django_assert_num_queries
):
    for n in range(12):
        OrganizationFactory(parent=work_committee, name=f"支部{n}")
    with django_assert_num_queries(1):
        rows = weekly_ranking(Organization.objects.filter(sub_district=sub_district), WEEK)
    assert len(rows) == 12


def test_publish_freezes_the_week_once(sub_district, branch, other_branch, staff):
    MeetingFactory(organization=branch, held_on=WEEK)
    week = targets.publish_ranking(sub_district=sub_district, week_start=WEEK, actor=staff)
    assert list(RankingRow.objects.filter(week=week).values_list("organization_id", "rank")) == [
        (branch.pk, 1),
        (other_branch.pk, 2),
    ]
    with pytest.raises(AlreadyPublished):
        targets.publish_ranking(sub_district=sub_district, week_start=WEEK, actor=staff)
    assert RankingRow.objects.count() == 2


def test_a_week_not_ended_or_not_a_monday_is_refused(sub_district, staff):
    with pytest.raises(TargetRefused):
        targets.publish_ranking(
            sub_district=sub_district, week_start=dt.date(2026, 6, 8), actor=staff
        )
    with pytest.raises(TargetRefused):
        targets.publish_ranking(
            sub_district=sub_district, week_start=dt.date(2026, 6, 2), actor=staff
        )
