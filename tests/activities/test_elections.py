"""Recording an election (换届选举): 差额 by at least 20%, more than four fifths of the entitled
present, ballots that add up, more than half of the entitled voters' votes, the approval, and
the committee term it opens. Each rule at its boundary; a refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.errors import DomainError
from accounts.models import AuditEntry
from activities.elections import rules
from activities.elections.models import Election
from activities.elections.services import ElectionInput, record_election
from activities.models import Meeting
from committees.models import CommitteePosition, CommitteeTerm
from committees.services.terms import start_committee_term
from members.sanctions.services import record_sanction
from tests.activities.factories import at
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


# --- the pure rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "candidates", "ok"),
    [(5, 6, True), (5, 5, False), (10, 11, False), (10, 12, True), (3, 4, True), (1, 2, True)],
)
def test_candidates_must_exceed_the_seats_by_at_least_a_fifth(seats, candidates, ok):
    assert rules.enough_candidates(seats=seats, candidates=candidates) is ok


@pytest.mark.parametrize(("present", "ok"), [(8, False), (9, True), (10, True)])
def test_more_than_four_fifths_must_be_present(present, ok):
    assert rules.election_quorum_met(entitled=10, present=present) is ok


def test_exactly_half_of_the_entitled_votes_does_not_elect():
    chosen, tied = rules.elected({"a": 6, "b": 5, "c": 9}, entitled=10, seats=3)
    assert chosen == ["c", "a"] and tied == []


def test_no_more_are_elected_than_the_seats_and_a_tie_for_the_last_seat_is_named():
    assert rules.elected({"a": 9, "b": 8, "c": 7}, entitled=10, seats=2) == (["a", "b"], [])
    assert rules.elected({"a": 9, "b": 7, "c": 7}, entitled=10, seats=2) == (["a"], ["b", "c"])


def test_ballot_figures_must_add_up():
    ok = {"present": 9, "cast": 9, "valid": 8, "invalid": 1, "seats": 2}
    assert rules.ballot_problems(votes=[8, 8], **ok) == []
    assert rules.ballot_problems(votes=[8], **{**ok, "invalid": 0}) == ["cast_not_sum"]
    assert "cast_over_present" in rules.ballot_problems(votes=[1], **{**ok, "cast": 10, "valid": 9})
    assert rules.ballot_problems(votes=[9], **ok) == ["votes_over_valid"]
    assert rules.ballot_problems(votes=[8, 8, 1], **ok) == ["votes_over_marks"]


# --- the service ----------------------------------------------------------------------------------


@pytest.fixture
def day(clock):
    return clock.today - dt.timedelta(days=10)


@pytest.fixture
def voters(branch):
    return [MemberFactory(organization=branch, full_name=f"党员{i:02d}") for i in range(10)]


def attendance(members, absent=()):
    return {m.pk: ("leave", "出差") if m in absent else ("present", "") for m in members}


def election_input(day, members, *, absent=(), votes=(9, 8, 7, 6, 6, 4), seats=5, **overrides):
    values = {
        "held_at": at(day, 9),
        "attendance": attendance(members, absent),
        "seats": seats,
        "candidates": {m.pk: n for m, n in zip(members, votes, strict=False)},
        "ballots_cast": 10 - len(absent),
        "ballots_valid": 10 - len(absent),
        "ballots_invalid": 0,
        "secretary": members[0].pk,
        "deputy": members[1].pk,
        "first_meeting_on": day,
        "approved_by": "如意湖党工委",
        "approved_on": day + dt.timedelta(days=3),
        "approval_reference": "如党工〔2026〕5号",
    }
    values.update(overrides)
    return ElectionInput(**values)


def assert_nothing_written():
    assert not Election.objects.exists()
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action="election.recorded").exists()


def test_an_approved_election_opens_the_new_term_and_ends_the_old_one(branch, voters, day, staff):
    old = start_committee_term(organization=branch, started_on=dt.date(2021, 3, 1), actor=None)
    election = record_election(
        organization=branch, data=election_input(day, voters, absent=voters[9:]), actor=staff
    )
    assert (election.entitled, election.present, election.seats) == (10, 9, 5)
    term = election.term
    assert term.started_on == day and term.ended_on is None
    assert CommitteeTerm.objects.get(pk=old.pk).ended_on == day
    held = dict(CommitteePosition.objects.filter(term=term).values_list("member_id", "position"))
    assert held == {
        voters[0].pk: "secretary",
        voters[1].pk: "deputy_secretary",
        voters[2].pk: "member",
        voters[3].pk: "member",
        voters[4].pk: "member",
    }
    assert list(election.candidates.filter(elected=False).values_list("member_id", flat=True)) == [
        voters[5].pk
    ]
    assert election.meeting.kind == "election" and election.meeting.status == "held"
    entry = AuditEntry.objects.get(action="election.recorded")
    assert entry.data["present"] == 9 and len(entry.data["elected"]) == 5


def test_the_term_length_comes_from_the_rule_in_force_on_the_election_day(branch, voters, day):
    election = record_election(organization=branch, data=election_input(day, voters), actor=None)
    # A community branch since 2018-07: five years.
    assert election.term.planned_end_on == day.replace(year=day.year + 5)


def test_exactly_four_fifths_present_is_refused(branch, voters, day):
    data = election_input(day, voters, absent=voters[8:], votes=(8, 8, 7, 6, 6, 4))
    with pytest.raises(DomainError, match="五分之四") as refused:
        record_election(organization=branch, data=data, actor=None)
    assert refused.value.field == "attendance"
    assert_nothing_written()


def test_candidates_exactly_as_many_as_the_seats_are_refused(branch, voters, day):
    data = election_input(day, voters, votes=(9, 8, 7, 6, 6))
    with pytest.raises(DomainError, match="20%") as refused:
        record_election(organization=branch, data=data, actor=None)
    assert refused.value.field == "candidates"
    assert_nothing_written()


def test_exactly_half_of_the_entitled_votes_is_not_elected(branch, voters, day):
    # 10 entitled, 9 present: 5 votes is half of the entitled (not of those present).
    data = election_input(day, voters, absent=voters[9:], votes=(9, 8, 7, 6, 5, 5))
    election = record_election(organization=branch, data=data, actor=None)
    assert sorted(election.candidates.filter(elected=True).values_list("votes", flat=True)) == [
        6,
        7,
        8,
        9,
    ]
    assert election.term.positions.count() == 4


def test_a_member_under_probation_is_not_among_the_entitled_nor_a_candidate(branch, voters, day):
    on_probation = MemberFactory(organization=branch, full_name="受处分党员")
    record_sanction(
        member=on_probation,
        kind="probation",
        started_on=day - dt.timedelta(days=30),
        probation_years=1,
        decided_by="街道纪工委",
        reason="违反组织纪律",
        actor=None,
    )
    data = election_input(day, voters)
    data = ElectionInput(**{**data.__dict__, "attendance": attendance([*voters, on_probation])})
    assert record_election(organization=branch, data=data, actor=None).entitled == 10
    Election.objects.all().delete()
    later = day + dt.timedelta(days=1)
    data = election_input(later, voters, votes=(9, 8, 7, 6, 6))
    data = ElectionInput(
        **{
            **data.__dict__,
            "attendance": attendance([*voters, on_probation]),
            "candidates": {**data.candidates, on_probation.pk: 3},
        }
    )
    with pytest.raises(DomainError, match="表决权") as refused:
        record_election(organization=branch, data=data, actor=None)
    assert refused.value.field == "candidates"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ballots_valid": 9}, "ballots_cast"),
        ({"ballots_cast": 11, "ballots_valid": 11}, "ballots_cast"),
        ({"approved_on": "tomorrow"}, "approved_on"),
        ({"first_meeting_on": "before"}, "first_meeting_on"),
        ({"approved_by": " "}, "approved_by"),
        ({"secretary": "loser"}, "secretary"),
        ({"deputy": "secretary"}, "deputy"),
        ({"seats": 0}, "seats"),
    ],
)
def test_inconsistent_records_are_refused_and_nothing_is_written(
    branch, voters, day, clock, overrides, field
):
    values = dict(overrides)
    if values.get("approved_on") == "tomorrow":
        values["approved_on"] = clock.today + dt.timedelta(days=1)
    if values.get("first_meeting_on") == "before":
        values["first_meeting_on"] = day - dt.timedelta(days=1)
    if values.get("secretary") == "loser":
        values["secretary"] = voters[5].pk
    if values.get("deputy") == "secretary":
        values["deputy"] = voters[0].pk
    with pytest.raises(DomainError) as refused:
        record_election(organization=branch, data=election_input(day, voters, **values), actor=None)
    assert refused.value.field == field
    assert_nothing_written()
    assert not CommitteeTerm.objects.exists()


def test_an_election_meeting_is_not_rerecorded_through_the_meeting_form(branch, voters, day):
    from activities.services import MeetingRecord, record_meeting

    election = record_election(organization=branch, data=election_input(day, voters), actor=None)
    with pytest.raises(DomainError, match="换届选举"):
        record_meeting(
            meeting=election.meeting,
            record=MeetingRecord(attendance=attendance(voters, absent=voters[:5])),
            actor=None,
        )
    assert election.meeting.attendances.filter(status="present").count() == 10


def test_a_party_working_committee_is_appointed_not_elected(work_committee, voters, day):
    with pytest.raises(DomainError, match="党支部"):
        record_election(organization=work_committee, data=election_input(day, voters), actor=None)
    assert_nothing_written()
