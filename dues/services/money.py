"""The money's way up and its use: remittances (上缴), the use ledger (下拨 and spending), and
the sub-district's exception that lets a member with unpaid months be transferred."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from branches.models import Organization, SubDistrict
from dues import rules
from dues.errors import DuesRefused
from dues.models import ArrearsException, DuesPayment, LedgerEntry, LedgerKind, Remittance
from members.models import Member


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def collected(organization_id: int, month: dt.date) -> Decimal:
    """What a branch received in a month (every payment dated in it): what it remits."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    total = DuesPayment.objects.filter(
        organization_id=organization_id, paid_on__range=(first, last)
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


@transaction.atomic
def record_remittance(
    *,
    actor: User | None,
    organization: Organization,
    month: dt.date,
    amount: Decimal,
    remitted_on: dt.date,
    document_reference: str,
) -> Remittance:
    """Record a branch's month handed upward; refused unless it equals what the branch
    collected that month (the check every inspection makes), once per branch and month."""
    month = month.replace(day=1)
    if actor is not None and not (
        Organization.objects.visible_to(actor).filter(pk=organization.pk).exists()
    ):
        raise DuesRefused(_("This branch is not yours to record."), field="organization")
    if remitted_on > timezone.localdate():
        raise DuesRefused(_("The date cannot be in the future."), field="remitted_on")
    if remitted_on < month:
        raise DuesRefused(
            _("A month's dues are remitted after they were collected."), field="remitted_on"
        )
    if not document_reference.strip():
        raise DuesRefused(_("Give the voucher or document number."), field="document_reference")
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    expected = collected(organization.pk, month)
    amount = rules.money(amount)
    if amount != expected:
        raise DuesRefused(
            _("The branch collected %(collected)s yuan in %(month)s; the remittance must equal it.")
            % {"collected": expected, "month": f"{month:%Y-%m}"},
            field="amount",
        )
    try:
        with transaction.atomic():
            remittance = Remittance.objects.create(
                organization=organization,
                month=month,
                amount=amount,
                remitted_on=remitted_on,
                document_reference=document_reference.strip()[:60],
                recorded_by=_actor(actor),
            )
    except IntegrityError:
        raise DuesRefused(
            _("This month's remittance is already recorded."), field="month"
        ) from None
    record_audit(
        actor=actor,
        action="dues.remitted",
        target=remittance,
        data={"amount": str(amount), "month": f"{month:%Y-%m}"},
    )
    return remittance


@transaction.atomic
def record_ledger_entry(
    *,
    actor: User | None,
    sub_district: SubDistrict,
    kind: str,
    amount: Decimal,
    entry_on: dt.date,
    document_reference: str,
    description: str,
    organization: Organization | None = None,
) -> LedgerEntry:
    """A line of the use ledger; an allocation names the branch it goes to, every line its
    document."""
    if kind not in LedgerKind.values:
        raise DuesRefused(_("Choose the purpose."), field="kind")
    if amount is None or amount <= 0:
        raise DuesRefused(_("The amount is more than zero."), field="amount")
    if entry_on > timezone.localdate():
        raise DuesRefused(_("The date cannot be in the future."), field="entry_on")
    if not document_reference.strip():
        raise DuesRefused(_("Give the voucher or document number."), field="document_reference")
    if kind == LedgerKind.ALLOCATION and (
        organization is None or organization.sub_district_id != sub_district.pk
    ):
        raise DuesRefused(
            _("An allocation names a branch of the sub-district."), field="organization"
        )
    entry = LedgerEntry.objects.create(
        sub_district=sub_district,
        organization=organization if kind == LedgerKind.ALLOCATION else None,
        kind=kind,
        amount=rules.money(amount),
        entry_on=entry_on,
        document_reference=document_reference.strip()[:60],
        description=description.strip()[:200],
        recorded_by=_actor(actor),
    )
    record_audit(
        actor=actor,
        action="dues.ledger_entry",
        target=entry,
        data={"kind": kind, "amount": str(entry.amount)},
    )
    return entry


@transaction.atomic
def record_arrears_exception(
    *, actor: User | None, member: Member, reason: str, valid_until: dt.date
) -> ArrearsException:
    """The sub-district lets a member with unpaid months be transferred out until
    `valid_until` (the reason is kept; the arrears stay on the books)."""
    if not reason.strip():
        raise DuesRefused(_("Give the reason for the exception."), field="reason")
    today = timezone.localdate()
    if valid_until < today or valid_until > today + dt.timedelta(days=90):
        raise DuesRefused(
            _("An exception holds from today for at most 90 days."), field="valid_until"
        )
    exception = ArrearsException.objects.create(
        member=member,
        reason=reason.strip()[:200],
        valid_until=valid_until,
        recorded_by=_actor(actor),
    )
    record_audit(actor=actor, action="dues.exception_recorded", target=exception)
    return exception
