"""Monthly billing: the roll of the month's first day, idempotent, re-pricing unpaid bills only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dues.models import DuesBill, DuesSettings, JoinRule
from dues.services.bases import correct_base, declare_base
from dues.services.billing import bill_month
from dues.services.payments import record_payments
from dues.tasks import bill_dues
from members.models import Transfer
from tests.dues.factories import DuesBaseFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
JUNE = dt.date(2030, 6, 1)
D = Decimal


def test_billing_twice_makes_no_second_bill(today, branch):
    DuesBaseFactory.create_batch(3, member__organization=branch)
    assert bill_month(JUNE) == (3, 0)
    assert bill_month(JUNE) == (0, 0)
    assert DuesBill.objects.count() == 3
    bill = DuesBill.objects.first()
    assert bill.amount_due == D("97.50")
    assert bill.reference == f"DF3006{bill.member_id:08d}"


def test_the_beat_task_bills_the_current_month(today, branch):
    DuesBaseFactory(member__organization=branch)
    assert bill_dues() == 1
    assert bill_dues() == 0
    assert DuesBill.objects.get().month == JUNE


def test_member_without_a_base_or_off_the_roll_is_not_billed(today, branch):
    MemberFactory(organization=branch)
    DuesBaseFactory(
        member__organization=branch,
        member__state="left",
        member__state_changed_on=dt.date(2030, 5, 20),
    )
    assert bill_month(JUNE) == (0, 0)


def test_member_leaving_mid_month_is_billed_that_month(today, branch):
    DuesBaseFactory(
        member__organization=branch,
        member__state="deceased",
        member__state_changed_on=dt.date(2030, 6, 10),
    )
    assert bill_month(JUNE) == (1, 0)


def test_probationary_member_pays_from_the_month_of_admission(today, branch):
    member = MemberFactory(
        organization=branch,
        status="probationary",
        joined_on=dt.date(2030, 6, 12),
        confirmed_on=None,
    )
    DuesBaseFactory(member=member, started_on=dt.date(2030, 6, 12), amount=D("4000"))
    assert bill_month(JUNE) == (1, 0)
    assert DuesBill.objects.get().amount_due == D("40.00")


def _arrived(branch, day):
    member = MemberFactory(organization=branch)
    DuesBaseFactory(member=member)
    Transfer.objects.create(
        member=member,
        kind="inbound",
        to_organization=branch,
        external_organization="外地",
        issued_on=day,
        valid_until=day + dt.timedelta(days=30),
        state="accepted",
        decided_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        number="T-1",
    )
    return member


def test_arrival_mid_month_is_billed_from_the_next_month_by_default(today, branch):
    _arrived(branch, dt.date(2030, 6, 10))
    assert bill_month(JUNE) == (0, 0)
    assert bill_month(dt.date(2030, 7, 1)) == (1, 0)


def test_arrival_mid_month_is_billed_that_month_when_the_setting_says_so(today, branch):
    DuesSettings.objects.create(sub_district=branch.sub_district, join_rule=JoinRule.THIS_MONTH)
    _arrived(branch, dt.date(2030, 6, 10))
    assert bill_month(JUNE) == (1, 0)


def test_internal_transfer_mid_month_leaves_the_month_with_the_sending_branch(
    today, branch, other_branch
):
    member = MemberFactory(organization=other_branch)
    DuesBaseFactory(member=member)
    Transfer.objects.create(
        member=member,
        kind="internal",
        from_organization=branch,
        to_organization=other_branch,
        issued_on=dt.date(2030, 6, 5),
        valid_until=dt.date(2030, 7, 5),
        state="accepted",
        decided_at=timezone.make_aware(dt.datetime(2030, 6, 10, 10)),
        number="T-2",
    )
    bill_month(JUNE)
    bill_month(dt.date(2030, 7, 1))
    assert dict(DuesBill.objects.values_list("month", "organization_id")) == {
        JUNE: branch.pk,
        dt.date(2030, 7, 1): other_branch.pk,
    }


def test_corrected_base_reprices_unpaid_bills_never_paid_ones(today, branch, secretary):
    base = DuesBaseFactory(member__organization=branch, started_on=dt.date(2030, 1, 1))
    for month in (4, 5, 6):
        bill_month(dt.date(2030, month, 1))
    april = DuesBill.objects.get(month=dt.date(2030, 4, 1))
    record_payments(actor=secretary, bill_ids=[april.pk], paid_on=today, method="cash")
    correct_base(actor=secretary, base=base, category="in_service", amount=D("4000"))
    amounts = dict(DuesBill.objects.values_list("month", "amount_due"))
    assert amounts == {
        dt.date(2030, 4, 1): D("97.50"),
        dt.date(2030, 5, 1): D("40.00"),
        JUNE: D("40.00"),
    }


def test_new_base_prices_the_months_from_its_start(today, branch, secretary):
    base = DuesBaseFactory(member__organization=branch, started_on=dt.date(2030, 1, 1))
    for month in (5, 6):
        bill_month(dt.date(2030, month, 1))
    declare_base(
        actor=secretary, member=base.member, category="retired", amount=D("6000"), started_on=JUNE
    )
    amounts = dict(DuesBill.objects.values_list("month", "amount_due"))
    assert amounts == {dt.date(2030, 5, 1): D("97.50"), JUNE: D("60.00")}
    base.refresh_from_db()
    assert base.ended_on == dt.date(2030, 5, 31)
