"""A member with unpaid months is not sent out unless the sub-district records an exception;
the letter says up to which month dues were paid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dues.models import DuesBill
from dues.services.billing import bill_month
from dues.services.money import record_arrears_exception
from dues.services.payments import record_payments
from members.errors import TransferRefused
from members.transfers import issue_transfer
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(today, branch):
    base = DuesBaseFactory(member__organization=branch)
    for month in (3, 4, 5):
        bill_month(dt.date(2030, month, 1))
    return base.member


def _issue(member, actor, today):
    return issue_transfer(
        actor=actor,
        member=member,
        kind="outbound",
        issued_on=today,
        external_organization="外省某党支部",
    )


def test_transfer_refused_with_unpaid_months(member, secretary, today):
    with pytest.raises(TransferRefused, match="2030-03"):
        _issue(member, secretary, today)
    assert not member.transfers.exists()


def test_exception_of_the_sub_district_lets_the_transfer_go(member, secretary, staff, today):
    record_arrears_exception(
        actor=staff,
        member=member,
        reason="随子女迁居外地",
        valid_until=today + dt.timedelta(days=10),
    )
    assert _issue(member, secretary, today).pk


def test_letter_shows_the_month_dues_are_paid_up_to(member, secretary, today, client):
    ids = list(DuesBill.objects.filter(member=member).values_list("pk", flat=True))
    record_payments(actor=secretary, bill_ids=ids, paid_on=today, method="cash")
    transfer = _issue(member, secretary, today)
    client.force_login(secretary)
    response = client.get(reverse("staff:transfer-detail", args=[transfer.pk]))
    assert "2030年05月" in response.content.decode()
