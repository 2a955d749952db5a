"""Recording payments: several members at once, back-payment limit, advance, voluntary apart,
never twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import AuditEntry
from dues.errors import AlreadyPaid, DuesRefused
from dues.models import DuesBill, DuesPayment, Receipt
from dues.services.billing import bill_month
from dues.services.payments import pay_in_advance, record_payments, record_voluntary_payment
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def bills(today, branch):
    bases = DuesBaseFactory.create_batch(2, member__organization=branch)
    for month in range(1, 7):
        bill_month(dt.date(2030, month, 1))
    return bases


def test_several_members_several_months_one_receipt_each(bills, secretary, today):
    ids = list(DuesBill.objects.filter(month__gte=dt.date(2030, 5, 1)).values_list("pk", flat=True))
    receipts = record_payments(actor=secretary, bill_ids=ids, paid_on=today, method="cash")
    assert len(receipts) == 2
    assert {r.total for r in receipts} == {D("195.00")}
    assert all(r.number.startswith("DF2030-") for r in receipts)
    assert DuesPayment.objects.count() == 4
    assert DuesBill.objects.filter(paid_on=today).count() == 4
    assert AuditEntry.objects.filter(action="dues.payment_recorded").count() == 2


def test_a_paid_month_is_refused_and_nothing_is_written(bills, secretary, today):
    bill = DuesBill.objects.filter(month=dt.date(2030, 6, 1)).first()
    record_payments(actor=secretary, bill_ids=[bill.pk], paid_on=today, method="cash")
    other = DuesBill.objects.filter(month=dt.date(2030, 5, 1)).first()
    with pytest.raises(AlreadyPaid):
        record_payments(actor=secretary, bill_ids=[bill.pk, other.pk], paid_on=today, method="cash")
    assert DuesPayment.objects.count() == 1
    assert Receipt.objects.count() == 1


def test_back_payment_reaches_six_months_only(today, branch, secretary):
    DuesBaseFactory(member__organization=branch)
    bill_month(dt.date(2029, 11, 1))
    bill_month(dt.date(2029, 12, 1))
    old = DuesBill.objects.get(month=dt.date(2029, 11, 1))
    with pytest.raises(DuesRefused, match="6"):
        record_payments(actor=secretary, bill_ids=[old.pk], paid_on=today, method="cash")
    # December is the sixth month back from June: still allowed.
    december = DuesBill.objects.get(month=dt.date(2029, 12, 1))
    record_payments(actor=secretary, bill_ids=[december.pk], paid_on=today, method="transfer")
    assert DuesPayment.objects.get().reference == december.reference


def test_paying_in_advance_is_capped_by_the_setting(today, branch, secretary):
    base = DuesBaseFactory(member__organization=branch)
    with pytest.raises(DuesRefused):
        pay_in_advance(actor=secretary, member=base.member, months=13, paid_on=today, method="cash")
    receipt = pay_in_advance(
        actor=secretary, member=base.member, months=3, paid_on=today, method="cash"
    )
    assert receipt.total == D("292.50")
    assert list(
        DuesBill.objects.filter(paid_on=today).values_list("month", flat=True).order_by("month")
    ) == [dt.date(2030, 7, 1), dt.date(2030, 8, 1), dt.date(2030, 9, 1)]
    # The month's billing later adds no second bill for a month paid ahead.
    assert bill_month(dt.date(2030, 7, 1)) == (0, 0)


def test_voluntary_payment_is_recorded_apart(today, branch, secretary):
    base = DuesBaseFactory(member__organization=branch)
    receipt = record_voluntary_payment(
        actor=secretary,
        member=base.member,
        amount=D("1000"),
        kind="special",
        paid_on=today,
        method="transfer",
    )
    payment = receipt.payments.get()
    assert payment.bill is None and payment.amount == D("1000.00")
    assert not DuesBill.objects.exists()


def test_another_branchs_secretary_cannot_record(bills, other_secretary, today):
    bill = DuesBill.objects.first()
    with pytest.raises(DuesRefused):
        record_payments(actor=other_secretary, bill_ids=[bill.pk], paid_on=today, method="cash")
    assert not DuesPayment.objects.exists()


def test_a_future_payment_date_is_refused(bills, secretary, today):
    bill = DuesBill.objects.first()
    with pytest.raises(DuesRefused):
        record_payments(
            actor=secretary, bill_ids=[bill.pk], paid_on=today + dt.timedelta(days=1), method="cash"
        )
