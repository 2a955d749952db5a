"""Every metric of the catalogue against hand counts on a small fixture: two branches, each
with its community; records inside and outside the period, and of the other branch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import MeetingKind
from assessment import metrics
from dues.models import DuesBill
from members.models import Category, CommunityRegistration, MembershipState
from regional.models import Need
from tests.activities.factories import MeetingFactory, at
from tests.members.factories import MemberFactory
from tests.volunteers.factories import (
    EnrollmentFactory,
    ServiceActivityFactory,
    VolunteerTeamFactory,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def test_meetings_and_theme_days_count_held_meetings_in_the_period(branch, other_branch):
    for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 5), dt.date(2026, 3, 31)):
        MeetingFactory(organization=branch, held_on=day)  # theme days
    MeetingFactory(organization=branch, held_on=dt.date(2026, 2, 9), kind=MeetingKind.LECTURE)
    MeetingFactory(organization=branch, held_on=dt.date(2026, 4, 1))  # after the period
    MeetingFactory(organization=branch)  # planned, not held
    MeetingFactory(organization=other_branch, held_on=dt.date(2026, 1, 20))

    ids = [branch.pk, other_branch.pk]
    assert metrics.theme_days_held(ids, START, END) == {branch.pk: 3, other_branch.pk: 1}
    assert metrics.meetings_held(ids, START, END) == {branch.pk: 4, other_branch.pk: 1}


def test_registration_rate_counts_in_service_members_registered_on_the_last_day(
    branch, other_branch, communities
):
    ours, _theirs = communities
    in_service = [
        MemberFactory(organization=branch, category=Category.IN_SERVICE) for _ in range(4)
    ]
    MemberFactory(organization=branch, category=Category.RETIRED)  # not counted
    MemberFactory(
        organization=branch, category=Category.IN_SERVICE, state=MembershipState.TRANSFERRED_OUT
    )
    registered = {"community": ours, "employer_name": "市房管局"}
    CommunityRegistration.objects.create(
        member=in_service[0], registered_on=dt.date(2025, 5, 1), **registered
    )
    CommunityRegistration.objects.create(  # ended before the day: not in force
        member=in_service[1],
        registered_on=dt.date(2025, 5, 1),
        ended_on=dt.date(2026, 2, 1),
        **registered,
    )
    CommunityRegistration.objects.create(  # registered after the day
        member=in_service[2], registered_on=dt.date(2026, 4, 2), **registered
    )

    rates = metrics.inservice_registration_rate([branch.pk, other_branch.pk], START, END)
    # 1 of 4 in force on 31 March; the other branch has no in-service member: no figure.
    assert rates == {branch.pk: Decimal("25.0")}


def test_claimed_needs_counts_needs_of_the_branch_communities_claimed_in_the_period(
    branch, other_branch, communities, committee, unit
):
    ours, theirs = communities
    claimed = timezone.make_aware(dt.datetime(2026, 2, 1, 10))
    for title in ("义诊", "助学"):
        Need.objects.create(
            committee=committee,
            community=ours,
            title=title,
            claimed_by=unit,
            claimed_at=claimed,
            status="claimed",
        )
    Need.objects.create(committee=committee, community=ours, title="未认领")
    Need.objects.create(
        committee=committee,
        community=ours,
        title="四月认领",
        claimed_by=unit,
        status="claimed",
        # 1 April 00:30 in Shanghai: after the period, though still 31 March in UTC.
        claimed_at=timezone.make_aware(dt.datetime(2026, 4, 1, 0, 30)),
    )
    Need.objects.create(
        committee=committee,
        community=theirs,
        title="天路",
        claimed_by=unit,
        claimed_at=claimed,
        status="claimed",
    )

    assert metrics.claimed_needs([branch.pk, other_branch.pk], START, END) == {
        branch.pk: 2,
        other_branch.pk: 1,
    }


def test_volunteer_hours_sum_credit_and_honour_minutes_of_the_branch_teams(
    branch, other_branch, communities
):
    ours, theirs = communities
    team = VolunteerTeamFactory(community=ours)
    inside = ServiceActivityFactory(team=team, starts_at=at(dt.date(2026, 3, 1), 9))
    EnrollmentFactory(activity=inside, credit_minutes=120, honour_minutes=0)
    EnrollmentFactory(activity=inside, credit_minutes=45, honour_minutes=15)
    outside = ServiceActivityFactory(team=team, starts_at=at(dt.date(2026, 4, 2), 9))
    EnrollmentFactory(activity=outside, credit_minutes=600)
    other = ServiceActivityFactory(
        team=VolunteerTeamFactory(community=theirs), starts_at=at(dt.date(2026, 1, 3), 9)
    )
    EnrollmentFactory(activity=other, credit_minutes=30)

    assert metrics.volunteer_hours([branch.pk, other_branch.pk], START, END) == {
        branch.pk: Decimal("3.0"),
        other_branch.pk: Decimal("0.5"),
    }


def _bill(member, month: dt.date, paid_on: dt.date | None, n: list[int]) -> None:
    n[0] += 1
    DuesBill.objects.create(
        member=member,
        organization=member.organization,
        month=month,
        category="in_service",
        base_amount=Decimal("5000"),
        amount_due=Decimal("50.00"),
        reference=f"REF{n[0]:06d}",
        paid_on=paid_on,
    )


def test_dues_collection_rate_counts_bills_of_the_months_paid_by_the_last_day(branch, other_branch):
    member = MemberFactory(organization=branch)
    n = [0]
    _bill(member, dt.date(2026, 1, 1), dt.date(2026, 1, 10), n)
    _bill(member, dt.date(2026, 2, 1), dt.date(2026, 2, 10), n)
    _bill(member, dt.date(2026, 3, 1), dt.date(2026, 4, 5), n)  # paid after the period
    _bill(member, dt.date(2026, 4, 1), dt.date(2026, 4, 5), n)  # not a month of the period
    other = MemberFactory(organization=other_branch)
    _bill(other, dt.date(2026, 1, 1), None, n)

    assert metrics.dues_collection_rate([branch.pk, other_branch.pk], START, END) == {
        branch.pk: Decimal("66.7"),
        other_branch.pk: Decimal("0.0"),
    }


def test_compliance_rate_counts_closed_requirements_met(branch, party_group):
    # The same answers on PostgreSQL and SQLite (`activities.dialect`).
    assert metrics.CATALOGUE["compliance_rate"].available
    rates = metrics.compliance_rate([branch.pk], START, END)
    # Nothing was held: every closed requirement is missed.
    assert rates == {branch.pk: Decimal("0.0")}
    for month in (1, 2, 3):
        MeetingFactory(organization=branch, held_on=dt.date(2026, month, 8))
    more = metrics.compliance_rate([branch.pk], START, END)
    assert Decimal("0") < more[branch.pk] < Decimal("100")


def test_each_metric_is_one_query_whatever_the_branches(
    branch, other_branch, django_assert_max_num_queries
):
    ids = [branch.pk, other_branch.pk]
    for metric in metrics.CATALOGUE.values():
        if metric.key == "compliance_rate":
            continue  # three statements: see activities.compliance
        with django_assert_max_num_queries(1):
            metric.compute(ids, START, END)


def _opinion(community, owner, deadline, *, replied=None, state="replied", merged_into=None):
    from governance.models import Opinion

    return Opinion.objects.create(
        sub_district=community.sub_district,
        community=community,
        channel="visit",
        category=Opinion._meta.get_field("category").choices[0][0],
        title="路灯不亮",
        text="三号楼前路灯不亮",
        received_on=deadline - dt.timedelta(days=10),
        deadline=deadline,
        state=state,
        owner_organization=owner,
        replied_at=replied,
        merged_into=merged_into,
    )


def test_opinions_replied_on_time_counts_replies_by_the_local_deadline_day(
    branch, other_branch, communities
):
    ours, theirs = communities
    due = dt.date(2026, 2, 10)
    late_evening = timezone.make_aware(dt.datetime(2026, 2, 10, 23, 30))  # still the day itself
    _opinion(ours, branch, due, replied=late_evening)
    _opinion(ours, branch, due, replied=timezone.make_aware(dt.datetime(2026, 2, 11, 0, 10)))
    first = _opinion(ours, branch, due, state="in_progress")  # not replied at all
    _opinion(ours, branch, due, state="merged", merged_into=first)  # counted with `first`
    _opinion(ours, branch, dt.date(2026, 4, 2), replied=late_evening)  # deadline after the period
    _opinion(theirs, other_branch, due, replied=late_evening)

    assert metrics.opinions_replied_on_time([branch.pk, other_branch.pk], START, END) == {
        branch.pk: Decimal("33.3"),
        other_branch.pk: Decimal("100.0"),
    }
