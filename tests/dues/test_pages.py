"""The dues pages: the access matrix, recording several members from the register, documents,
query counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from dues.models import DuesBill, DuesPayment, LedgerEntry, Receipt, Remittance
from dues.services.billing import bill_month
from dues.services.payments import record_payments
from tests.access import assert_access
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db
JUNE = dt.date(2030, 6, 1)


@pytest.fixture
def books(today, branch, other_branch):
    bases = DuesBaseFactory.create_batch(3, member__organization=branch)
    DuesBaseFactory(member__organization=other_branch)
    for month in (4, 5, 6):
        bill_month(dt.date(2030, month, 1))
    return bases


def _payments():
    return DuesPayment.objects.count()


def test_register_access_matrix(today, clients, books, branch):
    url = reverse("staff:dues-register") + f"?organization={branch.pk}&month=2030-06"
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


@pytest.mark.parametrize("name", ["dues-arrears", "dues-remittances", "dues-disclosure"])
def test_branch_pages_access_matrix(today, clients, books, name):
    assert_access(
        clients,
        reverse(f"staff:{name}"),
        {
            "anonymous": 302,
            "resident": 403,
            "other_secretary": 200,
            "secretary": 200,
            "staff": 200,
        },
    )


@pytest.mark.parametrize("name", ["dues-overview", "dues-ledger"])
def test_sub_district_pages_are_for_staff(today, clients, books, name):
    assert_access(
        clients,
        reverse(f"staff:{name}"),
        {
            "anonymous": 302,
            "resident": 403,
            "other_secretary": 403,
            "secretary": 403,
            "staff": 200,
        },
    )


def test_member_page_matrix(today, clients, books):
    url = reverse("staff:dues-member", args=[books[0].member_id])
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 200, "staff": 200},
    )


def test_secretary_records_several_members_at_once(today, clients, books, branch):
    ids = list(
        DuesBill.objects.filter(organization=branch, month=JUNE).values_list("pk", flat=True)
    )
    url = reverse("staff:dues-register") + f"?organization={branch.pk}&month=2030-06"
    assert_access(
        clients,
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 404, "secretary": 302, "staff": 409},
        method="post",
        data={
            "bill": ids[:2],
            "method": "cash",
            "paid_on": "2030-06-15",
            "organization": branch.pk,
        },
    )
    # The secretary's recording is the only one: every refusal (staff's came after it, 409)
    # wrote nothing.
    assert _payments() == 2
    assert Receipt.objects.count() == 2


def test_register_refuses_bad_input_and_writes_nothing(client, secretary, books, branch):
    client.force_login(secretary)
    url = reverse("staff:dues-register") + f"?organization={branch.pk}&month=2030-06"
    response = client.post(url, {"bill": ["x"], "method": "gold", "paid_on": "2030-13-45"})
    assert response.status_code == 400
    old = DuesBill.objects.filter(organization=branch).first()
    response = client.post(url, {"bill": [old.pk], "method": "cash", "paid_on": "2031-01-01"})
    assert response.status_code == 400
    assert "缴纳日期不能晚于今天" in response.content.decode()
    assert not DuesPayment.objects.exists()


def test_register_query_count_does_not_grow(
    client, secretary, branch, today, django_assert_max_num_queries
):
    DuesBaseFactory.create_batch(2, member__organization=branch)
    bill_month(JUNE)
    client.force_login(secretary)
    url = reverse("staff:dues-register") + f"?organization={branch.pk}&month=2030-06"
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    DuesBaseFactory.create_batch(10, member__organization=branch)
    bill_month(JUNE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_receipt_docx_names_the_months(client, secretary, books, branch, today):
    bill = DuesBill.objects.filter(organization=branch).first()
    receipt = record_payments(actor=secretary, bill_ids=[bill.pk], paid_on=today, method="cash")[0]
    client.force_login(secretary)
    response = client.get(reverse("staff:dues-receipt", args=[receipt.pk]))
    text = "\n".join(
        c.text
        for t in Document(io.BytesIO(response.content)).tables
        for r in t.rows
        for c in r.cells
    )
    assert receipt.number in text and "97.50" in text


def test_arrears_list_flags_six_months_for_review(client, secretary, branch, clock):
    clock.set(dt.date(2030, 7, 10))
    DuesBaseFactory(member__organization=branch, member__full_name="欠费者")
    for month in range(1, 7):
        bill_month(dt.date(2030, month, 1))
    client.force_login(secretary)
    response = client.get(reverse("staff:dues-arrears") + "?review=1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "欠费者" in body and 'data-testid="review-flag"' in body


def test_remittance_must_equal_collected(client, secretary, books, branch, today):
    ids = list(
        DuesBill.objects.filter(organization=branch, month=JUNE).values_list("pk", flat=True)
    )
    record_payments(actor=secretary, bill_ids=ids, paid_on=today, method="cash")
    client.force_login(secretary)
    url = reverse("staff:dues-remittances")
    data = {
        "organization": branch.pk,
        "month": "2030-06",
        "amount": "100.00",
        "remitted_on": "2030-06-15",
        "document_reference": "凭证-1",
    }
    assert client.post(url, data).status_code == 200
    assert not Remittance.objects.exists()
    data["amount"] = "292.50"
    assert client.post(url, data).status_code == 302
    assert Remittance.objects.get().amount == Decimal("292.50")


def test_staff_keeps_the_use_ledger(client, staff, books, branch, sub_district, today):
    client.force_login(staff)
    response = client.post(
        reverse("staff:dues-ledger"),
        {
            "sub_district": sub_district.pk,
            "kind": "hardship",
            "amount": "500",
            "entry_on": "2030-06-01",
            "document_reference": "如党发〔2030〕3号",
            "description": "走访困难党员",
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get().document_reference == "如党发〔2030〕3号"


def test_disclosure_shows_totals_and_no_member(client, secretary, books, branch):
    client.force_login(secretary)
    response = client.get(reverse("staff:dues-disclosure") + f"?organization={branch.pk}")
    body = response.content.decode()
    assert books[0].member.full_name not in body
    docx = client.get(reverse("staff:dues-disclosure-docx") + f"?organization={branch.pk}")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_register_export_has_a_row_per_member(client, secretary, books, branch):
    client.force_login(secretary)
    response = client.get(reverse("staff:dues-register-xlsx") + f"?organization={branch.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2 + 3


def test_api_is_scoped(client, other_secretary, books, branch):
    client.force_login(other_secretary)
    rows = client.get("/api/v1/dues-bills/").json()
    results = rows["results"] if isinstance(rows, dict) else rows
    assert results and all(r["organization"] != branch.pk for r in results)


def test_statement_pages_matrix(today, clients, books, branch, secretary):
    from dues.reconciliation import DEFAULT_COLUMNS, import_statement

    statement = import_statement(
        actor=secretary,
        organization=branch,
        name="s.csv",
        columns=DEFAULT_COLUMNS,
        upload=io.BytesIO(
            "交易日期,贷方金额,摘要,流水号,对方户名\n2030-06-10,97.50,x,B1,y\n".encode()
        ),
    )
    assert_access(
        clients,
        reverse("staff:dues-statements"),
        {
            "anonymous": 302,
            "resident": 403,
            "other_secretary": 200,
            "secretary": 200,
            "staff": 200,
        },
    )
    assert_access(
        clients,
        reverse("staff:dues-statement", args=[statement.pk]),
        {
            "anonymous": 302,
            "resident": 403,
            "other_secretary": 404,
            "secretary": 200,
            "staff": 200,
        },
    )


def test_bills_api_query_count_does_not_grow(
    client, secretary, branch, today, django_assert_max_num_queries
):
    DuesBaseFactory.create_batch(2, member__organization=branch)
    bill_month(JUNE)
    client.force_login(secretary)
    with django_assert_max_num_queries(10) as few:
        assert client.get("/api/v1/dues-bills/").status_code == 200
    DuesBaseFactory.create_batch(10, member__organization=branch)
    bill_month(JUNE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/dues-bills/").status_code == 200


def test_overview_query_count_does_not_grow_with_branches(
    client, staff, work_committee, today, django_assert_max_num_queries
):
    from tests.branches.factories import OrganizationFactory

    def branch_with_bills():
        branch = OrganizationFactory(parent=work_committee)
        DuesBaseFactory.create_batch(2, member__organization=branch)

    branch_with_bills()
    bill_month(JUNE)
    client.force_login(staff)
    url = reverse("staff:dues-overview") + "?month=2030-06"
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        branch_with_bills()
    bill_month(JUNE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<tr>") >= 6
