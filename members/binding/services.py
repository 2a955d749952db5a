"""Binding a member's record to a sign-in account, and the member's record corrections.

A member proves who they are by name and the last six characters of the ID-card number; the
number is compared inside the service (decrypted in memory, compared in constant time, never
returned or logged), and every attempt is counted so the tail cannot be guessed
(`MEMBER_BINDING_MAX_FAILURES` a day per account). A match only asks: the branch secretary
approves. The other way in is the secretary's invitation, an SMS link that the member opens
signed in. Either way the database keeps one bound account per member and one member per
account (`binding_one_account_per_member`, `binding_one_member_per_account`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError
from accounts.locks import lock_owner
from accounts.services import queue_sms, record_audit
from members.identity import UndecryptableIdNumber, decrypt_id_number
from members.models import (
    BindingAttempt,
    BindingStatus,
    CorrectionRequest,
    CorrectionStatus,
    Member,
    MemberBinding,
    MemberChange,
    ReminderPreference,
)
from members.services import update_member

if TYPE_CHECKING:
    from accounts.models import User

ID_TAIL_LENGTH = 6


class BindingRefused(DomainError):
    """The details do not match a record, or the account has asked too often."""


class BindingConflict(Conflict):
    """The member or the account is already bound, or the request was decided meanwhile."""


class CorrectionConflict(Conflict):
    """The correction request was decided meanwhile."""


def member_of(user: Any) -> Member | None:
    """The member bound to `user`, cached on the user object for the request (one query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_bound_member"):
        user._bound_member = (
            Member.objects.bound_to(user)
            .select_related("organization", "party_group", "community")
            .first()
        )
    return user._bound_member


def _tail_matches(member: Member, tail: str) -> bool:
    if not member.id_number_encrypted:
        return False
    try:
        number = decrypt_id_number(member.id_number_encrypted)
    except UndecryptableIdNumber:
        return False
    return hmac.compare_digest(number[-ID_TAIL_LENGTH:].upper().encode(), tail.encode())


def _failures_today(user: User) -> int:
    since = timezone.now() - dt.timedelta(days=1)
    return BindingAttempt.objects.filter(user=user, matched=False, created_at__gte=since).count()


def request_binding(*, user: User, full_name: str, id_tail: str) -> MemberBinding:
    """Ask to bind `user` to the member named `full_name` whose ID number ends in `id_tail`.

    The attempt is written even when it fails (so the limit holds); the refusal is raised after
    that transaction commits. A wrong name and a wrong tail get the same message, so the answer
    never tells whether someone of that name is on a roll."""
    tail = id_tail.strip().upper()
    name = full_name.strip()
    if (
        len(tail) != ID_TAIL_LENGTH
        or not tail[:-1].isdigit()
        or not (tail[-1].isdigit() or tail[-1] == "X")
    ):
        raise BindingRefused(
            _("Enter the last 6 characters of your ID-card number."), field="id_tail"
        )
    with transaction.atomic():
        lock_owner(user)
        if _failures_today(user) >= settings.MEMBER_BINDING_MAX_FAILURES:
            refusal: DomainError | None = BindingRefused(
                _("Too many attempts today. Try again tomorrow or ask your branch secretary.")
            )
            binding = None
        else:
            binding, refusal = _try_binding(user=user, name=name, tail=tail)
            BindingAttempt.objects.create(user=user, matched=refusal is None)
    if refusal is not None:
        raise refusal
    assert binding is not None
    return binding


def _try_binding(
    *, user: User, name: str, tail: str
) -> tuple[MemberBinding | None, DomainError | None]:
    if MemberBinding.objects.filter(user=user, status__in=["active", "requested"]).exists():
        return None, BindingConflict(
            _("This account is already bound to a member or waiting for the secretary.")
        )
    candidates = Member.objects.current().filter(full_name=name).exclude(id_number_encrypted="")
    matches = [m for m in candidates if _tail_matches(m, tail)]
    if len(matches) != 1:
        return None, BindingRefused(
            _(
                "The name and ID number do not match a member record. Check them or ask your "
                "branch secretary to invite you."
            )
        )
    member = matches[0]
    if member.bindings.filter(status="active").exists():
        return None, BindingConflict(
            _("This member already has an account. Ask your branch secretary.")
        )
    binding = MemberBinding.objects.create(member=member, user=user, status=BindingStatus.REQUESTED)
    record_audit(actor=user, action="member.binding_requested", target=member)
    return binding, None


def _lock_binding(binding: MemberBinding) -> MemberBinding:
    return MemberBinding.objects.select_for_update().select_related("member").get(pk=binding.pk)


def _activate(binding: MemberBinding, *, actor: User) -> MemberBinding:
    lock_owner(binding.member)
    if binding.member.bindings.filter(status="active").exclude(pk=binding.pk).exists():
        raise BindingConflict(_("This member already has an account."))
    if (
        MemberBinding.objects.filter(user=binding.user, status="active")
        .exclude(pk=binding.pk)
        .exists()
    ):
        raise BindingConflict(_("This account is already bound to another member."))
    binding.status = BindingStatus.ACTIVE
    binding.decided_at = timezone.now()
    binding.decided_by = actor
    binding.invite_token_hash = ""
    try:
        with transaction.atomic():
            binding.save()
    except IntegrityError:
        raise BindingConflict(_("This member or account is already bound.")) from None
    return binding


@transaction.atomic
def approve_binding(*, binding: MemberBinding, actor: User) -> MemberBinding:
    """The secretary confirms that the account is the member's."""
    binding = _lock_binding(binding)
    if binding.status != BindingStatus.REQUESTED:
        raise BindingConflict(_("This request has already been decided."))
    binding = _activate(binding, actor=actor)
    record_audit(actor=actor, action="member.binding_approved", target=binding.member)
    return binding


@transaction.atomic
def refuse_binding(*, binding: MemberBinding, actor: User, reason: str = "") -> MemberBinding:
    binding = _lock_binding(binding)
    if binding.status != BindingStatus.REQUESTED:
        raise BindingConflict(_("This request has already been decided."))
    binding.status = BindingStatus.REFUSED
    binding.decided_at = timezone.now()
    binding.decided_by = actor
    binding.end_reason = reason.strip()[:200]
    binding.save()
    record_audit(actor=actor, action="member.binding_refused", target=binding.member)
    return binding


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_member(*, member: Member, actor: User) -> MemberBinding:
    """Send the member an SMS link to bind the account they sign in with.

    A new invitation replaces an open one (its link stops working)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.phone:
        raise BindingRefused(_("The branch holds no phone number for this member."))
    if member.state != "active":
        raise BindingRefused(_("Only members on the roll can be invited."))
    if member.bindings.filter(status="active").exists():
        raise BindingConflict(_("This member already has an account."))
    member.bindings.filter(status=BindingStatus.INVITED).update(
        status=BindingStatus.ENDED, ended_at=timezone.now(), end_reason="replaced"
    )
    token = secrets.token_urlsafe(24)
    binding = MemberBinding.objects.create(
        member=member,
        status=BindingStatus.INVITED,
        invite_token_hash=_token_hash(token),
        invite_expires_at=timezone.now() + dt.timedelta(days=settings.MEMBER_INVITE_DAYS),
        decided_by=actor,
    )
    link = settings.PORTAL_URL + reverse("public:me-invitation", args=[token])
    queue_sms(
        to=member.phone,
        body=_("%(branch)s invites you to the portal's member pages: %(link)s")
        % {"branch": member.organization.name, "link": link},
        sensitive=True,
        expires_at=binding.invite_expires_at,
    )
    record_audit(actor=actor, action="member.binding_invited", target=member)
    return binding


def invitation_for(token: str) -> MemberBinding | None:
    """The open invitation of `token`, or None when it is unknown, used or expired."""
    return (
        MemberBinding.objects.filter(
            invite_token_hash=_token_hash(token),
            status=BindingStatus.INVITED,
            invite_expires_at__gt=timezone.now(),
        )
        .select_related("member", "member__organization")
        .first()
    )


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> MemberBinding:
    """The invited member, signed in, takes the invitation: the account is bound at once (the
    secretary chose the member when inviting)."""
    found = invitation_for(token)
    if found is None:
        raise BindingRefused(_("This invitation link is no longer valid. Ask for a new one."))
    binding = _lock_binding(found)
    if binding.status != BindingStatus.INVITED:
        raise BindingConflict(_("This invitation has already been used."))
    lock_owner(user)
    if MemberBinding.objects.filter(user=user, status__in=["active", "requested"]).exists():
        raise BindingConflict(
            _("This account is already bound to a member or waiting for the secretary.")
        )
    binding.user = user
    decided_by = binding.decided_by
    binding = _activate(binding, actor=user)
    binding.decided_by = decided_by
    binding.save(update_fields=["decided_by"])
    record_audit(actor=user, action="member.binding_accepted", target=binding.member)
    return binding


@transaction.atomic
def end_binding(*, binding: MemberBinding, actor: User, reason: str) -> MemberBinding:
    """Unbind: the account stays a resident's account; the row stays as history."""
    binding = _lock_binding(binding)
    if binding.status not in (BindingStatus.ACTIVE, BindingStatus.INVITED):
        raise BindingConflict(_("This account is not bound."))
    if not reason.strip():
        raise BindingRefused(_("Say why the account is unbound."), field="reason")
    binding.status = BindingStatus.ENDED
    binding.ended_at = timezone.now()
    binding.end_reason = reason.strip()[:200]
    binding.save()
    record_audit(
        actor=actor,
        action="member.binding_ended",
        target=binding.member,
        data={"reason": binding.end_reason},
    )
    return binding


CORRECTABLE = {
    CorrectionRequest.Field.PHONE,
    CorrectionRequest.Field.ADDRESS,
    CorrectionRequest.Field.WORK_UNIT,
    CorrectionRequest.Field.OCCUPATION,
    CorrectionRequest.Field.EDUCATION,
}


@transaction.atomic
def request_correction(
    *, member: Member, user: User, field: str, proposed: str, reason: str
) -> CorrectionRequest:
    """A member asks the branch to correct a field of their record."""
    if field not in CorrectionRequest.Field.values:
        raise DomainError(_("Choose what to correct."), field="field")
    if not proposed.strip():
        raise DomainError(_("Write the correct value."), field="proposed")
    lock_owner(member)
    if member.correction_requests.filter(status="pending").count() >= 5:
        raise DomainError(_("You have 5 requests waiting. Wait for the secretary's answer."))
    correction = CorrectionRequest.objects.create(
        member=member,
        field=field,
        proposed=proposed.strip()[:200],
        reason=reason.strip()[:200],
        requested_by=user,
    )
    record_audit(actor=user, action="member.correction_requested", target=member)
    return correction


@transaction.atomic
def decide_correction(
    *, correction: CorrectionRequest, actor: User, accept: bool, note: str = ""
) -> CorrectionRequest:
    """Accept (the field is changed through `update_member`, which writes the history) or refuse
    (the history gets an entry saying so)."""
    correction = (
        CorrectionRequest.objects.select_for_update().select_related("member").get(pk=correction.pk)
    )
    if correction.status != CorrectionStatus.PENDING:
        raise CorrectionConflict(_("This request has already been decided."))
    member = correction.member
    if accept and correction.field in CORRECTABLE:
        update_member(member=member, actor=actor, fields={correction.field: correction.proposed})
    elif accept:
        MemberChange.objects.create(
            member=member,
            actor=actor,
            action=MemberChange.Action.UPDATED,
            summary=_("Correction accepted: %(value)s") % {"value": correction.proposed[:150]},
        )
    else:
        MemberChange.objects.create(
            member=member,
            actor=actor,
            action=MemberChange.Action.UPDATED,
            summary=_("Correction refused: %(field)s") % {"field": correction.get_field_display()},
            changes={"refused": {"field": correction.field, "proposed": correction.proposed}},
        )
    correction.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REFUSED
    correction.decided_at = timezone.now()
    correction.decided_by = actor
    correction.decision_note = note.strip()[:200]
    correction.save()
    record_audit(
        actor=actor,
        action="member.correction_accepted" if accept else "member.correction_refused",
        target=member,
    )
    return correction


@transaction.atomic
def set_reminder_preference(*, member: Member, user: User, sms: bool, email: bool) -> None:
    """The member turns reminder channels on or off (the notices the rules require, such as an
    invitation, are not reminders and are always sent)."""
    ReminderPreference.objects.update_or_create(
        member=member, defaults={"sms": sms, "email": email}
    )
    record_audit(
        actor=user,
        action="member.reminders_set",
        target=member,
        data={"sms": sms, "email": email},
    )
