"""Online mutual appraisal (党员互评): a member's secret ballot.

`cast_ballot` is what a member's own page calls (member accounts, app `selfservice`): it writes
the voter's `Turnout` row and the grades as `Vote` rows with no voter, in one transaction. The
unique turnout row is the guard against a second ballot, so two requests at once cannot both
count: the second waits on the first's insert and fails on the constraint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from appraisal.errors import AlreadyVoted, AppraisalRefused, OutsideWindow
from appraisal.models import Campaign, Grade, Turnout, Vote
from members.models import Member

GRADES = frozenset(Grade.values)


@transaction.atomic
def cast_ballot(
    campaign: Campaign,
    voter_member: Member,
    grades: Mapping[int, str],
    *,
    actor: User | None = None,
) -> None:
    """Record `voter_member`'s ballot: `grades` maps the member pk of every other graded
    participant to a grade. Refused outside the window, after the decision, for a member who
    does not vote in this campaign, for an incomplete ballot, for a second ballot, and once the
    paper ballots are counted."""
    # Locked (FOR NO KEY UPDATE) against the decision and the paper count, which lock the
    # campaign FOR UPDATE: no ballot lands after the grades are decided or the paper counted.
    campaign = Campaign.objects.select_for_update(no_key=True).get(pk=campaign.pk)
    today = timezone.localdate()
    if campaign.is_decided or not campaign.opens_on <= today <= campaign.closes_on:
        raise OutsideWindow(
            _("Voting is open from %(opens)s to %(closes)s.")
            % {"opens": campaign.opens_on.isoformat(), "closes": campaign.closes_on.isoformat()}
        )
    if campaign.paper_ballots is not None:
        # The paper ballots counted were those of the members who had not voted online; a
        # ballot now could come from one of them a second time.
        raise OutsideWindow(_("The branch has counted its paper ballots: online voting is closed."))
    if not campaign.participants.voters().filter(member=voter_member).exists():
        raise AppraisalRefused(_("You do not vote in this appraisal."))
    others = dict(
        campaign.participants.graded().exclude(member=voter_member).values_list("member_id", "pk")
    )
    if set(grades) != set(others):
        raise AppraisalRefused(_("Grade every other graded member once, and only them."))
    if any(grade not in GRADES for grade in grades.values()):
        raise AppraisalRefused(_("Unknown grade."))
    try:
        with transaction.atomic():
            Turnout.objects.create(campaign=campaign, voter=voter_member)
    except IntegrityError:
        raise AlreadyVoted(_("You have already voted in this appraisal.")) from None
    # Shuffled by their random keys on insert: no order ties the rows to each other either.
    Vote.objects.bulk_create(
        sorted(
            (
                Vote(campaign=campaign, appraisee_id=others[member_pk], grade=grade)
                for member_pk, grade in grades.items()
            ),
            key=lambda vote: vote.id,
        )
    )
    record_audit(actor=actor, action="appraisal.ballot_cast", target=campaign)


@dataclass(frozen=True)
class TurnoutFigures:
    entitled: int
    online: int
    paper: int

    @property
    def voted(self) -> int:
        return self.online + self.paper


def turnout(campaign: Campaign) -> TurnoutFigures:
    """How many may vote, how many voted online and on paper: never who voted what."""
    paper = Campaign.objects.filter(pk=campaign.pk).values_list("paper_ballots", flat=True)
    return TurnoutFigures(
        entitled=campaign.participants.voters().count(),
        online=campaign.turnout.count(),
        paper=paper.first() or 0,
    )


def has_voted(campaign: Campaign, member: Member) -> bool:
    return Turnout.objects.filter(campaign=campaign, voter=member).exists()


def tally(campaign: Campaign) -> dict[int, dict[str, int]]:
    """Grades received per participant pk, online votes and paper counts together."""
    result: dict[int, dict[str, int]] = {}
    for pk, grade, n in (
        Vote.objects.filter(campaign=campaign)
        .values_list("appraisee_id", "grade")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result.setdefault(pk, {}).setdefault(grade, 0)
        result[pk][grade] += n
    for pk, grade, n in (
        campaign.paper_tallies.values_list("appraisee_id", "grade")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        result.setdefault(pk, {}).setdefault(grade, 0)
        result[pk][grade] += n
    return result
