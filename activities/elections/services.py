"""Recording an election (换届选举), once the level above has approved it.

One transaction: the meeting as held (its roster of the day and attendance, through
`activities.services.record_held_meeting`), the election's figures judged by the rules (差额,
more than four fifths present, ballots that add up, more than half of the entitled voters'
votes), then the new committee term with its positions (`committees.services.terms
.open_elected_term`, which ends the previous term), the election row and its candidates, and the
audit entry. A refused rule leaves nothing behind, not even the meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from activities.elections import rules
from activities.elections.models import Election, ElectionCandidate
from activities.models import AttendanceStatus, MeetingKind
from activities.services import MeetingRecord, MeetingRuleBroken, record_held_meeting
from branches.models import Organization, OrganizationKind
from committees.models import Position
from committees.services.terms import open_elected_term
from config import pagecache
from members.models import Member

# The organisations whose committee a members' meeting elects (a 党工委 is appointed).
ELECTED_KINDS = frozenset(
    {OrganizationKind.COMMITTEE, OrganizationKind.GENERAL_BRANCH, OrganizationKind.BRANCH}
)


class ElectionRefused(MeetingRuleBroken):
    """An election record the rules of 换届选举 do not allow."""


@dataclass(frozen=True)
class ElectionInput:
    """What the secretary records from the election's minutes and the approval."""

    held_at: dt.datetime
    attendance: Mapping[int, tuple[str, str]]  # member id -> (status, reason)
    seats: int
    candidates: Mapping[int, int]  # member id -> votes
    ballots_cast: int
    ballots_valid: int
    ballots_invalid: int
    secretary: int  # member id, among those elected
    first_meeting_on: dt.date
    approved_by: str
    approved_on: dt.date
    deputy: int | None = None
    approval_reference: str = ""
    topic: str = ""
    place: str = ""
    chair: Member | None = None
    note_taker: Member | None = None
    main_points: str = ""


BALLOT_MESSAGES = {
    "negative": lambda d: _("Ballot figures cannot be negative."),
    "cast_not_sum": lambda d: _(
        "Ballots cast (%(cast)d) must equal valid (%(valid)d) plus invalid (%(invalid)d)."
    )
    % d,
    "cast_over_present": lambda d: _(
        "More ballots cast (%(cast)d) than voters present (%(present)d)."
    )
    % d,
    "votes_over_valid": lambda d: _(
        "A candidate cannot receive more votes than there are valid ballots (%(valid)d)."
    )
    % d,
    "votes_over_marks": lambda d: _(
        "The votes add up to more than %(valid)d valid ballots can give with %(seats)d marks each."
    )
    % d,
}


@pagecache.writes_within_organization(lambda kwargs: kwargs["organization"])
@transaction.atomic
def record_election(
    *,
    organization: Organization,
    data: ElectionInput,
    actor: User | None,
    today: dt.date | None = None,
) -> Election:
    """Record an approved election and open the committee term it elected (see the module)."""
    today = today or timezone.localdate()
    if organization.kind not in ELECTED_KINDS:
        raise ElectionRefused(
            _("Only a grassroots party committee, a general branch or a branch elects a committee.")
        )
    if data.seats < 1:
        raise ElectionRefused(_("Give the number of seats to fill."), field="seats")
    if not data.approved_by.strip():
        raise ElectionRefused(
            _("Name the organisation above that approved the election."), field="approved_by"
        )
    meeting = record_held_meeting(
        organization=organization,
        kind=MeetingKind.ELECTION,
        topic=data.topic.strip() or _("Committee election"),
        record=MeetingRecord(
            attendance=data.attendance,
            starts_at=data.held_at,
            place=data.place,
            main_points=data.main_points,
        ),
        chair=data.chair,
        note_taker=data.note_taker,
        actor=actor,
        today=today,
    )
    held_on = meeting.held_on
    attendances = list(meeting.attendances.select_related("member"))
    voters = {a.member_id: a for a in attendances if a.entitled_to_vote}
    entitled = len(voters)
    present = sum(1 for a in voters.values() if a.status == AttendanceStatus.PRESENT)
    if not rules.election_quorum_met(entitled=entitled, present=present):
        raise ElectionRefused(
            _(
                "An election needs more than four fifths of the %(entitled)d voters entitled "
                "present; %(present)d were present. It cannot be recorded."
            )
            % {"entitled": entitled, "present": present},
            field="attendance",
        )
    strangers = [pk for pk in data.candidates if pk not in voters]
    if strangers:
        raise ElectionRefused(
            _(
                "A candidate must be a full member with voting rights on the election day, on "
                "the roster of the branch."
            ),
            field="candidates",
        )
    if not rules.enough_candidates(seats=data.seats, candidates=len(data.candidates)):
        raise ElectionRefused(
            _(
                "A competitive election needs at least 20%% more candidates than seats: "
                "%(candidates)d candidates for %(seats)d seats is not enough."
            )
            % {"candidates": len(data.candidates), "seats": data.seats},
            field="candidates",
        )
    figures = {
        "present": present,
        "cast": data.ballots_cast,
        "valid": data.ballots_valid,
        "invalid": data.ballots_invalid,
        "seats": data.seats,
    }
    problems = rules.ballot_problems(votes=list(data.candidates.values()), **figures)
    if problems:
        raise ElectionRefused(BALLOT_MESSAGES[problems[0]](figures), field="ballots_cast")
    chosen, tied = rules.elected(data.candidates, entitled=entitled, seats=data.seats)
    if tied:
        raise ElectionRefused(
            _("%(names)s are level on votes for the last seat: hold a further round first.")
            % {"names": "、".join(voters[pk].member_name for pk in tied)},
            field="candidates",
        )
    if not chosen:
        raise ElectionRefused(
            _(
                "No candidate received more than half of the %(entitled)d entitled voters' "
                "votes: nobody is elected."
            )
            % {"entitled": entitled},
            field="candidates",
        )
    if data.secretary not in chosen:
        raise ElectionRefused(_("The secretary must be one of those elected."), field="secretary")
    if data.deputy is not None and (data.deputy not in chosen or data.deputy == data.secretary):
        raise ElectionRefused(
            _("The deputy secretary must be another of those elected."), field="deputy"
        )
    if data.first_meeting_on < held_on:
        raise ElectionRefused(
            _("The committee's first meeting cannot come before the election."),
            field="first_meeting_on",
        )
    if data.approved_on < data.first_meeting_on:
        raise ElectionRefused(
            _("The approval cannot come before the committee's first meeting."),
            field="approved_on",
        )
    if data.approved_on > today:
        raise ElectionRefused(_("The date cannot be in the future."), field="approved_on")

    def position_of(pk: int) -> str:
        if pk == data.secretary:
            return Position.SECRETARY
        if pk == data.deputy:
            return Position.DEPUTY_SECRETARY
        return Position.MEMBER

    term = open_elected_term(
        organization=organization,
        started_on=held_on,
        positions=[(voters[pk].member, position_of(pk)) for pk in chosen],
        actor=actor,
        note=_("Elected on %(day)s") % {"day": held_on.isoformat()},
    )
    names = "、".join(voters[pk].member_name for pk in chosen)
    # The meeting's own quorum stays empty (a kind the general rule does not judge): the
    # election's four fifths are on the election row.
    meeting.resolutions = _("Elected to the committee: %(names)s.") % {"names": names}
    meeting.save(update_fields=["resolutions", "updated_at"])
    election = Election.objects.create(
        meeting=meeting,
        term=term,
        seats=data.seats,
        entitled=entitled,
        present=present,
        ballots_cast=data.ballots_cast,
        ballots_valid=data.ballots_valid,
        ballots_invalid=data.ballots_invalid,
        first_meeting_on=data.first_meeting_on,
        approved_by=data.approved_by.strip()[:100],
        approved_on=data.approved_on,
        approval_reference=data.approval_reference.strip()[:100],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    ElectionCandidate.objects.bulk_create(
        [
            ElectionCandidate(
                election=election,
                member_id=pk,
                member_name=voters[pk].member_name,
                votes=votes,
                elected=pk in chosen,
                position=position_of(pk) if pk in chosen else "",
            )
            for pk, votes in data.candidates.items()
        ]
    )
    record_audit(
        actor=actor,
        action="election.recorded",
        target=meeting,
        data={"term_id": term.pk, "elected": chosen, "entitled": entitled, "present": present},
    )
    return election
