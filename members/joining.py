"""Services of the joining pipeline (发展党员): each step is one service, dated and audited.

The order and deadlines are the pure rules in `members.rules`; a step taken too early or out of
order raises `StepNotAllowed` with the rule's reason. Approval creates the probationary member's
record and confirmation makes it a full member, both through `members.services`, so the member's
history (and voting rights) follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.services import queue_email, record_audit
from branches.models import Organization
from members import rules, services
from members.errors import StepNotAllowed
from members.models import (
    ActivistReview,
    Development,
    DevelopmentReminder,
    Member,
    MemberChange,
    MemberStatus,
    Stage,
)
from members.roster import MEMBER_BRANCH_KINDS

DUE_SOON_DAYS = 30  # how far ahead the "due soon" list and the reminders look


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _lock(development: Development) -> Development:
    return Development.objects.select_for_update().get(pk=development.pk)


def _check_scope(actor: User | None, organization: Organization) -> None:
    if actor is not None and not (
        Organization.objects.visible_to(actor).filter(pk=organization.pk).exists()
    ):
        raise StepNotAllowed(_("You cannot keep records for this branch."), field="organization")


def _not_future(on: dt.date, field: str) -> None:
    if on > timezone.localdate():
        raise StepNotAllowed(_("A step cannot be dated in the future."), field=field)


@transaction.atomic
def register_applicant(
    *,
    actor: User | None,
    organization: Organization,
    full_name: str,
    applied_on: dt.date,
    birth_date: dt.date | None = None,
    phone: str = "",
) -> Development:
    """Record a written application to join the party."""
    if organization.kind not in MEMBER_BRANCH_KINDS:
        raise StepNotAllowed(
            _("A member's record is kept by a branch, general branch or party committee."),
            field="organization",
        )
    _check_scope(actor, organization)
    if not full_name.strip():
        raise StepNotAllowed(_("Enter the applicant's name."), field="full_name")
    _not_future(applied_on, "applied_on")
    if phone and not rules.is_valid_phone(phone):
        raise StepNotAllowed(
            _("Enter an 11-digit mobile number or a landline with its area code."), field="phone"
        )
    if birth_date is not None and rules.age_on(birth_date, applied_on) < rules.MINIMUM_AGE:
        raise StepNotAllowed(
            _("Only people aged 18 or over may join the party (党章 art. 1)."), field="birth_date"
        )
    development = Development.objects.create(
        organization=organization,
        full_name=full_name.strip()[:50],
        applied_on=applied_on,
        birth_date=birth_date,
        phone=phone,
    )
    record_audit(actor=actor, action="development.applied", target=development)
    return development


@transaction.atomic
def record_talk(*, actor: User | None, development: Development, on: dt.date) -> Development:
    """The talk with the applicant (due within one month of the application)."""
    locked = _lock(development)
    _not_future(on, "on")
    if on < locked.applied_on:
        raise StepNotAllowed(_("The talk comes after the application."), field="on")
    locked.talked_on = on
    locked.save(update_fields=["talked_on"])
    record_audit(actor=actor, action="development.talk", target=locked)
    return locked


@transaction.atomic
def record_review(
    *, actor: User | None, development: Development, on: dt.date, note: str = ""
) -> ActivistReview:
    """The half-yearly review of an activist."""
    locked = _lock(development)
    if locked.stage != Stage.ACTIVIST:
        raise StepNotAllowed(_("Only activists are reviewed every six months."), field="on")
    _not_future(on, "on")
    if locked.activist_on and on < locked.activist_on:
        raise StepNotAllowed(_("A review comes after the person became an activist."), field="on")
    review = ActivistReview.objects.create(
        development=locked, reviewed_on=on, note=note[:200], created_by=_actor(actor)
    )
    record_audit(actor=actor, action="development.reviewed", target=locked)
    return review


@transaction.atomic
def record_training(
    *, actor: User | None, development: Development, completed_on: dt.date, hours: int
) -> Development:
    """The candidate's training (at least 3 days or 24 class hours)."""
    locked = _lock(development)
    if locked.stage != Stage.CANDIDATE:
        raise StepNotAllowed(
            _("Training is recorded for a development candidate."), field="completed_on"
        )
    _not_future(completed_on, "completed_on")
    if locked.candidate_on and completed_on < locked.candidate_on:
        raise StepNotAllowed(
            _("Training ends after the person became a candidate."), field="completed_on"
        )
    if hours < 0 or hours > 1000:
        raise StepNotAllowed(_("Enter the number of class hours."), field="hours")
    locked.training_completed_on, locked.training_hours = completed_on, hours
    locked.save(update_fields=["training_completed_on", "training_hours"])
    record_audit(actor=actor, action="development.trained", target=locked, data={"hours": hours})
    return locked


@transaction.atomic
def record_vote(*, actor: User | None, development: Development, on: dt.date) -> Development:
    """The branch general meeting's vote to admit the candidate."""
    locked = _lock(development)
    if locked.stage != Stage.CANDIDATE:
        raise StepNotAllowed(
            _("The branch votes on a development candidate, not at this stage."), field="on"
        )
    _not_future(on, "on")
    if locked.candidate_on and on < locked.candidate_on:
        raise StepNotAllowed(_("The vote comes after the person became a candidate."), field="on")
    try:
        rules.check_training(hours=locked.training_hours)
    except rules.StepRefused as exc:
        raise StepNotAllowed(str(exc), field="on") from None
    if locked.sponsors.count() < rules.SPONSORS_REQUIRED:
        raise StepNotAllowed(
            _("Admission needs two full members as sponsors (细则 art. 16)."), field="on"
        )
    locked.voted_on = on
    locked.save(update_fields=["voted_on"])
    record_audit(actor=actor, action="development.voted", target=locked)
    return locked


def _people(
    actor: User | None, development: Development, members: Iterable[Member], *, full_only: bool
) -> list[Member]:
    chosen = list(members)
    visible = Member.objects.current().filter(pk__in=[m.pk for m in chosen])
    if actor is not None:
        visible = visible.filter(pk__in=Member.objects.visible_to(actor).values("pk"))
    if full_only:
        visible = visible.filter(status=MemberStatus.FULL)
    if visible.count() != len({m.pk for m in chosen}):
        if full_only:
            raise StepNotAllowed(
                _("Sponsors are full members on the roll of a branch you can see."),
                field="sponsors",
            )
        raise StepNotAllowed(
            _("Mentors are members on the roll of a branch you can see."), field="mentors"
        )
    if development.member_id and development.member_id in {m.pk for m in chosen}:
        raise StepNotAllowed(_("A person cannot sponsor or mentor themselves."), field="sponsors")
    return chosen


@transaction.atomic
def set_sponsors(
    *, actor: User | None, development: Development, sponsors: Iterable[Member]
) -> Development:
    """Name the two full members who sponsor the candidate (入党介绍人)."""
    locked = _lock(development)
    if locked.stage not in (Stage.ACTIVIST, Stage.CANDIDATE):
        raise StepNotAllowed(
            _("Sponsors are named for an activist or a development candidate."),
            field="sponsors",
        )
    chosen = _people(actor, locked, sponsors, full_only=True)
    if len(chosen) != rules.SPONSORS_REQUIRED:
        raise StepNotAllowed(
            _("Admission needs two full members as sponsors (细则 art. 16)."), field="sponsors"
        )
    locked.sponsors.set(chosen)
    record_audit(actor=actor, action="development.sponsors", target=locked)
    return locked


@transaction.atomic
def set_mentors(
    *, actor: User | None, development: Development, mentors: Iterable[Member]
) -> Development:
    """Name the members who mentor the activist (培养联系人)."""
    locked = _lock(development)
    if locked.stage == Stage.FULL:
        raise StepNotAllowed(_("This person is already a full member."), field="mentors")
    chosen = _people(actor, locked, mentors, full_only=False)
    if not 1 <= len(chosen) <= 2:
        raise StepNotAllowed(_("Name one or two mentors."), field="mentors")
    locked.mentors.set(chosen)
    record_audit(actor=actor, action="development.mentors", target=locked)
    return locked


@transaction.atomic
def take_step(
    *, actor: User | None, development: Development, target: str, on: dt.date
) -> Development:
    """Move the person to the next stage on `on`, or refuse with the rule's reason.

    probationary: creates the member record (joined on the branch vote's date, probation one year
    from it); full: confirms that record through `services.update_member` (voting rights).
    """
    locked = _lock(development)
    if actor is not None:
        _check_scope(actor, locked.organization)
    try:
        rules.check_step(
            current=locked.stage,
            target=target,
            on=on,
            applied_on=locked.applied_on,
            activist_on=locked.activist_on,
            voted_on=locked.voted_on,
            probation_ends_on=locked.probation_ends_on,
            birth_date=locked.birth_date,
            sponsors=locked.sponsors.count(),
            today=timezone.localdate(),
        )
        if target == Stage.PROBATIONARY:
            rules.check_training(hours=locked.training_hours)
    except rules.StepRefused as exc:
        raise StepNotAllowed(str(exc), field="on") from None
    previous = locked.stage
    if target == Stage.ACTIVIST:
        locked.activist_on = on
    elif target == Stage.CANDIDATE:
        locked.candidate_on = on
    elif target == Stage.PROBATIONARY:
        assert locked.voted_on is not None  # checked by the rule
        locked.approved_on = on
        locked.probation_ends_on = rules.add_months(locked.voted_on, rules.PROBATION_MONTHS)
        locked.member = services.create_member(
            actor=actor,
            fields={
                "organization": locked.organization,
                "full_name": locked.full_name,
                "birth_date": locked.birth_date,
                "phone": locked.phone,
                "status": MemberStatus.PROBATIONARY,
                "joined_on": locked.voted_on,
            },
        )
    elif target == Stage.FULL:
        locked.confirmed_on = on
        if locked.member is not None:
            services.update_member(
                member=locked.member,
                actor=actor,
                fields={"status": MemberStatus.FULL, "confirmed_on": on},
            )
    locked.stage = target
    locked.save()
    if locked.member is not None:
        services.log_change(
            member=locked.member,
            actor=actor,
            action=MemberChange.Action.STAGE,
            summary=Stage(target).label,
            changes={"stage": {"from": previous, "to": target, "on": on.isoformat()}},
        )
    record_audit(
        actor=actor,
        action="development.step",
        target=locked,
        data={"from": previous, "to": target},
    )
    return locked


@transaction.atomic
def extend_probation(
    *, actor: User | None, development: Development, months: int, reason: str = ""
) -> Development:
    """Extend probation once, by 6 to 12 months (党章 art. 7)."""
    locked = _lock(development)
    try:
        rules.check_extension(
            stage=locked.stage,
            already_extended=locked.extension_months is not None,
            months=months,
        )
    except rules.StepRefused as exc:
        raise StepNotAllowed(str(exc), field="months") from None
    assert locked.probation_ends_on is not None
    locked.extension_months = months
    locked.probation_ends_on = rules.add_months(locked.probation_ends_on, months)
    locked.save(update_fields=["extension_months", "probation_ends_on"])
    if locked.member is not None:
        services.log_change(
            member=locked.member,
            actor=actor,
            action=MemberChange.Action.STAGE,
            summary=_("Probation extended by %(months)d months") % {"months": months},
            changes={"probation_ends_on": {"to": locked.probation_ends_on.isoformat()}},
        )
    record_audit(
        actor=actor,
        action="development.extended",
        target=locked,
        data={"months": months, "reason": reason[:200]},
    )
    return locked


# --- Due soon / overdue -------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    development: Development
    kind: str
    due_on: dt.date

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()

    @property
    def label(self) -> str:
        return str(DEADLINE_LABELS.get(self.kind, self.kind))


DEADLINE_LABELS = {
    "talk": gettext_lazy("Talk with the applicant"),
    "review": gettext_lazy("Half-yearly activist review"),
    "approval": gettext_lazy("Approval after the branch vote"),
    "confirmation": gettext_lazy("Confirmation at the end of probation"),
}


def due_items(developments: Iterable[Development], *, until: dt.date) -> list[DueItem]:
    """Deadlines on or before `until` (overdue ones included), soonest first. Pass rows from
    `Development.objects.with_last_review()` so the review deadline counts the last review."""
    items = []
    for development in developments:
        for deadline in rules.pipeline_deadlines(
            stage=development.stage,
            applied_on=development.applied_on,
            talked_on=development.talked_on,
            activist_on=development.activist_on,
            last_review_on=getattr(development, "last_review_on", None),
            voted_on=development.voted_on,
            probation_ends_on=development.probation_ends_on,
        ):
            if deadline.due_on <= until:
                items.append(DueItem(development, deadline.kind, deadline.due_on))
    return sorted(items, key=lambda item: (item.due_on, item.development.pk))


def _recipients(organization: Organization) -> list[str]:
    emails = (
        RoleAssignment.objects.filter(
            is_active=True, user__is_active=True, role=Role.SECRETARY, organization=organization
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def send_development_reminders(*, today: dt.date | None = None) -> int:
    """Daily scan: remind each branch secretary once per due item. Returns reminders sent.

    The unique (record, kind, due date) row is the claim, and `sent_at` is set by a conditional
    update, so two scans at once cannot both send; the emails are queued after commit.
    """
    today = today or timezone.localdate()
    rows = (
        Development.objects.in_progress()
        .with_last_review()
        .filter(organization__status="active")
        .select_related("organization")
    )
    sent = 0
    for item in due_items(rows, until=today + dt.timedelta(days=DUE_SOON_DAYS)):
        with transaction.atomic():
            reminder, _created = DevelopmentReminder.objects.get_or_create(
                development=item.development, kind=item.kind, due_on=item.due_on
            )
            claimed = DevelopmentReminder.objects.filter(pk=reminder.pk, sent_at=None).update(
                sent_at=timezone.now()
            )
            if claimed != 1:
                continue
            context = {"item": item, "development": item.development, "label": item.label}
            with translation.override("zh-hans"):
                subject = render_to_string(
                    "members/email/development_due_subject.txt", context
                ).strip()
                body = render_to_string("members/email/development_due_body.txt", context)
            for email in _recipients(item.development.organization):
                queue_email(to=email, subject=subject, body=body)
        sent += 1
    return sent
