"""我的党费 and 我的积分: the member sees their own bills, reference codes and points, nobody
else's, on the phone pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dues.models import DuesBill
from dues.services.billing import bill_month
from members.models import Member
from points.services.recompute import recompute_member
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def test_the_member_sees_own_bills_and_reference_codes_only(member_client, member_user, branch):
    me = Member.objects.bound_to(member_user).get()
    DuesBaseFactory(member=me)
    other = DuesBaseFactory(member__organization=branch).member
    bill_month(dt.date(2026, 11, 1))
    mine = DuesBill.objects.get(member=me)
    theirs = DuesBill.objects.get(member=other)
    page = member_client.get(reverse("public:me-dues"))
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.reference in body and "97.50" in body
    assert theirs.reference not in body


def test_the_member_sees_own_points_with_their_source(member_client, member_user):
    me = Member.objects.bound_to(member_user).get()
    recompute_member(member=me, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31))
    page = member_client.get(reverse("public:me-points"), {"year": "2026"})
    assert page.status_code == 200
    assert "60" in page.content.decode().split('data-testid="points-total"')[1][:200]
    assert member_client.get(reverse("public:me-points"), {"year": "x"}).status_code == 200


def test_an_unbound_account_is_sent_to_the_binding_page(client, resident):
    client.force_login(resident)
    assert client.get(reverse("public:me-dues")).status_code == 302
    assert client.get(reverse("public:me-points")).status_code == 302
