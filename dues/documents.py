"""Printed dues documents: a numbered receipt, the yearly disclosure (totals only) and the
党费收缴登记表 (XLSX). DOCX on the portal's page (config/documents.py)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Font

from branches.models import Organization
from config.documents import document_bytes, new_document
from dues.figures import Disclosure
from dues.models import DuesBill, DuesPayment, Receipt

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _yuan(amount: Decimal) -> str:
    return _("%(amount)s yuan") % {"amount": f"{amount:,.2f}"}


def _table(document: Any, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value


def receipt_docx(receipt: Receipt) -> bytes:
    """The receipt of one member's payment: number, months, amounts, how, who recorded it."""
    document = new_document(
        header=_("%(branch)s · receipt %(number)s")
        % {"branch": receipt.organization.name, "number": receipt.number}
    )
    title = document.add_paragraph(_("Party dues receipt"), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    payments = receipt.payments.select_related("bill").order_by("bill__month", "pk")
    rows = [
        (_("Receipt number"), receipt.number or ""),
        (_("Party member"), receipt.member.full_name),
        (_("Branch"), receipt.organization.name),
        (_("Paid on"), f"{receipt.issued_on:%Y-%m-%d}"),
        (_("Paid by"), receipt.get_method_display()),
    ]
    for payment in payments:
        label = (
            _("Dues for %(month)s") % {"month": f"{payment.bill.month:%Y-%m}"}
            if payment.bill
            else payment.get_kind_display()
        )
        rows.append((label, _yuan(payment.amount)))
    rows.append((_("Total"), _yuan(receipt.total)))
    rows.append((_("Received by"), str(receipt.issued_by or "")))
    _table(document, rows)
    return document_bytes(document)


def disclosure_docx(organization: Organization, figures: Disclosure) -> bytes:
    """党费收缴使用情况公开: the branch's totals for the year; no member's amount."""
    document = new_document(
        header=_("%(branch)s · dues disclosure %(year)s")
        % {"branch": organization.name, "year": figures.year}
    )
    title = document.add_paragraph(
        _("Disclosure of the collection and use of party dues, %(year)s") % {"year": figures.year},
        style="Title",
    )
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(organization.name)
    _table(document, disclosure_rows(figures))
    document.add_paragraph(
        _("Figures as of %(day)s.") % {"day": f"{timezone.localdate():%Y-%m-%d}"}
    )
    return document_bytes(document)


def disclosure_rows(figures: Disclosure) -> list[tuple[str, str]]:
    rows = [
        (_("Members billed"), str(figures.members_billed)),
        (_("Dues due"), _yuan(figures.due)),
        (_("Dues paid"), _yuan(figures.paid)),
        (_("Still owed"), _yuan(figures.due - figures.paid)),
        (_("Voluntary and special dues"), _yuan(figures.voluntary)),
        (_("Collected in the year"), _yuan(figures.collected)),
        (_("Remitted upward"), _yuan(figures.remitted)),
        (_("Allocated to the branch"), _yuan(figures.allocated)),
    ]
    rows.extend(
        (_("Spent by the sub-district: %(purpose)s") % {"purpose": purpose}, _yuan(amount))
        for purpose, amount in figures.spending
    )
    return rows


def register_xlsx(organization: Organization, year: int) -> bytes:
    """党费收缴登记表: one row per member, their base and each month's due and paid, the
    year's totals. Two queries."""
    bills = (
        DuesBill.objects.filter(organization=organization, month__year=year)
        .select_related("member")
        .order_by("member__full_name", "member_id", "month")
    )
    voluntary: dict[int, Decimal] = {}
    for member_id, amount in (
        DuesPayment.objects.filter(organization=organization, paid_on__year=year)
        .exclude(kind="dues")
        .values_list("member_id", "amount")
    ):
        voluntary[member_id] = voluntary.get(member_id, Decimal("0")) + amount
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    sheet.append(
        [
            _("Party dues register %(year)s: %(branch)s")
            % {"year": year, "branch": organization.name}
        ]
    )
    sheet["A1"].font = Font(bold=True)
    header = [_("Name"), _("Category"), _("Base")]
    for month in range(1, 13):
        header += [_("%(month)s due") % {"month": month}, _("%(month)s paid") % {"month": month}]
    header += [_("Due in the year"), _("Paid in the year"), _("Owed"), _("Voluntary")]
    sheet.append(header)
    rows: dict[int, list[Any]] = {}
    totals: dict[int, list[Decimal]] = {}
    for bill in bills:
        row = rows.get(bill.member_id)
        if row is None:
            row = rows[bill.member_id] = [
                bill.member.full_name,
                bill.get_category_display(),
                bill.base_amount,
                *([None] * 24),
            ]
            totals[bill.member_id] = [Decimal("0"), Decimal("0")]
        index = 3 + (bill.month.month - 1) * 2
        row[index] = bill.amount_due
        row[index + 1] = bill.amount_due if bill.paid_on else None
        row[2] = bill.base_amount
        totals[bill.member_id][0] += bill.amount_due
        if bill.paid_on:
            totals[bill.member_id][1] += bill.amount_due
    for member_id, row in rows.items():
        due, paid = totals[member_id]
        sheet.append([*row, due, paid, due - paid, voluntary.get(member_id, Decimal("0"))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
