"""The steps of a branch's yearly appraisal, in the order of RULES.md: open the campaign,
self-assessments, mutual appraisal (online ballots in `services/ballots.py`, or the paper
tallies here), the committee's proposed grades, the general meeting's decision, and the follow-up
of a member graded 不合格. Each step is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from appraisal import rules
from appraisal.errors import AppraisalRefused
from appraisal.models import AppraisalSettings, Campaign, FollowUp, Grade, PaperTally, Participant
from branches.models import Organization, OrganizationKind
from members import extensions
from members.models import Member

GRADES = frozenset(Grade.values)


@transaction.atomic
def open_campaign(
    *,
    organization: Organization,
    year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    actor: User | None,
) -> Campaign:
    """Open the year's appraisal of a branch. Who takes part is fixed now, as the members stood
    on the first day of the window: full members are graded and vote (not under 留党察看),
    预备党员 take part with neither."""
    if organization.kind not in (OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH):
        raise AppraisalRefused(_("Only a branch runs a democratic appraisal."))
    if closes_on < opens_on:
        raise AppraisalRefused(_("Voting cannot close before it opens."), field="closes_on")
    if opens_on.year != year:
        raise AppraisalRefused(_("The window must open in the appraisal's year."), field="opens_on")
    members = (
        Member.objects.in_organization_on(organization.path, opens_on)
        .with_standing_on(opens_on)
        .values_list("pk", "status_on", "on_probation")
    )
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                organization=organization, year=year, opens_on=opens_on, closes_on=closes_on
            )
    except IntegrityError:
        raise AppraisalRefused(
            _("%(org)s already has an appraisal for %(year)d.")
            % {"org": organization.name, "year": year},
            field="year",
        ) from None
    Participant.objects.bulk_create(
        Participant(
            campaign=campaign,
            member_id=pk,
            is_graded=status == "full",
            can_vote=status == "full" and not probation,
        )
        for pk, status, probation in members
    )
    if not campaign.participants.exists():
        raise AppraisalRefused(_("The branch has no members on that day."), field="opens_on")
    record_audit(actor=actor, action="appraisal.opened", target=campaign, data={"year": year})
    return campaign


def _lock(campaign: Campaign) -> Campaign:
    """The campaign, locked: each step that changes its grades or tallies is serialised on it."""
    locked = Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    if locked.is_decided:
        raise AppraisalRefused(_("The general meeting has decided the grades of this appraisal."))
    return locked


@transaction.atomic
def record_self_assessment(
    *, participant: Participant, text: str, actor: User | None
) -> Participant:
    """A member's self-assessment (个人自评), typed in by the member or by the secretary."""
    _lock(participant.campaign)
    text = text.strip()
    if not text:
        raise AppraisalRefused(_("Write the self-assessment."), field="text")
    participant.self_assessment = text
    participant.save(update_fields=["self_assessment"])
    record_audit(
        actor=actor,
        action="appraisal.self_assessment",
        target=participant.campaign,
        data={"member_id": participant.member_id},
    )
    return participant


@transaction.atomic
def record_paper_tally(
    *,
    campaign: Campaign,
    ballots: int,
    counts: Mapping[int, Mapping[str, int]],
    actor: User | None,
) -> Campaign:
    """The counts of the paper ballots (by participant pk, then grade), replacing earlier ones.

    No participant can have more grades than there were ballots, and there cannot be more paper
    ballots than voters who had not voted online."""
    campaign = _lock(campaign)
    voters = campaign.participants.voters().count()
    online = campaign.turnout.count()
    if ballots < 0 or ballots > voters - online:
        raise AppraisalRefused(
            _("There can be at most %(n)d paper ballots: the voters who did not vote online.")
            % {"n": voters - online},
            field="ballots",
        )
    graded = set(campaign.participants.graded().values_list("pk", flat=True))
    rows = []
    for pk, by_grade in counts.items():
        if pk not in graded:
            raise AppraisalRefused(_("Only graded participants receive grades."))
        total = 0
        for grade, count in by_grade.items():
            if grade not in GRADES or count < 0:
                raise AppraisalRefused(_("A count must be a whole number, zero or more."))
            total += count
            if count:
                rows.append(
                    PaperTally(campaign=campaign, appraisee_id=pk, grade=grade, count=count)
                )
        if total > ballots:
            raise AppraisalRefused(
                _("A member has more grades (%(total)d) than there were ballots (%(ballots)d).")
                % {"total": total, "ballots": ballots},
                field="ballots",
            )
    campaign.paper_tallies.all().delete()
    PaperTally.objects.bulk_create(rows)
    campaign.paper_ballots = ballots
    campaign.save(update_fields=["paper_ballots"])
    record_audit(
        actor=actor, action="appraisal.paper_tally", target=campaign, data={"ballots": ballots}
    )
    return campaign


def _check_grades(campaign: Campaign, grades: Mapping[int, str]) -> dict[int, str]:
    """Every graded participant has a known grade, nobody else has one, and 优秀 stays within
    the sub-district's share of those graded."""
    graded = set(campaign.participants.graded().values_list("pk", flat=True))
    if set(grades) != graded:
        raise AppraisalRefused(_("Give every graded member one grade, and nobody else."))
    if any(grade not in GRADES for grade in grades.values()):
        raise AppraisalRefused(_("Unknown grade."))
    local = AppraisalSettings.for_sub_district(campaign.organization.sub_district_id)
    excellent = rules.count_excellent(grades.values())
    num, den = local.excellent_numerator, local.excellent_denominator
    if not rules.excellent_allowed(excellent, len(graded), num, den):
        raise AppraisalRefused(
            _(
                "At most %(cap)d of the %(graded)d members graded may be excellent "
                "(%(num)d/%(den)d); %(excellent)d were given."
            )
            % {
                "cap": rules.excellent_cap(len(graded), num, den),
                "graded": len(graded),
                "num": num,
                "den": den,
                "excellent": excellent,
            }
        )
    return dict(grades)


def _write_grades(campaign: Campaign, grades: Mapping[int, str], field: str) -> None:
    rows = list(campaign.participants.graded())
    for row in rows:
        setattr(row, field, grades[row.pk])
    Participant.objects.bulk_update(rows, [field])


@transaction.atomic
def propose_grades(
    *, campaign: Campaign, grades: Mapping[int, str], proposed_on: dt.date, actor: User | None
) -> Campaign:
    """The branch committee's proposed grades (支部委员会提出评定意见), within the 优秀 cap."""
    campaign = _lock(campaign)
    if proposed_on < campaign.opens_on or proposed_on > timezone.localdate():
        raise AppraisalRefused(
            _("The date must fall between the opening of the vote and today."), field="proposed_on"
        )
    checked = _check_grades(campaign, grades)
    _write_grades(campaign, checked, "proposed_grade")
    campaign.proposed_on = proposed_on
    campaign.save(update_fields=["proposed_on"])
    record_audit(actor=actor, action="appraisal.proposed", target=campaign)
    return campaign


@transaction.atomic
def decide_grades(
    *, campaign: Campaign, grades: Mapping[int, str], decided_on: dt.date, actor: User | None
) -> Campaign:
    """The general meeting's decision: the grades become final, and each member graded 不合格
    gets a follow-up with the sub-district's rectification deadline. Needs the committee's
    proposal first; after it nothing of the campaign changes."""
    campaign = _lock(campaign)
    if campaign.proposed_on is None:
        raise AppraisalRefused(_("The branch committee proposes the grades first."))
    if decided_on < campaign.proposed_on or decided_on > timezone.localdate():
        raise AppraisalRefused(
            _("The date must fall between the committee's proposal and today."),
            field="decided_on",
        )
    checked = _check_grades(campaign, grades)
    _write_grades(campaign, checked, "final_grade")
    campaign.decided_on = decided_on
    campaign.save(update_fields=["decided_on"])
    local = AppraisalSettings.for_sub_district(campaign.organization.sub_district_id)
    deadline = rules.add_months(decided_on, local.rectification_months)
    FollowUp.objects.bulk_create(
        FollowUp(participant_id=pk, deadline=deadline)
        for pk, grade in checked.items()
        if grade == Grade.UNQUALIFIED
    )
    record_audit(actor=actor, action="appraisal.decided", target=campaign)
    # The decided grade is a source of member points (their rule table says what it is worth).
    member_ids = Participant.objects.filter(pk__in=list(checked)).values_list(
        "member_id", flat=True
    )
    extensions.records_changed(member_ids=list(member_ids), days=[decided_on])
    return campaign


@transaction.atomic
def close_follow_up(
    *, follow_up: FollowUp, outcome: str, closed_on: dt.date, actor: User | None
) -> FollowUp:
    """The general meeting's decision at the end of a rectification period."""
    follow_up = (
        FollowUp.objects.select_for_update()
        .select_related("participant__campaign")
        .get(pk=follow_up.pk)
    )
    if follow_up.closed_on is not None:
        raise AppraisalRefused(_("This follow-up is already closed."))
    if not outcome.strip():
        raise AppraisalRefused(_("Write the outcome."), field="outcome")
    decided_on = follow_up.participant.campaign.decided_on
    if decided_on is None or closed_on < decided_on or closed_on > timezone.localdate():
        raise AppraisalRefused(
            _("The date must fall between the decision and today."), field="closed_on"
        )
    follow_up.outcome, follow_up.closed_on = outcome.strip(), closed_on
    follow_up.save(update_fields=["outcome", "closed_on"])
    record_audit(
        actor=actor,
        action="appraisal.follow_up_closed",
        target=follow_up.participant.campaign,
        data={"member_id": follow_up.participant.member_id},
    )
    return follow_up


def paper_ballots_total(campaign: Campaign) -> int:
    return campaign.paper_tallies.aggregate(n=Sum("count"))["n"] or 0
