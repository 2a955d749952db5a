"""Bank-statement reconciliation: exact match by reference, a proposal by payer, a duplicate line
refused, a file that is not a statement refused; confirming records the payments."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dues.errors import DuesRefused
from dues.models import DuesBill, DuesPayment, LineState, StatementLine
from dues.reconciliation import DEFAULT_COLUMNS, confirm_lines, import_statement
from dues.services.billing import bill_month
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db
HEADER = "交易日期,贷方金额,摘要,流水号,对方户名\n"


@pytest.fixture
def bills(today, branch):
    DuesBaseFactory(member__organization=branch, member__full_name="王欣怡")
    DuesBaseFactory(member__organization=branch, member__full_name="李建国")
    bill_month(dt.date(2030, 6, 1))
    return {b.member.full_name: b for b in DuesBill.objects.select_related("member")}


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO((HEADER + text).encode("utf-8"))


def _import(secretary, branch, upload, name="statement.csv"):
    return import_statement(
        actor=secretary, organization=branch, upload=upload, name=name, columns=DEFAULT_COLUMNS
    )


def test_exact_match_by_reference_and_proposal_by_payer(bills, secretary, branch):
    wang, li = bills["王欣怡"], bills["李建国"]
    statement = _import(
        secretary,
        branch,
        _csv(
            f"2030-06-10,97.50,党费 {wang.reference},B001,王欣怡\n"
            f"2030-06-11,97.50,党费六月,B002,李建国\n"
            f"2030-06-12,50.00,其他,B003,某公司\n"
        ),
    )
    states = dict(statement.lines.values_list("bank_reference", "state"))
    assert states == {"B001": "matched", "B002": "proposed", "B003": "unmatched"}
    assert StatementLine.objects.get(bank_reference="B002").bill_id == li.pk
    ids = list(statement.lines.exclude(bill=None).values_list("pk", flat=True))
    assert confirm_lines(actor=secretary, statement=statement, line_ids=ids) == 2
    assert DuesPayment.objects.filter(method="transfer").count() == 2
    assert DuesBill.objects.get(pk=wang.pk).paid_on == dt.date(2030, 6, 10)
    with pytest.raises(DuesRefused):
        confirm_lines(actor=secretary, statement=statement, line_ids=ids)


def test_a_reference_with_the_wrong_amount_is_not_matched(bills, secretary, branch):
    wang = bills["王欣怡"]
    statement = _import(secretary, branch, _csv(f"2030-06-10,90.00,{wang.reference},B9,某人\n"))
    assert statement.lines.get().state == LineState.UNMATCHED


def test_a_line_uploaded_twice_is_refused_and_nothing_imported(bills, secretary, branch):
    _import(secretary, branch, _csv("2030-06-10,97.50,党费,B001,王欣怡\n"))
    with pytest.raises(DuesRefused, match="B001"):
        _import(
            secretary,
            branch,
            _csv("2030-06-10,97.50,党费,B001,王欣怡\n2030-06-11,97.50,党费,B002,李建国\n"),
        )
    assert StatementLine.objects.count() == 1


def test_xlsx_statement_is_read_by_its_content(bills, secretary, branch):
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append([dt.date(2030, 6, 10), 97.5, bills["王欣怡"].reference, "X1", "王欣怡"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    statement = _import(secretary, branch, out, name="bank.xlsx")
    assert statement.lines.get().state == LineState.MATCHED


def test_not_a_statement_is_refused_on_the_page(client, secretary, bills, branch):
    client.force_login(secretary)
    response = client.post(
        reverse("staff:dues-statements"),
        {
            **DEFAULT_COLUMNS,
            "organization": branch.pk,
            "file": SimpleUploadedFile("bank.xlsx", b"MZ\x90\x00 not a workbook"),
        },
    )
    assert response.status_code == 400
    assert not StatementLine.objects.exists()


def test_missing_column_is_refused(bills, secretary, branch):
    with pytest.raises(DuesRefused):
        _import(secretary, branch, io.BytesIO("日期,金额\n2030-06-10,1\n".encode()))
