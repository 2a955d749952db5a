"""Recording money received: bills paid (one or several months, several members at once),
months paid in advance, voluntary payments; each member's payments of one recording get one
numbered receipt.

No payment is recorded twice: the bills are locked (`select_for_update`, in primary-key order, so
two recordings cannot deadlock) and re-read, a paid one refuses the whole recording
(`AlreadyPaid`, 409); the database backs this with a unique bill and a unique reference on the
payment, so even a path that forgot the lock cannot write a second payment.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from dues import rules
from dues.errors import AlreadyPaid, DuesRefused
from dues.models import (
    DuesBill,
    DuesPayment,
    DuesSettings,
    PaymentKind,
    PaymentMethod,
    Receipt,
)
from dues.services.billing import bill_month
from members import extensions
from members.models import Member


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _check_day(paid_on: dt.date, method: str) -> None:
    if method not in PaymentMethod.values:
        raise DuesRefused(_("Choose how the money was paid."), field="method")
    if paid_on > timezone.localdate():
        raise DuesRefused(_("The payment cannot be dated in the future."), field="paid_on")


def _receipt(
    *,
    actor: User | None,
    member_id: int,
    organization_id: int,
    paid_on: dt.date,
    method: str,
    total: Decimal,
) -> Receipt:
    receipt = Receipt.objects.create(
        member_id=member_id,
        organization_id=organization_id,
        issued_on=paid_on,
        total=total,
        method=method,
        issued_by=_actor(actor),
    )
    receipt.number = f"DF{paid_on:%Y}-{receipt.pk:06d}"
    receipt.save(update_fields=["number"])
    return receipt


@transaction.atomic
def record_payments(
    *,
    actor: User | None,
    bill_ids: Sequence[int],
    paid_on: dt.date,
    method: str,
) -> list[Receipt]:
    """Record the chosen bills as paid on `paid_on`: all of them or none.

    Refused: a bill out of the actor's scope, one already paid (409), a month more than
    `rules.BACK_PAYMENT_MONTHS` before the payment (补缴 at most six months back), a month further
    ahead than the sub-district's `advance_months`. One receipt per member."""
    _check_day(paid_on, method)
    ids = sorted(set(bill_ids))
    if not ids:
        raise DuesRefused(_("Choose at least one month to record."), field="bills")
    rows = DuesBill.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    if actor is not None:
        rows = rows.visible_to(actor)
    bills = list(rows.select_related("member", "organization"))
    if len(bills) != len(ids):
        raise DuesRefused(_("Some of the chosen bills are not yours to record."), field="bills")
    paid = [b for b in bills if b.paid_on is not None]
    if paid:
        raise AlreadyPaid(
            _("Already paid, nothing was recorded: %(list)s")
            % {"list": "、".join(f"{b.member.full_name} {b.month:%Y-%m}" for b in paid)}
        )
    advance = {
        b.organization.sub_district_id: DuesSettings.for_sub_district(
            b.organization.sub_district_id
        ).advance_months
        for b in bills
    }
    for bill in bills:
        if not rules.back_payment_allowed(bill.month, paid_on):
            raise DuesRefused(
                _(
                    "%(name)s %(month)s is more than %(count)s months back; back-payment reaches "
                    "at most %(count)s months."
                )
                % {
                    "name": bill.member.full_name,
                    "month": f"{bill.month:%Y-%m}",
                    "count": rules.BACK_PAYMENT_MONTHS,
                },
                field="bills",
            )
        if not rules.advance_allowed(
            bill.month, paid_on, advance[bill.organization.sub_district_id]
        ):
            raise DuesRefused(
                _("%(month)s is further ahead than months may be paid in advance.")
                % {"month": f"{bill.month:%Y-%m}"},
                field="bills",
            )
    by_member: dict[int, list[DuesBill]] = defaultdict(list)
    for bill in bills:
        by_member[bill.member_id].append(bill)
    receipts = []
    payments = []
    for member_bills in by_member.values():
        first = member_bills[0]
        receipt = _receipt(
            actor=actor,
            member_id=first.member_id,
            organization_id=first.organization_id,
            paid_on=paid_on,
            method=method,
            total=sum((b.amount_due for b in member_bills), Decimal("0")),
        )
        receipts.append(receipt)
        payments.extend(
            DuesPayment(
                member_id=b.member_id,
                organization_id=b.organization_id,
                bill=b,
                receipt=receipt,
                kind=PaymentKind.DUES,
                method=method,
                amount=b.amount_due,
                paid_on=paid_on,
                reference=b.reference,
                recorded_by=_actor(actor),
            )
            for b in member_bills
            if b.amount_due > 0
        )
    try:
        with transaction.atomic():
            DuesPayment.objects.bulk_create(payments)
    except IntegrityError:
        raise AlreadyPaid(_("These months were paid meanwhile; nothing was recorded.")) from None
    updated = DuesBill.objects.filter(pk__in=ids, paid_on__isnull=True).update(
        paid_on=paid_on, updated_at=timezone.now()
    )
    if updated != len(ids):
        raise AlreadyPaid(_("These months were paid meanwhile; nothing was recorded."))
    # Member points count a month paid on time or three months late (points recompute after
    # commit): the months paid and the day each would have become late.
    extensions.records_changed(
        member_ids={b.member_id for b in bills},
        days={b.month for b in bills} | {rules.add_months(b.month, 3) for b in bills},
    )
    for receipt in receipts:
        record_audit(
            actor=actor,
            action="dues.payment_recorded",
            target=receipt,
            data={
                "bills": [b.pk for b in by_member[receipt.member_id]],
                "total": str(receipt.total),
                "method": method,
            },
        )
    return receipts


@transaction.atomic
def pay_in_advance(
    *, actor: User | None, member: Member, months: int, paid_on: dt.date, method: str
) -> Receipt:
    """Pay the next `months` months ahead (at most the sub-district's `advance_months`): their
    bills are made now on the base in force, then recorded paid like any other."""
    settings = DuesSettings.for_sub_district(member.organization.sub_district_id)
    if months < 1 or months > settings.advance_months:
        raise DuesRefused(
            _("Between 1 and %(count)s months may be paid in advance.")
            % {"count": settings.advance_months},
            field="months",
        )
    start = rules.month_start(paid_on)
    targets = [rules.add_months(start, i) for i in range(1, months + 1)]
    for month in targets:
        bill_month(month, member_ids=[member.pk])
    bills = DuesBill.objects.filter(member=member, month__in=targets, paid_on__isnull=True)
    ids = list(bills.values_list("pk", flat=True))
    if len(ids) != months:
        raise DuesRefused(
            _(
                "Those months cannot be billed yet: declare the member's base first, or some are "
                "already paid."
            ),
            field="months",
        )
    receipts = record_payments(actor=actor, bill_ids=ids, paid_on=paid_on, method=method)
    return receipts[0]


@transaction.atomic
def record_voluntary_payment(
    *,
    actor: User | None,
    member: Member,
    amount: Decimal,
    kind: str,
    paid_on: dt.date,
    method: str,
) -> Receipt:
    """A voluntary extra payment (自愿多交) or special dues (特殊党费): recorded apart from the
    monthly bills, with its own receipt."""
    _check_day(paid_on, method)
    if kind not in (PaymentKind.VOLUNTARY, PaymentKind.SPECIAL):
        raise DuesRefused(_("Choose the kind of payment."), field="kind")
    if amount is None or amount <= 0:
        raise DuesRefused(_("The amount is more than zero."), field="amount")
    amount = rules.money(amount)
    if actor is not None and not Member.objects.visible_to(actor).filter(pk=member.pk).exists():
        raise DuesRefused(_("This member is not in your branch."), field="member")
    receipt = _receipt(
        actor=actor,
        member_id=member.pk,
        organization_id=member.organization_id,
        paid_on=paid_on,
        method=method,
        total=amount,
    )
    DuesPayment.objects.create(
        member=member,
        organization_id=member.organization_id,
        receipt=receipt,
        kind=kind,
        method=method,
        amount=amount,
        paid_on=paid_on,
        reference=f"V{uuid.uuid4().hex[:20].upper()}",
        recorded_by=_actor(actor),
    )
    record_audit(
        actor=actor,
        action="dues.voluntary_recorded",
        target=receipt,
        data={"kind": kind, "total": str(amount)},
    )
    return receipt
