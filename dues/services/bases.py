"""Declaring and correcting a member's dues base (党费基数)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from dues import rules
from dues.errors import DuesRefused
from dues.models import (
    BaseDeclaration,
    DeclarationState,
    DuesBase,
    DuesBill,
    DuesCategory,
)
from dues.services.billing import reprice_bills
from members.binding.services import member_of
from members.models import Member


def _check(category: str, amount: Decimal) -> Decimal:
    if category not in DuesCategory.values:
        raise DuesRefused(_("Choose the member's dues category."), field="category")
    if amount is None or amount < 0:
        raise DuesRefused(_("The base is an amount of zero or more."), field="amount")
    if category in rules.FLAT_CATEGORIES:
        return Decimal("0.00")
    if amount == 0:
        raise DuesRefused(
            _("Enter the monthly income (after tax) or the basic pension."), field="amount"
        )
    return rules.money(amount)


def _check_start(member: Member, started_on: dt.date) -> None:
    """A member's declaration starts within the next year and after the base in force."""
    if started_on > timezone.localdate() + dt.timedelta(days=366):
        raise DuesRefused(_("A base starts within the next year."), field="started_on")
    current = DuesBase.objects.filter(member=member, ended_on__isnull=True).first()
    if current is not None and started_on <= current.started_on:
        raise DuesRefused(
            _("The base in force started on %(day)s; a new base starts after it.")
            % {"day": current.started_on.isoformat()},
            field="started_on",
        )


def _reprice_from(member: Member, month: dt.date) -> int:
    """Re-price the member's unpaid bills from `month` on (a few months: one statement each)."""
    months = (
        DuesBill.objects.filter(member=member, month__gte=month, paid_on__isnull=True)
        .values_list("month", flat=True)
        .distinct()
    )
    return sum(reprice_bills(m, member_ids=[member.pk]) for m in sorted(set(months)))


@transaction.atomic
def declare_base(
    *,
    actor: User | None,
    member: Member,
    category: str,
    amount: Decimal,
    started_on: dt.date,
    note: str = "",
) -> DuesBase:
    """Record a new base from `started_on` (normally January, or a change of income); the base
    in force until then ends the day before. Unpaid bills of the months it now prices are
    re-priced; paid ones keep what was paid."""
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    amount = _check(category, amount)
    today = timezone.localdate()
    if started_on > today + dt.timedelta(days=366):
        raise DuesRefused(_("A base starts within the next year."), field="started_on")
    current = DuesBase.objects.filter(member=member, ended_on__isnull=True).first()
    if current is not None:
        if started_on <= current.started_on:
            raise DuesRefused(
                _(
                    "The base in force started on %(day)s; a new base starts after it "
                    "(to fix a wrong figure, correct that base)."
                )
                % {"day": current.started_on.isoformat()},
                field="started_on",
            )
        current.ended_on = started_on - dt.timedelta(days=1)
        current.save(update_fields=["ended_on"])
    base = DuesBase.objects.create(
        member=member,
        category=category,
        amount=amount,
        started_on=started_on,
        note=note[:200],
        declared_by=actor if actor is not None and actor.is_authenticated else None,
    )
    repriced = _reprice_from(member, started_on.replace(day=1))
    record_audit(
        actor=actor,
        action="dues.base_declared",
        target=base,
        data={"category": category, "started_on": started_on.isoformat(), "repriced": repriced},
    )
    return base


@transaction.atomic
def correct_base(
    *, actor: User | None, base: DuesBase, category: str, amount: Decimal, note: str = ""
) -> DuesBase:
    """Fix a wrongly entered base in place: the unpaid bills it priced are re-priced, the paid
    ones keep their amount (the audit entry keeps the old figures)."""
    base = DuesBase.objects.select_for_update().get(pk=base.pk)
    amount = _check(category, amount)
    before = {"category": base.category, "amount": str(base.amount)}
    base.category = category
    base.amount = amount
    if note:
        base.note = note[:200]
    base.save(update_fields=["category", "amount", "note"])
    repriced = _reprice_from(base.member, base.started_on.replace(day=1))
    record_audit(
        actor=actor,
        action="dues.base_corrected",
        target=base,
        data={"before": before, "repriced": repriced},
    )
    return base


@transaction.atomic
def submit_declaration(
    *,
    actor: User,
    member: Member,
    category: str,
    amount: Decimal,
    started_on: dt.date,
    note: str = "",
) -> BaseDeclaration:
    """The member declares their own base (党费基数申报): it waits for the branch's secretary,
    and bills keep their base until it is confirmed. One declaration waits at a time."""
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    amount = _check(category, amount)
    _check_start(member, started_on)
    if BaseDeclaration.objects.filter(member=member, state=DeclarationState.PENDING).exists():
        raise DuesRefused(
            _("Your earlier declaration is still waiting for the secretary."), field="amount"
        )
    declaration = BaseDeclaration.objects.create(
        member=member,
        category=category,
        amount=amount,
        started_on=started_on,
        note=note[:200],
        declared_by=actor,
    )
    # No figure in the audit: the base is personal data.
    record_audit(actor=actor, action="dues.base_declaration_submitted", target=declaration)
    return declaration


def _pending(declaration: BaseDeclaration) -> BaseDeclaration:
    declaration = BaseDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state != DeclarationState.PENDING:
        raise DuesRefused(_("This declaration has already been decided."))
    return declaration


def _not_own(actor: User, declaration: BaseDeclaration) -> None:
    own = member_of(actor)
    if declaration.declared_by_id == actor.pk or (
        own is not None and own.pk == declaration.member_id
    ):
        raise DuesRefused(_("A member's own declaration is confirmed by the secretary."))


@transaction.atomic
def confirm_declaration(*, actor: User, declaration: BaseDeclaration) -> DuesBase:
    """The secretary confirms a member's declaration: it becomes the base in force from its day
    (unpaid bills re-priced, as when the secretary records a base)."""
    declaration = _pending(declaration)
    _not_own(actor, declaration)
    base = declare_base(
        actor=actor,
        member=declaration.member,
        category=declaration.category,
        amount=declaration.amount,
        started_on=declaration.started_on,
        note=declaration.note or _("Declared by the member"),
    )
    declaration.state = DeclarationState.CONFIRMED
    declaration.decided_by = actor
    declaration.decided_at = timezone.now()
    declaration.base = base
    declaration.save(update_fields=["state", "decided_by", "decided_at", "base"])
    record_audit(actor=actor, action="dues.base_declaration_confirmed", target=declaration)
    return base


@transaction.atomic
def refuse_declaration(*, actor: User, declaration: BaseDeclaration, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DuesRefused(_("Give the member the reason."), field="reason")
    declaration = _pending(declaration)
    _not_own(actor, declaration)
    declaration.state = DeclarationState.REFUSED
    declaration.decided_by = actor
    declaration.decided_at = timezone.now()
    declaration.reason = reason[:200]
    declaration.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    record_audit(actor=actor, action="dues.base_declaration_refused", target=declaration)
