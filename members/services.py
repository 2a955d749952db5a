"""Writes of the member record: create, change, reveal the ID number, change the roll state.

Every service is keyword-only, runs in one transaction, writes a `MemberChange` (the member's own
history) and an audit entry, and raises a domain error a person can act on. ID numbers go through
`_set_id_number` only, so the encrypted, hashed and masked forms never disagree.
Transfers, the joining pipeline and community registration live in their own service modules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from branches.models import Organization, OrganizationKind
from members import rules
from members.errors import DuplicateIdNumber, InvalidMemberData
from members.identity import decrypt_id_number, encrypt_id_number, hash_id_number
from members.models import Member, MemberChange, MembershipState, MemberStatus

# Fields whose changes the history records, in the order a person reads them.
TRACKED_FIELDS = (
    "full_name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_masked",
    "phone",
    "education",
    "occupation",
    "work_unit",
    "address",
    "community_id",
    "organization_id",
    "party_group_id",
    "status",
    "category",
    "joined_on",
    "confirmed_on",
    "state",
    "in_hardship",
    "out_of_contact_since",
    "photo",
    "note",
)
# Fields a form, the API or an import may set; the branch changes only through a transfer.
EDITABLE_FIELDS = frozenset(
    {
        "full_name",
        "gender",
        "ethnicity",
        "birth_date",
        "phone",
        "education",
        "occupation",
        "work_unit",
        "address",
        "community",
        "party_group",
        "status",
        "category",
        "joined_on",
        "confirmed_on",
        "in_hardship",
        "out_of_contact_since",
        "photo",
        "note",
    }
)


def _snapshot(member: Member) -> dict[str, Any]:
    values = {}
    for name in TRACKED_FIELDS:
        value = getattr(member, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif name == "photo":
            value = value.name if value else ""
        values[name] = value
    return values


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"from": before.get(name), "to": after[name]}
        for name in after
        if before.get(name) != after[name]
    }


def log_change(
    *, member: Member, actor: User | None, action: str, summary: str = "", changes: Any = None
) -> MemberChange:
    return MemberChange.objects.create(
        member=member,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        summary=summary[:200],
        changes=changes or {},
    )


def describe_duplicate(existing: Member, actor: User | None, *, known: bool | None = None) -> str:
    """Name where the existing record is, as far as `actor` may know (`known` when the caller
    has already checked the scope)."""
    if known is None:
        known = (
            actor is not None and Member.objects.visible_to(actor).filter(pk=existing.pk).exists()
        )
    if known:
        return _("This ID-card number is already on the record of %(name)s in %(branch)s.") % {
            "name": existing.full_name,
            "branch": existing.organization.name,
        }
    return _(
        "This ID-card number is already on a member record kept by another organisation of this "
        "deployment; ask the sub-district office to check it."
    )


def _set_id_number(member: Member, number: str, *, actor: User | None, demo: bool = False) -> None:
    """Store `number` encrypted, hashed and masked, refusing a duplicate.

    `demo=True` is for the demo seed only: it skips the check digit so the seed can write numbers
    that FAIL it on purpose (they can never belong to anyone) and marks the row `is_demo_id`.
    """
    try:
        number = rules.validate_id_number(
            number, birth_date=member.birth_date, check_digit=not demo
        )
    except rules.InvalidIdNumber as exc:
        raise InvalidMemberData(str(exc), field="id_number") from None
    digest = hash_id_number(number)
    existing = (
        Member.objects.filter(id_number_hash=digest)
        .exclude(pk=member.pk)
        .select_related("organization")
        .first()
    )
    if existing is not None:
        raise DuplicateIdNumber(describe_duplicate(existing, actor), field="id_number")
    member.id_number_encrypted = encrypt_id_number(number)
    member.id_number_hash = digest
    member.id_number_masked = rules.mask_id_number(number)
    member.is_demo_id = demo
    if member.birth_date is None:
        member.birth_date = rules.birth_date_of(number)
    if not member.gender:
        member.gender = rules.gender_of(number)


def check_record(member: Member, *, actor: User | None) -> None:
    """The cross-field rules of a record; raises `InvalidMemberData` naming the field."""
    if member.organization.kind not in (
        OrganizationKind.BRANCH,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.COMMITTEE,
    ):
        raise InvalidMemberData(
            _("A member's record is kept by a branch, general branch or party committee."),
            field="organization",
        )
    if actor is not None and not (
        Organization.objects.visible_to(actor).filter(pk=member.organization_id).exists()
    ):
        raise InvalidMemberData(_("You cannot keep records for this branch."), field="organization")
    group = member.party_group
    if group is not None and not (
        group.kind == OrganizationKind.PARTY_GROUP
        and group.path.startswith(member.organization.path)
    ):
        raise InvalidMemberData(
            _("The party group must belong to the member's branch."), field="party_group"
        )
    today = timezone.localdate()
    for name in ("birth_date", "joined_on", "confirmed_on", "out_of_contact_since"):
        value = getattr(member, name)
        if value is not None and value > today:
            raise InvalidMemberData(_("This date is in the future."), field=name)
    if (
        member.birth_date
        and member.joined_on
        and rules.age_on(member.birth_date, member.joined_on) < rules.MINIMUM_AGE
    ):
        raise InvalidMemberData(
            _("A member joins the party at 18 or older; check the birth date and the date joined."),
            field="joined_on",
        )
    if member.joined_on and member.confirmed_on and member.confirmed_on < member.joined_on:
        raise InvalidMemberData(
            _("Confirmation as a full member comes after joining."), field="confirmed_on"
        )
    if member.status == MemberStatus.PROBATIONARY and member.confirmed_on:
        raise InvalidMemberData(
            _("A probationary member has no confirmation date yet."), field="confirmed_on"
        )
    if member.phone and not rules.is_valid_phone(member.phone):
        raise InvalidMemberData(
            _("Enter an 11-digit mobile number or a landline with its area code."), field="phone"
        )


def _save(member: Member, *, actor: User | None) -> None:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        # The unique hash is the backstop when two requests store the same number at once.
        if "member_unique_id_number" in str(exc):
            raise DuplicateIdNumber(
                _("This ID-card number was just recorded by someone else; reload and check."),
                field="id_number",
            ) from None
        raise


@transaction.atomic
def create_member(*, actor: User | None, fields: dict[str, Any], id_number: str = "") -> Member:
    """Add a member to a branch's roll, with the ID number stored encrypted and unique."""
    unknown = set(fields) - EDITABLE_FIELDS - {"organization"}
    if unknown:
        raise InvalidMemberData(_("This field cannot be changed here."), field=sorted(unknown)[0])
    if fields.get("organization") is None:
        raise InvalidMemberData(_("Choose the member's branch."), field="organization")
    member = Member(**fields)
    check_record(member, actor=actor)
    if id_number:
        _set_id_number(member, id_number, actor=actor)
    _save(member, actor=actor)
    log_change(
        member=member,
        actor=actor,
        action=MemberChange.Action.CREATED,
        summary=_("Record created"),
        changes=_diff({}, _snapshot(member)),
    )
    record_audit(actor=actor, action="member.created", target=member)
    return member


@transaction.atomic
def update_member(
    *, member: Member, actor: User | None, fields: dict[str, Any], id_number: str | None = None
) -> Member:
    """Change a record's fields (not its branch: that is a transfer). `id_number=None` keeps it.

    The row is locked first so two editors cannot silently overwrite each other's history.
    """
    locked = Member.objects.select_for_update().get(pk=member.pk)
    before = _snapshot(locked)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise InvalidMemberData(_("This field cannot be changed here."), field=name)
        setattr(locked, name, value)
    check_record(locked, actor=actor)
    if id_number:
        _set_id_number(locked, id_number, actor=actor)
    elif locked.id_number_encrypted and not locked.is_demo_id and locked.birth_date:
        # The birth date must keep matching the stored number.
        stored = decrypt_id_number(locked.id_number_encrypted)
        if rules.birth_date_of(stored) != locked.birth_date:
            raise InvalidMemberData(
                _("The birth date no longer matches the ID-card number on record."),
                field="birth_date",
            )
    changes = _diff(before, _snapshot(locked))
    if not changes:
        return locked
    _save(locked, actor=actor)
    log_change(
        member=locked,
        actor=actor,
        action=MemberChange.Action.UPDATED,
        summary=_("Record changed"),
        changes=changes,
    )
    record_audit(
        actor=actor, action="member.updated", target=locked, data={"fields": sorted(changes)}
    )
    member.refresh_from_db()
    return locked


@transaction.atomic
def set_member_state(
    *, member: Member, actor: User | None, state: str, on: dt.date, reason: str = ""
) -> Member:
    """Take a member off the roll (left, deceased) or put them back; dated and audited."""
    if state not in MembershipState.values:
        raise InvalidMemberData(_("Unknown membership state."), field="state")
    if on > timezone.localdate():
        raise InvalidMemberData(_("This date is in the future."), field="on")
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.state == state:
        return locked
    before = locked.state
    locked.state = state
    locked.state_changed_on = on
    locked.save(update_fields=["state", "state_changed_on", "updated_at"])
    log_change(
        member=locked,
        actor=actor,
        action=MemberChange.Action.STATE,
        summary=reason[:200],
        changes={"state": {"from": before, "to": state}},
    )
    record_audit(actor=actor, action="member.state_changed", target=locked, data={"state": state})
    return locked


@transaction.atomic
def reveal_id_number(*, member: Member, actor: User, ip_address: str | None = None) -> str:
    """The full ID number, for a user holding `members.reveal_id_number` who confirmed.

    Every reveal writes an audit entry (who, whose, when, from where) in the same transaction;
    the number itself never goes into the audit, the history or a log line.
    """
    from django.core.exceptions import PermissionDenied

    if not actor.has_perm("members.reveal_id_number"):
        raise PermissionDenied
    if not member.id_number_encrypted:
        raise InvalidMemberData(_("No ID-card number is on this record."))
    number = decrypt_id_number(member.id_number_encrypted)
    record_audit(
        actor=actor,
        action="member.id_number_revealed",
        target=member,
        data={"masked": member.id_number_masked},
        ip_address=ip_address,
    )
    return number


def reassign_members(*, members: Any, to: Any, actor: User | None, reason: str) -> int:
    """Move members' records to another organisation because the tree changed (a merge or a
    split), keeping in each member's history the branch as it was. Call it inside the
    restructuring's transaction. Returns how many members moved."""
    moving = list(members.select_related("organization"))
    if not moving:
        return 0
    MemberChange.objects.bulk_create(
        [
            MemberChange(
                member=member,
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=MemberChange.Action.UPDATED,
                summary=reason[:200],
                changes={"organization": {"from": member.organization.name, "to": to.name}},
            )
            for member in moving
        ]
    )
    return Member.objects.filter(pk__in=[m.pk for m in moving]).update(organization=to)
