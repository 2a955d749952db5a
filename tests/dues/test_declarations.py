"""The member's own base declaration (我的党费): declared on the member's page, dated, in force only
once the branch's secretary confirms it (then unpaid bills are re-priced); refused with a reason;
bad input writes nothing; scope. And the bank statement's column mapping remembered per branch."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from dues.errors import DuesRefused
from dues.models import BaseDeclaration, DuesBase, DuesBill
from dues.reconciliation import DEFAULT_COLUMNS, import_statement, remembered_columns
from dues.services import bases
from dues.services.billing import bill_month
from members.binding.services import member_of
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(member_user, today):
    record = member_of(member_user)
    DuesBaseFactory(member=record, amount=Decimal("6500.00"))
    bill_month(dt.date(2030, 6, 1))
    return record


def _declare(client, **data):
    payload = {
        "category": "in_service",
        "amount": "3000.00",
        "started_on": "2030-06-01",
        "note": "工资调整",
    } | data
    return client.post(reverse("public:me-dues"), payload)


def test_member_declares_and_the_secretary_confirms(client, member_user, member, secretary):
    client.force_login(member_user)
    response = _declare(client)
    assert response.status_code == 302
    declaration = BaseDeclaration.objects.get(member=member)
    assert declaration.state == "pending"
    assert declaration.declared_by == member_user
    # Not in force until confirmed: the bill keeps the old base.
    assert DuesBill.objects.get(member=member).amount_due == Decimal("97.50")
    assert "待书记确认" in client.get(reverse("public:me-dues")).content.decode()

    client.force_login(secretary)
    response = client.post(
        reverse("staff:dues-declarations"),
        {"declaration": declaration.pk, "decision": "confirm"},
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.state == "confirmed"
    assert declaration.decided_by == secretary
    assert declaration.base.amount == Decimal("3000.00")
    assert declaration.base.started_on == dt.date(2030, 6, 1)
    assert DuesBill.objects.get(member=member).amount_due == Decimal("15.00")
    assert DuesBase.objects.filter(member=member, ended_on=dt.date(2030, 5, 31)).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"amount": "-1"},
        {"amount": "0"},  # in service: the income is needed
        {"category": "gold"},
        {"started_on": "2032-01-01"},  # more than a year ahead
        {"started_on": "2019-01-01"},  # before the base in force
    ],
)
def test_bad_declaration_writes_nothing(client, member_user, member, data):
    client.force_login(member_user)
    response = _declare(client, **data)
    assert response.status_code == 400
    assert not BaseDeclaration.objects.exists()


def test_one_declaration_waits_at_a_time(client, member_user, member):
    client.force_login(member_user)
    assert _declare(client).status_code == 302
    response = _declare(client, amount="3500.00")
    assert response.status_code == 400
    assert "仍在等待" in response.content.decode()
    assert BaseDeclaration.objects.count() == 1


def test_refusal_needs_a_reason_and_the_member_sees_it(client, member_user, member, secretary):
    declaration = bases.submit_declaration(
        actor=member_user,
        member=member,
        category="retired",
        amount=Decimal("4100"),
        started_on=dt.date(2030, 7, 1),
    )
    client.force_login(secretary)
    url = reverse("staff:dues-declarations")
    response = client.post(url, {"declaration": declaration.pk, "decision": "refuse"})
    assert response.status_code == 400
    declaration.refresh_from_db()
    assert declaration.state == "pending"
    client.post(url, {"declaration": declaration.pk, "decision": "refuse", "reason": "尚未退休"})
    declaration.refresh_from_db()
    assert declaration.state == "refused"
    assert not DuesBase.objects.filter(member=member, category="retired").exists()
    client.force_login(member_user)
    assert "尚未退休" in client.get(reverse("public:me-dues")).content.decode()


def test_the_member_cannot_confirm_their_own(member_user, member):
    declaration = bases.submit_declaration(
        actor=member_user,
        member=member,
        category="in_service",
        amount=Decimal("3000"),
        started_on=dt.date(2030, 7, 1),
    )
    with pytest.raises(DuesRefused):
        bases.confirm_declaration(actor=member_user, declaration=declaration)
    declaration.refresh_from_db()
    assert declaration.state == "pending"


def test_another_branch_sees_and_decides_nothing(client, member_user, member, other_secretary):
    declaration = bases.submit_declaration(
        actor=member_user,
        member=member,
        category="in_service",
        amount=Decimal("3000"),
        started_on=dt.date(2030, 7, 1),
    )
    client.force_login(other_secretary)
    url = reverse("staff:dues-declarations")
    assert "3000" not in client.get(url).content.decode()
    response = client.post(url, {"declaration": declaration.pk, "decision": "confirm"})
    assert response.status_code == 404
    declaration.refresh_from_db()
    assert declaration.state == "pending"


def test_declaration_list_queries_do_not_grow(
    client, secretary, branch, today, django_assert_max_num_queries
):
    client.force_login(secretary)
    url = reverse("staff:dues-declarations")

    def add(n):
        for base in DuesBaseFactory.create_batch(n, member__organization=branch):
            BaseDeclaration.objects.create(
                member=base.member,
                category="in_service",
                amount=Decimal("4000"),
                started_on=dt.date(2030, 7, 1),
            )

    add(2)
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('<li class="list-group-item">') == 22


def test_the_branch_s_column_mapping_is_remembered(client, secretary, branch, other_branch, today):
    columns = DEFAULT_COLUMNS | {"amount": "收入金额", "memo": "附言"}
    upload = io.BytesIO("交易日期,收入金额,附言,流水号,对方户名\n".encode())
    import_statement(
        actor=secretary, organization=branch, upload=upload, name="s.csv", columns=columns
    )
    from dues.models import BankStatement

    assert remembered_columns(BankStatement.objects.all(), branch.pk)["amount"] == "收入金额"
    # Another branch keeps the defaults until it uploads its own.
    assert remembered_columns(BankStatement.objects.all(), other_branch.pk) == DEFAULT_COLUMNS
    client.force_login(secretary)
    page = client.get(reverse("staff:dues-statements") + f"?organization={branch.pk}")
    assert 'value="收入金额"' in page.content.decode()
    assert 'value="附言"' in page.content.decode()
