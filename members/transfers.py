"""Transfers of organisational relationship (组织关系转接): issue, accept, reject, revoke, expire.

Invariants: at most one open (issued) transfer per member (a partial unique constraint); the
member's branch or roll state changes only on acceptance, in the same transaction; every state
change locks the transfer row first (`select_for_update`) and re-checks that it is still issued,
so of two people acting at once (one accepting, one revoking) exactly one wins and the other gets
a `TransferConflict` (HTTP 409).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from branches.models import Organization
from members.errors import TransferConflict, TransferRefused
from members.extensions import transfer_checks
from members.models import (
    Member,
    MemberChange,
    MemberSettings,
    MembershipState,
    Transfer,
    TransferKind,
    TransferState,
)
from members.roster import MEMBER_BRANCH_KINDS
from members.services import create_member, log_change


def _visible(actor: User | None, organization: Organization | None) -> bool:
    if actor is None or organization is None:
        return actor is None
    return Organization.objects.visible_to(actor).filter(pk=organization.pk).exists()


def _validity(sub_district_id: int) -> int:
    return MemberSettings.for_sub_district(sub_district_id).transfer_validity_days


def _open(transfer: Transfer, *, actor: User | None, issued_on: dt.date) -> Transfer:
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:
        raise TransferRefused(
            _("This member already has an open transfer; revoke or complete it first."),
            field="member",
        ) from None
    transfer.number = f"{issued_on:%Y}-{transfer.pk:06d}"
    transfer.save(update_fields=["number"])
    return transfer


@transaction.atomic
def issue_transfer(
    *,
    actor: User | None,
    member: Member,
    kind: str,
    issued_on: dt.date,
    to_organization: Organization | None = None,
    external_organization: str = "",
    reason: str = "",
) -> Transfer:
    """Issue a transfer letter for a member on the roll: to another branch of the deployment
    (internal) or out of it (outbound). The sending branch stays responsible until acceptance."""
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=member.pk)
    )
    if kind not in (TransferKind.INTERNAL, TransferKind.OUTBOUND):
        raise TransferRefused(_("Choose where the member is transferred to."), field="kind")
    if not _visible(actor, member.organization):
        raise TransferRefused(_("You cannot transfer members of this branch."), field="member")
    if member.state != MembershipState.ACTIVE:
        raise TransferRefused(_("Only a member on the roll can be transferred."), field="member")
    today = timezone.localdate()
    if issued_on > today or issued_on < today - dt.timedelta(days=31):
        raise TransferRefused(
            _("The letter is dated today or within the last month."), field="issued_on"
        )
    for check in transfer_checks():
        refusal = check(member, issued_on)
        if refusal:
            raise TransferRefused(refusal, field="member")
    if kind == TransferKind.INTERNAL:
        if to_organization is None or to_organization.kind not in MEMBER_BRANCH_KINDS:
            raise TransferRefused(_("Choose the receiving branch."), field="to_organization")
        if to_organization.status != "active":
            raise TransferRefused(
                _("The receiving branch is archived; choose its successor."),
                field="to_organization",
            )
        if to_organization.pk == member.organization_id:
            raise TransferRefused(
                _("The member is already in this branch."), field="to_organization"
            )
        external_organization = ""
    else:
        to_organization = None
        external_organization = external_organization.strip()
        if not external_organization:
            raise TransferRefused(
                _("Name the party organisation the member is transferred to."),
                field="external_organization",
            )
    transfer = _open(
        Transfer(
            member=member,
            kind=kind,
            from_organization=member.organization,
            to_organization=to_organization,
            external_organization=external_organization[:120],
            issued_on=issued_on,
            valid_until=issued_on
            + dt.timedelta(days=_validity(member.organization.sub_district_id)),
            reason=reason[:200],
            created_by=actor if actor is not None and actor.is_authenticated else None,
        ),
        actor=actor,
        issued_on=issued_on,
    )
    log_change(
        member=member,
        actor=actor,
        action=MemberChange.Action.TRANSFER,
        summary=_("Transfer letter %(number)s issued") % {"number": transfer.number},
    )
    record_audit(actor=actor, action="transfer.issued", target=transfer, data={"kind": kind})
    return transfer


@transaction.atomic
def register_inbound_transfer(
    *,
    actor: User | None,
    to_organization: Organization,
    member_fields: dict[str, Any],
    id_number: str,
    external_organization: str,
    issued_on: dt.date,
) -> Transfer:
    """Record a letter received from outside the deployment: the member's record is created
    "transferring in" (not on the roll) and joins the roll when the receiving branch accepts."""
    if not external_organization.strip():
        raise TransferRefused(
            _("Name the party organisation that issued the letter."),
            field="external_organization",
        )
    if issued_on > timezone.localdate():
        raise TransferRefused(_("The letter cannot be dated in the future."), field="issued_on")
    member = create_member(
        actor=actor,
        fields={**member_fields, "organization": to_organization},
        id_number=id_number,
    )
    Member.objects.filter(pk=member.pk).update(state=MembershipState.INCOMING)
    transfer = _open(
        Transfer(
            member=member,
            kind=TransferKind.INBOUND,
            to_organization=to_organization,
            external_organization=external_organization.strip()[:120],
            issued_on=issued_on,
            valid_until=issued_on + dt.timedelta(days=_validity(to_organization.sub_district_id)),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        ),
        actor=actor,
        issued_on=issued_on,
    )
    record_audit(actor=actor, action="transfer.registered", target=transfer)
    return transfer


def _lock(transfer: Transfer) -> Transfer:
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_organization", "to_organization")
        .get(pk=transfer.pk)
    )
    if locked.state != TransferState.ISSUED:
        raise TransferConflict(
            _("This transfer is already %(state)s; nothing was changed.")
            % {"state": locked.get_state_display()}
        )
    return locked


def _receiving_side(transfer: Transfer) -> Organization | None:
    # An outbound letter's receipt is recorded by the sending branch.
    return transfer.to_organization or transfer.from_organization


def _sending_side(transfer: Transfer) -> Organization | None:
    return transfer.from_organization or transfer.to_organization


def _decide(transfer: Transfer, *, actor: User | None, state: str, note: str) -> None:
    transfer.state = state
    transfer.decided_at = timezone.now()
    transfer.decided_by = actor if actor is not None and actor.is_authenticated else None
    transfer.decision_note = note[:200]
    transfer.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])


def accept_transfer(*, actor: User | None, transfer: Transfer, note: str = "") -> Transfer:
    """The receiver accepts: only now does the member's branch (or roll state) change.

    A letter past its validity is first marked expired (committed on its own), so the refusal
    that follows leaves it in the pocket list rather than open."""
    expire_transfers(pk=transfer.pk)
    return _accept(actor=actor, transfer=transfer, note=note)


@transaction.atomic
def _accept(*, actor: User | None, transfer: Transfer, note: str) -> Transfer:
    locked = _lock(transfer)
    if not _visible(actor, _receiving_side(locked)):
        raise TransferRefused(_("Only the receiving branch can accept this transfer."))
    member = Member.objects.select_for_update().get(pk=locked.member_id)
    before = {"organization_id": member.organization_id, "state": member.state}
    today = timezone.localdate()
    if locked.kind == TransferKind.INTERNAL:
        member.organization = locked.to_organization
        member.party_group = None
    elif locked.kind == TransferKind.INBOUND:
        member.state = MembershipState.ACTIVE
        member.state_changed_on = today
    else:
        member.state = MembershipState.TRANSFERRED_OUT
        member.state_changed_on = today
    member.save()
    _decide(locked, actor=actor, state=TransferState.ACCEPTED, note=note)
    after = {"organization_id": member.organization_id, "state": member.state}
    log_change(
        member=member,
        actor=actor,
        action=MemberChange.Action.TRANSFER,
        summary=_("Transfer %(number)s accepted") % {"number": locked.number},
        changes={k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]},
    )
    record_audit(actor=actor, action="transfer.accepted", target=locked)
    return locked


@transaction.atomic
def reject_transfer(*, actor: User | None, transfer: Transfer, note: str) -> Transfer:
    """The receiver refuses the letter, with a reason; the member stays where they were."""
    locked = _lock(transfer)
    if not _visible(actor, _receiving_side(locked)):
        raise TransferRefused(_("Only the receiving branch can reject this transfer."))
    if not note.strip():
        raise TransferRefused(_("Give the reason for rejecting."), field="note")
    _decide(locked, actor=actor, state=TransferState.REJECTED, note=note)
    log_change(
        member=locked.member,
        actor=actor,
        action=MemberChange.Action.TRANSFER,
        summary=_("Transfer %(number)s rejected") % {"number": locked.number},
    )
    record_audit(actor=actor, action="transfer.rejected", target=locked)
    return locked


@transaction.atomic
def revoke_transfer(*, actor: User | None, transfer: Transfer, note: str = "") -> Transfer:
    """The issuer withdraws the letter before it is accepted."""
    locked = _lock(transfer)
    if not _visible(actor, _sending_side(locked)):
        raise TransferRefused(_("Only the issuing branch can revoke this transfer."))
    _decide(locked, actor=actor, state=TransferState.REVOKED, note=note)
    log_change(
        member=locked.member,
        actor=actor,
        action=MemberChange.Action.TRANSFER,
        summary=_("Transfer %(number)s revoked") % {"number": locked.number},
    )
    record_audit(actor=actor, action="transfer.revoked", target=locked)
    return locked


def expire_transfers(*, today: dt.date | None = None, pk: int | None = None) -> int:
    """Mark issued letters past their validity as expired (all of them, or the one `pk`).
    Safe to run twice: the conditional update only touches rows still issued."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = Transfer.objects.select_for_update(skip_locked=pk is None).filter(
            state=TransferState.ISSUED, valid_until__lt=today
        )
        if pk is not None:
            due = due.filter(pk=pk)
        expired = list(due.values_list("pk", flat=True))
        count = Transfer.objects.filter(pk__in=expired, state=TransferState.ISSUED).update(
            state=TransferState.EXPIRED, decided_at=timezone.now()
        )
        if count:
            record_audit(actor=None, action="transfer.expired", data={"count": count})
    return count
