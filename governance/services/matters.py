"""Writes of community matters (四议两公开 / 一征三议两公开): open a matter in its community's
procedure, record each step in order (none skipped), the decision's vote (quorum and majority),
the link to the 支部党员大会, the consultation's responses and the publications."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError
from accounts.models import User
from accounts.services import record_audit
from branches.models import Community
from governance import rules
from governance.models import (
    CommunityProcedure,
    Consultation,
    ConsultationResponse,
    Matter,
    MatterStatus,
    MatterStep,
    Procedure,
    Publication,
    StepKind,
)
from governance.services.opinions import settings_for


class MatterRuleBroken(DomainError):
    pass


class AlreadyResponded(Conflict):
    pass


def procedure_of(community: Community) -> str:
    row = CommunityProcedure.objects.filter(community=community).first()
    return row.procedure if row is not None else Procedure.FOUR_TWO


@transaction.atomic
def open_matter(
    *, community: Community, title: str, description: str = "", actor: User | None
) -> Matter:
    if not title.strip():
        raise MatterRuleBroken(_("Give the matter a title."), field="title")
    matter = Matter.objects.create(
        community=community,
        title=title.strip(),
        description=description.strip(),
        procedure=procedure_of(community),
        created_by=actor,
    )
    record_audit(actor=actor, action="governance.matter_opened", target=matter)
    return matter


def next_step_of(matter: Matter) -> str | None:
    done = set(matter.steps.values_list("kind", flat=True))
    return rules.next_step(matter.procedure, done)


@transaction.atomic
def open_consultation(
    *, matter: Matter, question: str, opens_on: dt.date, closes_on: dt.date, actor: User | None
) -> Consultation:
    if matter.procedure != Procedure.SOLICIT_THREE_TWO:
        raise MatterRuleBroken(_("Only a matter under 一征三议两公开 starts with a consultation."))
    if closes_on < opens_on:
        raise MatterRuleBroken(_("The consultation closes before it opens."), field="closes_on")
    if not question.strip():
        raise MatterRuleBroken(_("Ask the residents a question."), field="question")
    if Consultation.objects.filter(matter=matter).exists():
        raise Conflict(_("This matter already has a consultation."))
    consultation = Consultation.objects.create(
        matter=matter, question=question.strip(), opens_on=opens_on, closes_on=closes_on
    )
    record_audit(actor=actor, action="governance.consultation_opened", target=matter)
    return consultation


def respond_online(
    *, consultation: Consultation, resident: User, stance: str, comment: str = ""
) -> ConsultationResponse:
    """One response per resident, while the consultation is open (the unique constraint is the
    guard against a double submit)."""
    today = timezone.localdate()
    if not consultation.opens_on <= today <= consultation.closes_on:
        raise MatterRuleBroken(
            _("The consultation is open from %(a)s to %(b)s.")
            % {"a": consultation.opens_on, "b": consultation.closes_on}
        )
    try:
        with transaction.atomic():
            response = ConsultationResponse.objects.create(
                consultation=consultation, resident=resident, stance=stance, comment=comment[:500]
            )
            record_audit(actor=resident, action="governance.consultation_answered", target=response)
    except IntegrityError as exc:
        raise AlreadyResponded(_("You have already responded to this consultation.")) from exc
    return response


@transaction.atomic
def record_offline_responses(
    *, consultation: Consultation, stances: dict[str, int], actor: User | None
) -> int:
    rows = [
        ConsultationResponse(consultation=consultation, offline=True, stance=stance)
        for stance, count in stances.items()
        for _i in range(max(0, int(count)))
    ]
    ConsultationResponse.objects.bulk_create(rows)
    record_audit(
        actor=actor,
        action="governance.consultation_offline",
        target=consultation.matter,
        data={"count": len(rows)},
    )
    return len(rows)


def consultation_summary(consultation: Consultation) -> dict[str, int]:
    counts = Counter(consultation.responses.values_list("stance", flat=True))
    online = consultation.responses.filter(offline=False).count()
    return {
        "agree": counts.get("agree", 0),
        "disagree": counts.get("disagree", 0),
        "other": counts.get("other", 0),
        "total": sum(counts.values()),
        "online": online,
    }


@transaction.atomic
def record_step(
    *,
    matter: Matter,
    kind: str,
    held_on: dt.date,
    participants: str,
    minutes: str,
    meeting: Any = None,
    eligible: int | None = None,
    present: int | None = None,
    votes_for: int | None = None,
    publication_title: str = "",
    publication_text: str = "",
    shown_from: dt.date | None = None,
    shown_through: dt.date | None = None,
    actor: User | None,
) -> MatterStep:
    row = Matter.objects.select_for_update().get(pk=matter.pk)
    expected = next_step_of(row)
    if expected is None:
        raise MatterRuleBroken(_("Every step of this matter is recorded."))
    if kind != expected:
        raise MatterRuleBroken(
            _("Steps cannot be skipped: the next step is “%(step)s”.")
            % {"step": StepKind(expected).label},
            field="kind",
        )
    if held_on > timezone.localdate():
        raise MatterRuleBroken(_("A step is recorded once it has taken place."), field="held_on")
    last = row.steps.order_by("-held_on").first()
    if last is not None and held_on < last.held_on:
        raise MatterRuleBroken(
            _("This step cannot come before the previous one (%(day)s).") % {"day": last.held_on},
            field="held_on",
        )
    if not participants.strip():
        raise MatterRuleBroken(_("Say who took part."), field="participants")
    if not minutes.strip():
        raise MatterRuleBroken(_("Write the minutes."), field="minutes")
    if kind == StepKind.SOLICIT:
        consultation = Consultation.objects.filter(matter=row).first()
        if consultation is None:
            raise MatterRuleBroken(_("Open the consultation first."))
        summary = consultation_summary(consultation)
        minutes = (
            minutes.strip()
            + "\n"
            + _(
                "Responses: %(total)d (%(online)d online); agree %(agree)d, disagree %(disagree)d, "
                "other %(other)d."
            )
            % summary
        )
    if kind == StepKind.REVIEW:
        _check_general_meeting(row, meeting, held_on)
    else:
        meeting = None
    if kind == StepKind.DECIDE:
        _check_vote(eligible, present, votes_for)
    else:
        eligible = present = votes_for = None
    step = MatterStep.objects.create(
        matter=row,
        kind=kind,
        held_on=held_on,
        participants=participants.strip(),
        minutes=minutes.strip(),
        meeting=meeting,
        eligible=eligible,
        present=present,
        votes_for=votes_for,
        recorded_by=actor,
    )
    if kind in rules.PUBLICATION_STEPS:
        _publish(row, step, publication_title, publication_text, shown_from, shown_through)
    if kind == StepKind.PUBLISH_OUTCOME:
        row.status = MatterStatus.DONE
        row.save(update_fields=["status"])
    record_audit(actor=actor, action="governance.matter_step", target=row, data={"step": kind})
    return step


def _check_general_meeting(matter: Matter, meeting: Any, held_on: dt.date) -> None:
    from activities.models import MeetingKind, MeetingStatus

    if meeting is None:
        raise MatterRuleBroken(
            _("Link the recorded branch general meeting that reviewed the matter."),
            field="meeting",
        )
    if meeting.kind != MeetingKind.GENERAL_MEETING or meeting.status != MeetingStatus.HELD:
        raise MatterRuleBroken(
            _("The linked meeting must be a held branch general meeting."), field="meeting"
        )
    if not meeting.organization.communities.filter(pk=matter.community_id).exists():
        raise MatterRuleBroken(
            _("The meeting's branch does not cover this community."), field="meeting"
        )


def _check_vote(eligible: int | None, present: int | None, votes_for: int | None) -> None:
    if eligible is None or present is None or votes_for is None:
        raise MatterRuleBroken(
            _("Enter the residents or representatives, those present and the votes for."),
            field="eligible",
        )
    if present > eligible or votes_for > present:
        raise MatterRuleBroken(
            _("Those present cannot exceed the total, nor the votes for those present."),
            field="present",
        )
    figures = {"eligible": eligible, "present": present, "votes_for": votes_for}
    if not rules.quorum_met(eligible=eligible, present=present):
        raise MatterRuleBroken(
            _(
                "The meeting is not valid: %(present)d of %(eligible)d attended; more than half "
                "must attend."
            )
            % figures,
            field="present",
        )
    if not rules.motion_passed(present=present, votes_for=votes_for):
        raise MatterRuleBroken(
            _(
                "The motion did not pass: %(votes_for)d of %(present)d present voted for; more "
                "than half of those present must."
            )
            % figures,
            field="votes_for",
        )


def _publish(
    matter: Matter,
    step: MatterStep,
    title: str,
    text: str,
    shown_from: dt.date | None,
    shown_through: dt.date | None,
) -> Publication:
    if not title.strip() or not text.strip():
        raise MatterRuleBroken(_("Give the notice a title and a text."), field="publication_text")
    if shown_from is None or shown_through is None:
        raise MatterRuleBroken(_("Say when the notice is shown."), field="shown_from")
    minimum = settings_for(matter.community.sub_district_id).publication_min_days
    if rules.days_shown(shown_from, shown_through) < minimum:
        raise MatterRuleBroken(
            _("A notice stays up at least %(n)d days.") % {"n": minimum}, field="shown_through"
        )
    return Publication.objects.create(
        matter=matter,
        step=step,
        title=title.strip(),
        body=text.strip(),
        starts_on=shown_from,
        ends_on=shown_through,
    )
