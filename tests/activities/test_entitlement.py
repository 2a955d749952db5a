"""Who is entitled, on the day (支部条例 arts. 11–13, RULES.md): the roster of a meeting is the
membership of its own day, a 支委会's roster is the committee in office that day, and a member
under 留党察看 attends without a vote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from activities.models import Attendance, MeetingKind
from activities.services import (
    MeetingRecord,
    MeetingRuleBroken,
    VoteInput,
    expected_attendees,
    record_held_meeting,
)
from committees.models import CommitteeTerm
from committees.services.terms import appoint_position, start_committee_term
from members.models import MembershipState
from members.sanctions.services import record_sanction
from members.transfers import accept_transfer, issue_transfer
from tests.activities.factories import at
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def record(organization, actor, day, attendance, kind=MeetingKind.GENERAL_MEETING, votes=()):
    return record_held_meeting(
        organization=organization,
        kind=kind,
        topic="会议",
        record=MeetingRecord(
            attendance=attendance, topic="会议", starts_at=at(day), votes=list(votes)
        ),
        actor=actor,
    )


def everyone(members, *, absent=()):
    return {m.pk: ("leave", "出差") if m in absent else ("present", "") for m in members}


def probation(member, started_on, years=1):
    return record_sanction(
        member=member,
        kind="probation",
        started_on=started_on,
        probation_years=years,
        decided_by="街道纪工委",
        reason="违反组织纪律",
        actor=None,
    )


# --- the roster is the membership of the meeting's day ------------------------------------------


def test_a_member_joining_the_day_after_the_meeting_is_not_on_its_roster(branch, clock):
    day = clock.today - dt.timedelta(days=10)
    before = MemberFactory(organization=branch, joined_on=day, confirmed_on=None, status="full")
    after = MemberFactory(
        organization=branch, joined_on=day + dt.timedelta(days=1), confirmed_on=None
    )
    roster = expected_attendees(branch, day=day)
    assert before in roster and after not in roster
    assert after in expected_attendees(branch, day=day + dt.timedelta(days=1))


def test_a_member_who_left_the_day_before_is_not_on_the_roster_one_leaving_the_day_after_is(
    branch, clock
):
    day = clock.today - dt.timedelta(days=10)
    left_before = MemberFactory(
        organization=branch, state=MembershipState.LEFT, state_changed_on=day - dt.timedelta(1)
    )
    left_after = MemberFactory(
        organization=branch, state=MembershipState.DECEASED, state_changed_on=day + dt.timedelta(1)
    )
    roster = expected_attendees(branch, day=day)
    assert left_after in roster
    assert left_before not in roster


def test_recording_refuses_a_member_who_joined_after_the_meeting(branch, secretary, clock):
    day = clock.today - dt.timedelta(days=5)
    there = [MemberFactory(organization=branch) for _ in range(3)]
    newcomer = MemberFactory(organization=branch, joined_on=clock.today, confirmed_on=None)
    with pytest.raises(MeetingRuleBroken) as refused:
        record(branch, secretary, day, everyone([*there, newcomer]))
    assert refused.value.field == "attendance"
    meeting = record(branch, secretary, day, everyone(there))
    assert set(meeting.attendances.values_list("member_id", flat=True)) == {m.pk for m in there}


def test_a_member_moved_to_another_branch_since_is_on_the_roster_of_the_old_branchs_meeting(
    branch, other_branch, staff, clock
):
    day = clock.today - dt.timedelta(days=5)
    mover = MemberFactory(organization=branch)
    transfer = issue_transfer(
        actor=staff,
        member=mover,
        kind="internal",
        issued_on=clock.today,
        to_organization=other_branch,
    )
    accept_transfer(actor=staff, transfer=transfer)
    mover.refresh_from_db()
    assert mover.organization == other_branch
    assert mover in expected_attendees(branch, day=day)
    assert mover not in expected_attendees(other_branch, day=day)
    assert mover in expected_attendees(other_branch, day=clock.today + dt.timedelta(days=1))


def test_a_party_groups_roster_is_its_members_on_the_day(branch, party_group, clock):
    day = clock.today - dt.timedelta(days=5)
    member = MemberFactory(organization=branch, party_group=party_group)
    later = MemberFactory(
        organization=branch, party_group=party_group, joined_on=clock.today, confirmed_on=None
    )
    MemberFactory(organization=branch)  # in the branch, not in the group
    roster = expected_attendees(party_group, kind=MeetingKind.GROUP_MEETING, day=day)
    assert roster == [member]
    assert later not in roster


# --- quorum of the general meeting: exactly half is not enough --------------------------------


@pytest.mark.parametrize(("present", "quorate"), [(2, False), (3, True)])
def test_a_general_meeting_is_quorate_with_more_than_half_present(
    branch, secretary, clock, present, quorate
):
    day = clock.today - dt.timedelta(days=3)
    members = [MemberFactory(organization=branch) for _ in range(4)]
    meeting = record(
        branch,
        secretary,
        day,
        everyone(members, absent=members[present:]),
        votes=[VoteInput("决议", "hands", present, 0, 0)],
    )
    assert meeting.quorum_met is quorate
    assert meeting.votes.get().quorum_met is quorate


# --- 留党察看: attends, does not vote, not counted among those entitled -----------------------


def test_a_member_under_probation_on_the_day_attends_without_a_vote(branch, secretary, clock):
    day = clock.today - dt.timedelta(days=3)
    members = [MemberFactory(organization=branch) for _ in range(4)]
    probation(members[0], started_on=day)  # begins on the meeting's day
    meeting = record(
        branch,
        secretary,
        day,
        everyone(members, absent=members[3:]),
        votes=[VoteInput("决议", "hands", 2, 0, 0)],
    )
    entitled = dict(meeting.attendances.values_list("member_id", "entitled_to_vote"))
    assert entitled[members[0].pk] is False
    assert sum(entitled.values()) == 3
    vote = meeting.votes.get()
    # 3 entitled, 2 of them present (the one under probation does not count): quorate.
    assert (vote.entitled, vote.present_entitled) == (3, 2)
    assert vote.quorum_met and vote.passed


def test_a_probation_that_ended_the_day_before_leaves_the_vote_restored(branch, secretary, clock):
    day = clock.today
    member = MemberFactory(organization=branch)
    sanction = probation(member, started_on=dt.date(day.year - 1, day.month, 1))
    # The period ends the day before the anniversary: pick the meeting the day after it ends.
    meeting_day = sanction.ended_on + dt.timedelta(days=1)
    assert meeting_day <= day
    roster = expected_attendees(branch, day=meeting_day)
    assert roster[0].on_probation is False
    on_last_day = expected_attendees(branch, day=sanction.ended_on)
    assert on_last_day[0].on_probation is True


def test_a_probationary_member_on_the_day_does_not_vote_though_confirmed_since(
    branch, secretary, clock
):
    day = clock.today - dt.timedelta(days=3)
    member = MemberFactory(organization=branch, confirmed_on=clock.today, status="full")
    meeting = record(branch, secretary, day, everyone([member]))
    assert Attendance.objects.get(meeting=meeting).entitled_to_vote is False


# --- the committee meeting: the committee in office on the day --------------------------------


@pytest.fixture
def committee(branch, clock):
    """A committee of four elected two years ago; two more members are not on it."""
    elected = clock.today - dt.timedelta(days=730)
    term = start_committee_term(organization=branch, started_on=elected, actor=None)
    members = [MemberFactory(organization=branch) for _ in range(4)]
    for member, position in zip(
        members, ["secretary", "deputy_secretary", "organisation", "publicity"], strict=True
    ):
        appoint_position(
            term=term, member=member, position=position, started_on=elected, actor=None
        )
    others = [MemberFactory(organization=branch) for _ in range(2)]
    return term, members, others


def test_a_committee_meetings_roster_is_the_committee_not_the_branch(branch, committee, clock):
    _term, members, others = committee
    roster = expected_attendees(
        branch, kind=MeetingKind.COMMITTEE_MEETING, day=clock.today - dt.timedelta(days=1)
    )
    assert set(roster) == set(members)
    assert not set(others) & set(roster)


@pytest.mark.parametrize(("present", "quorate"), [(2, False), (3, True)])
def test_a_committee_meeting_is_quorate_with_more_than_half_of_the_committee(
    branch, committee, secretary, clock, present, quorate
):
    _term, members, _others = committee
    meeting = record(
        branch,
        secretary,
        clock.today - dt.timedelta(days=1),
        everyone(members, absent=members[present:]),
        kind=MeetingKind.COMMITTEE_MEETING,
    )
    assert meeting.quorum_met is quorate
    assert meeting.attendances.count() == 4


def test_a_past_committee_meeting_has_the_committee_of_its_own_term(branch, committee, clock):
    term, members, others = committee
    changed = clock.today - dt.timedelta(days=30)
    CommitteeTerm.objects.filter(pk=term.pk).update(ended_on=changed - dt.timedelta(days=1))
    new_term = start_committee_term(organization=branch, started_on=changed, actor=None)
    for member, position in zip(others, ["secretary", "deputy_secretary"], strict=True):
        appoint_position(
            term=new_term, member=member, position=position, started_on=changed, actor=None
        )
    before = expected_attendees(
        branch, kind=MeetingKind.COMMITTEE_MEETING, day=changed - dt.timedelta(days=1)
    )
    after = expected_attendees(branch, kind=MeetingKind.COMMITTEE_MEETING, day=changed)
    assert set(before) == set(members)
    assert set(after) == set(others)


def test_a_committee_meeting_cannot_be_recorded_where_there_was_no_committee(
    branch, secretary, clock
):
    members = [MemberFactory(organization=branch) for _ in range(3)]
    with pytest.raises(MeetingRuleBroken) as refused:
        record(
            branch,
            secretary,
            clock.today - dt.timedelta(days=1),
            everyone(members),
            kind=MeetingKind.COMMITTEE_MEETING,
        )
    assert refused.value.field == "starts_at"
    assert branch.name in str(refused.value.message)
    assert not branch.meetings.exists()


# --- the pages: the roster shown is the one of the kind and day asked ---------------------------


def test_the_record_held_page_shows_the_committee_of_the_day_asked(
    clients, branch, committee, clock
):
    _term, members, others = committee
    url = reverse("staff:meeting-record-held", args=[branch.pk])
    day = (clock.today - dt.timedelta(days=1)).isoformat()
    response = clients["secretary"].get(url, {"kind": "committee_meeting", "on": day})
    assert response.status_code == 200
    shown = {m.pk for m in response.context["form"].roster}
    assert shown == {m.pk for m in members}
    response = clients["secretary"].get(url, {"kind": "general_meeting", "on": day})
    assert {m.pk for m in response.context["form"].roster} == {m.pk for m in [*members, *others]}
    # A date that is not one falls back to today, never to an error page.
    assert clients["secretary"].get(url, {"kind": "x", "on": "<script>"}).status_code == 200


def test_the_record_held_page_records_a_committee_meeting_with_the_committee(
    clients, branch, committee, clock
):
    _term, members, _others = committee
    url = reverse("staff:meeting-record-held", args=[branch.pk])
    data = {
        "kind": "committee_meeting",
        "topic": "研究月度工作",
        "starts_at": f"{clock.today - dt.timedelta(days=1)}T15:00",
        **{f"att_{m.pk}": "present" for m in members[:2]},
        **{f"att_{m.pk}": "leave" for m in members[2:]},
        **{f"reason_{m.pk}": "出差" for m in members[2:]},
    }
    response = clients["secretary"].post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    meeting = branch.meetings.get()
    assert meeting.attendances.count() == 4
    assert meeting.quorum_met is False  # 2 of 4: exactly half is not enough
    detail = clients["secretary"].get(reverse("staff:meeting-detail", args=[meeting.pk]))
    assert 'data-testid="meeting-quorum"' in detail.content.decode()
