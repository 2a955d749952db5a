from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.db import connection

from accounts.errors import DomainError
from appraisal.errors import AlreadyVoted, AppraisalRefused, OutsideWindow
from appraisal.models import Grade, Turnout, Vote
from appraisal.services import campaigns
from appraisal.services.ballots import cast_ballot, has_voted, tally, turnout
from tests.parallel import run_together

pytestmark = pytest.mark.django_db


def ballot(campaign, voter, grade=Grade.QUALIFIED):
    return {p.member_id: grade for p in campaign.participants.graded().exclude(member=voter)}


def test_a_ballot_is_counted_and_the_voter_only_marked_as_having_voted(campaign, full_members):
    voter = full_members[0]
    cast_ballot(campaign, voter, ballot(campaign, voter, Grade.EXCELLENT))
    assert has_voted(campaign, voter)
    figures = turnout(campaign)
    assert (figures.entitled, figures.online, figures.voted) == (6, 1, 1)
    assert Vote.objects.filter(campaign=campaign).count() == 5
    counted = tally(campaign)
    assert all(
        counted[p.pk] == {Grade.EXCELLENT: 1}
        for p in campaign.participants.graded().exclude(member=voter)
    )


def test_a_second_ballot_by_the_same_voter_is_refused(campaign, full_members):
    voter = full_members[0]
    cast_ballot(campaign, voter, ballot(campaign, voter))
    with pytest.raises(AlreadyVoted):
        cast_ballot(campaign, voter, ballot(campaign, voter))
    assert Vote.objects.count() == 5
    assert Turnout.objects.count() == 1


@pytest.mark.parametrize("today", [dt.date(2026, 11, 30), dt.date(2026, 12, 21)])
def test_a_ballot_outside_the_window_is_refused(campaign, full_members, clock, today):
    clock.set(today)
    with pytest.raises(OutsideWindow):
        cast_ballot(campaign, full_members[0], ballot(campaign, full_members[0]))
    assert not Vote.objects.exists() and not Turnout.objects.exists()


def test_window_days_themselves_are_open(campaign, full_members, clock):
    clock.set(dt.date(2026, 12, 1))
    cast_ballot(campaign, full_members[0], ballot(campaign, full_members[0]))
    clock.set(dt.date(2026, 12, 20))
    cast_ballot(campaign, full_members[1], ballot(campaign, full_members[1]))
    assert Turnout.objects.count() == 2


def test_probationary_member_cannot_vote(campaign, probationary):
    with pytest.raises(AppraisalRefused):
        cast_ballot(campaign, probationary, ballot(campaign, probationary))
    assert not Turnout.objects.exists()


def test_an_incomplete_or_self_grading_ballot_is_refused(campaign, full_members):
    voter = full_members[0]
    partial_ballot = ballot(campaign, voter)
    partial_ballot.popitem()
    with pytest.raises(AppraisalRefused):
        cast_ballot(campaign, voter, partial_ballot)
    with_self = {**ballot(campaign, voter), voter.pk: Grade.EXCELLENT}
    with pytest.raises(AppraisalRefused):
        cast_ballot(campaign, voter, with_self)
    bad = dict.fromkeys(ballot(campaign, voter), "perfect")
    with pytest.raises(AppraisalRefused):
        cast_ballot(campaign, voter, bad)
    assert not Turnout.objects.exists() and not Vote.objects.exists()


def test_no_ballot_after_the_decision(campaign, full_members, staff):
    grades = {p.pk: Grade.QUALIFIED for p in campaign.participants.graded()}
    today = dt.date(2026, 12, 10)
    campaigns.propose_grades(campaign=campaign, grades=grades, proposed_on=today, actor=staff)
    campaigns.decide_grades(campaign=campaign, grades=grades, decided_on=today, actor=staff)
    with pytest.raises(OutsideWindow):
        cast_ballot(campaign, full_members[0], ballot(campaign, full_members[0]))


def test_paper_tallies_and_online_ballots_add_up(campaign, full_members, staff):
    voter = full_members[0]
    cast_ballot(campaign, voter, ballot(campaign, voter, Grade.EXCELLENT))
    target = campaign.participants.get(member=full_members[1])
    with pytest.raises(AppraisalRefused):  # 6 voters, 1 voted online: at most 5 on paper
        campaigns.record_paper_tally(campaign=campaign, ballots=6, counts={}, actor=staff)
    campaigns.record_paper_tally(
        campaign=campaign, ballots=5, counts={target.pk: {Grade.EXCELLENT: 4}}, actor=staff
    )
    assert tally(campaign)[target.pk] == {Grade.EXCELLENT: 5}
    assert turnout(campaign).voted == 6
    # Once the paper ballots are counted, no online ballot can be added to them.
    with pytest.raises(OutsideWindow):
        cast_ballot(campaign, full_members[2], ballot(campaign, full_members[2]))
    assert Turnout.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_by_the_same_voter_count_once(branch, full_members, probationary, staff):
    if connection.vendor != "postgresql":
        pytest.skip("the unique turnout row under real concurrency needs PostgreSQL")
    campaign = campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )
    voter = full_members[0]
    calls = [partial(cast_ballot, campaign, voter, ballot(campaign, voter)) for _ in range(4)]

    outcomes = run_together(calls)

    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == 3
    assert all(isinstance(o, AlreadyVoted) and isinstance(o, DomainError) for o in refusals)
    assert Turnout.objects.filter(campaign=campaign).count() == 1
    assert Vote.objects.filter(campaign=campaign).count() == 5
