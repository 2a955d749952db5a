"""No payment is recorded twice, even when ten requests record the same month at one instant."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.db import connection

from accounts.models import User
from dues.errors import AlreadyPaid
from dues.models import DuesBill, DuesPayment, Receipt
from dues.services.billing import bill_month
from dues.services.payments import record_payments
from tests.dues.factories import DuesBaseFactory
from tests.parallel import run_together

PARALLEL = 10


@pytest.mark.django_db(transaction=True)
def test_parallel_recordings_of_one_month_record_one_payment(clock, branch, secretary):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real parallel requests need PostgreSQL")
    clock.set(dt.date(2030, 6, 15))
    DuesBaseFactory(member__organization=branch)
    bill_month(dt.date(2030, 6, 1))
    bill = DuesBill.objects.get()
    actor = User.objects.get(pk=secretary.pk)
    calls = [
        partial(
            record_payments,
            actor=actor,
            bill_ids=[bill.pk],
            paid_on=dt.date(2030, 6, 15),
            method="cash",
        )
        for _ in range(PARALLEL)
    ]
    outcomes = run_together(calls)
    assert sum(isinstance(o, list) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyPaid) for o in outcomes) == PARALLEL - 1
    assert DuesPayment.objects.count() == 1
    assert Receipt.objects.count() == 1
