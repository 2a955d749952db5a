"""The demo election: 天路社区党支部 (如意湖) re-elected its committee three weeks ago, the level
above approved it, and the new term runs five years (a community branch since 2018-07).
Idempotent: a branch with a recorded election is left as it is. Called by seed_demo after the
year of meetings (`activities.demo`), which skips a sub-district that already has meetings."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from activities.elections import rules
from activities.elections.models import Election
from activities.elections.services import ElectionInput, record_election
from activities.models import MeetingKind
from activities.services import entitled_to_vote, expected_attendees
from branches.models import Organization

SUB_DISTRICT = "如意湖办事处"
BRANCH = "天路社区党支部"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def seed() -> None:
    branch = Organization.objects.filter(
        sub_district__name=SUB_DISTRICT, name=BRANCH, status="active"
    ).first()
    if branch is None or Election.objects.filter(meeting__organization=branch).exists():
        return
    today = timezone.localdate()
    day = today - dt.timedelta(days=21)
    roster = expected_attendees(branch, day=day, kind=MeetingKind.ELECTION)
    voters = [m for m in roster if entitled_to_vote(m)]
    entitled = len(voters)
    seats = 5 if entitled >= 12 else 3
    # One voter on leave when more than four fifths are still present; the last one listed,
    # never a candidate.
    absent = voters[-1:] if (entitled - 1) * 5 > entitled * 4 else []
    present = entitled - len(absent)
    candidates = voters[: seats + 1]  # 差额: one more than the seats (20% for 5, 33% for 3)
    valid = present - 1
    votes = {m.pk: valid - i for i, m in enumerate(candidates[:seats])}
    votes[candidates[seats].pk] = min(seats * 2, entitled // 2)  # not more than half: not elected
    chosen, tied = rules.elected(votes, entitled=entitled, seats=seats)
    if (
        not rules.election_quorum_met(entitled=entitled, present=present)
        or len(chosen) < seats
        or tied
        or rules.ballot_problems(
            present=present,
            cast=present,
            valid=valid,
            invalid=1,
            seats=seats,
            votes=[*votes.values()],
        )
    ):
        return  # too few members for a believable election in this data set
    record_election(
        organization=branch,
        data=ElectionInput(
            held_at=_at(day, 9),
            topic="天路社区党支部换届选举党员大会",
            place="天路社区党群服务中心",
            attendance={
                m.pk: ("leave", "外出务工") if m in absent else ("present", "") for m in roster
            },
            seats=seats,
            candidates=votes,
            ballots_cast=present,
            ballots_valid=valid,
            ballots_invalid=1,
            secretary=candidates[0].pk,
            deputy=candidates[1].pk,
            first_meeting_on=day,
            approved_by="如意湖党工委",
            approved_on=day + dt.timedelta(days=7),
            approval_reference="如党工〔2026〕12号（演示）",
            main_points="听取和审议上届支部委员会工作报告，差额选举产生新一届支部委员会。",
        ),
        actor=None,
    )
