"""Bank-statement reconciliation, the built-in way money arrives online: the branch uploads its
bank's statement (CSV or XLSX, checked by content and size by `members.tabular`), names the
columns, and each credit line is matched to a bill by the reference code in its memo (exact:
the code and the amount), or proposed (an unpaid bill of the branch whose member's name is the
payer's and whose amount is the line's); the secretary confirms, which records the payments
through `record_payments` (one receipt per member, dated the bank's day). A line's bank
transaction number is unique: a line already uploaded is refused, never recorded twice.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from branches.models import Organization
from dues.errors import DuesRefused
from dues.models import BankStatement, DuesBill, LineState, StatementLine
from dues.services.payments import record_payments
from members.errors import ImportRejected
from members.tabular import open_table

REFERENCE = re.compile(r"DF\d{12}")
FIELDS = ("booked_on", "amount", "memo", "bank_reference", "payer")
DEFAULT_COLUMNS = {
    "booked_on": "交易日期",
    "amount": "贷方金额",
    "memo": "摘要",
    "bank_reference": "流水号",
    "payer": "对方户名",
}


def remembered_columns(statements: Any, organization_id: int | None = None) -> dict[str, str]:
    """The column mapping of the last statement uploaded (for `organization_id`'s branch when
    given, else in the scope of `statements`): the next upload starts from it, so a bank's
    headings are typed once per branch. The defaults where nothing was uploaded yet."""
    if organization_id is not None:
        statements = statements.filter(organization_id=organization_id)
    last = statements.order_by("-created_at", "-pk").values_list("columns", flat=True).first()
    columns = dict(DEFAULT_COLUMNS)
    for name, heading in (last or {}).items():
        if name in columns and heading:
            columns[name] = heading
    return columns


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat(text[:10])


def _amount(value: Any) -> Decimal:
    return Decimal(str(value).replace(",", "").strip()).quantize(Decimal("0.01"))


def _read(upload: BinaryIO, name: str, columns: dict[str, str]) -> list[dict[str, Any]]:
    with open_table(upload, name=name, width=40) as table:
        header = table.header
        missing = [columns[f] for f in FIELDS if f != "payer" and columns[f] not in header]
        if missing:
            raise DuesRefused(
                _("The file has no column %(names)s; name the columns as the bank's file has them.")
                % {"names": "、".join(missing)},
                field="file",
            )
        index = {f: header.index(columns[f]) for f in FIELDS if columns.get(f) in header}
        lines = []
        for number, cells in table.rows():
            try:
                line = {
                    "row": number,
                    "booked_on": _day(cells[index["booked_on"]]),
                    "amount": _amount(cells[index["amount"]]),
                    "memo": str(cells[index["memo"]] or "")[:200],
                    "bank_reference": str(cells[index["bank_reference"]] or "").strip()[:60],
                    "payer": str(cells[index["payer"]] or "")[:100] if "payer" in index else "",
                }
            except (ValueError, InvalidOperation, TypeError):
                raise DuesRefused(
                    _("Row %(row)s: the date or the amount cannot be read.") % {"row": number},
                    field="file",
                ) from None
            if not line["bank_reference"]:
                raise DuesRefused(
                    _("Row %(row)s has no bank transaction number.") % {"row": number},
                    field="file",
                )
            if line["amount"] > 0:
                lines.append(line)
    return lines


def _match(lines: list[StatementLine], organization: Organization) -> None:
    """Exact by reference and amount; else a proposal by payer's name and amount."""
    codes = {m.group(0) for line in lines for m in [REFERENCE.search(line.memo)] if m}
    by_reference = {
        b.reference: b
        for b in DuesBill.objects.filter(
            reference__in=codes, paid_on=None, organization=organization
        )
    }
    unpaid = list(
        DuesBill.objects.filter(organization=organization, paid_on=None)
        .select_related("member")
        .order_by("month")
    )
    taken: set[int] = set()
    for line in lines:
        found = REFERENCE.search(line.memo)
        bill = by_reference.get(found.group(0)) if found else None
        if bill is not None and bill.amount_due == line.amount and bill.pk not in taken:
            line.bill, line.state = bill, LineState.MATCHED
            taken.add(bill.pk)
            continue
        candidates = [
            b
            for b in unpaid
            if b.pk not in taken
            and b.amount_due == line.amount
            and line.payer
            and b.member.full_name == line.payer.strip()
        ]
        if candidates:
            line.bill, line.state = candidates[0], LineState.PROPOSED
            taken.add(candidates[0].pk)
        else:
            line.state = LineState.UNMATCHED


@transaction.atomic
def import_statement(
    *,
    actor: User | None,
    organization: Organization,
    upload: BinaryIO,
    name: str,
    columns: dict[str, str],
) -> BankStatement:
    """Read, check and match a statement; nothing is paid until the secretary confirms.

    Refused whole: a file that is not a readable CSV/XLSX or too big, a missing column, a row
    that cannot be read, and any line whose bank transaction number was uploaded before."""
    if actor is not None and not (
        Organization.objects.visible_to(actor).filter(pk=organization.pk).exists()
    ):
        raise DuesRefused(_("This branch is not yours to record."), field="organization")
    try:
        rows = _read(upload, name, columns)
    except ImportRejected as rejected:
        raise DuesRefused(rejected.message, field="file") from None
    numbers = [r["bank_reference"] for r in rows]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    seen = sorted(
        StatementLine.objects.filter(bank_reference__in=numbers).values_list(
            "bank_reference", flat=True
        )
    )
    if repeated or seen:
        raise DuesRefused(
            _(
                "These bank lines were uploaded before or appear twice: %(list)s; nothing was "
                "imported."
            )
            % {"list": "、".join((seen + repeated)[:10])},
            field="file",
        )
    statement = BankStatement.objects.create(
        organization=organization,
        file_name=name[:200],
        columns=columns,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    lines = [StatementLine(statement=statement, **row) for row in rows]
    _match(lines, organization)
    StatementLine.objects.bulk_create(lines)
    record_audit(
        actor=actor,
        action="dues.statement_imported",
        target=statement,
        data={"lines": len(lines)},
    )
    return statement


@transaction.atomic
def confirm_lines(*, actor: User | None, statement: BankStatement, line_ids: list[int]) -> int:
    """Record the chosen matched or proposed lines as payments (by bank transfer, on the bank's
    day); a line already confirmed, or whose bill was paid meanwhile, refuses the whole set."""
    lines = list(
        StatementLine.objects.select_for_update()
        .filter(statement=statement, pk__in=line_ids)
        .exclude(bill=None)
        .order_by("pk")
    )
    if not lines or len(lines) != len(set(line_ids)):
        raise DuesRefused(_("Choose lines that have a bill to confirm."), field="lines")
    if any(line.state == LineState.CONFIRMED for line in lines):
        raise DuesRefused(_("A chosen line is already confirmed."), field="lines")
    by_day: dict[dt.date, list[int]] = {}
    for line in lines:
        by_day.setdefault(line.booked_on, []).append(line.bill_id)
    for day, bill_ids in sorted(by_day.items()):
        record_payments(actor=actor, bill_ids=bill_ids, paid_on=day, method="transfer")
    StatementLine.objects.filter(pk__in=[line.pk for line in lines]).update(
        state=LineState.CONFIRMED
    )
    return len(lines)
