"""Reminders through the outbox: the month's bill on the reminder day, three months unpaid to the
member and the secretary; each once."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import OutgoingEmail, OutgoingSms
from dues.services.billing import bill_month
from dues.tasks import remind_dues
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db


def test_bill_due_reminder_waits_for_the_reminder_day_and_goes_once(clock, branch):
    clock.set(dt.date(2030, 6, 5))
    DuesBaseFactory(member__organization=branch, member__phone="13900001111")
    bill_month(dt.date(2030, 6, 1))
    assert remind_dues() == 0
    clock.set(dt.date(2030, 6, 20))
    assert remind_dues() == 1
    assert remind_dues() == 0
    assert list(OutgoingSms.objects.values_list("to", flat=True)) == ["13900001111"]


def test_three_months_unpaid_tells_the_member_and_the_secretary(clock, branch, secretary):
    secretary.email = "sec@example.org"
    secretary.save()
    clock.set(dt.date(2030, 7, 2))
    DuesBaseFactory(member__organization=branch, member__full_name="周欠费")
    for month in (4, 5, 6):
        bill_month(dt.date(2030, month, 1))
    assert remind_dues() == 1
    assert remind_dues() == 0
    email = OutgoingEmail.objects.get()
    assert email.to == "sec@example.org" and "周欠费" in email.body
    assert OutgoingSms.objects.count() == 1
