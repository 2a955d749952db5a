"""Demo dues of 如意湖 (DEMO_DATA.md): bases for its members in mixed categories, a year of
bills, most paid in their month, a few members in arrears and one six months unpaid, the
branches' remittances and the sub-district's use ledger.

Idempotent: nothing is added once a 如意湖 member has a base. Fast: bulk inserts and the same
set-based billing the beat task runs (one statement per month); a bank statement to reconcile."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from branches.models import Organization, SubDistrict
from dues import rules
from dues.models import (
    DuesBase,
    DuesBill,
    DuesPayment,
    LedgerEntry,
    PaymentKind,
    Receipt,
    Remittance,
)
from dues.reconciliation import DEFAULT_COLUMNS, import_statement
from dues.services.billing import bill_month
from members.models import Member

MONTHS = 12


def _category(rng: random.Random, sector: str) -> tuple[str, Decimal]:
    if sector == "village" and rng.random() < 0.6:
        return rules.FARMER, Decimal("0")
    roll = rng.random()
    if roll < 0.62:
        return rules.IN_SERVICE, Decimal(rng.choice([2800, 3000, 4200, 5000, 6500, 8800, 12000]))
    if roll < 0.9:
        return rules.RETIRED, Decimal(rng.choice([3200, 4100, 5000, 5600]))
    return rules.LOW_INCOME, Decimal("0")


def seed() -> None:
    ruyihu = SubDistrict.objects.filter(name="如意湖办事处").first()
    if (
        ruyihu is None
        or DuesBase.objects.filter(member__organization__sub_district=ruyihu).exists()
    ):
        return
    today = timezone.localdate()
    this_month = rules.month_start(today)
    first = rules.add_months(this_month, -(MONTHS - 1))
    members = list(
        Member.objects.filter(organization__sub_district=ruyihu)
        .current()
        .select_related("organization")
        .order_by("pk")
    )
    if not members:
        return
    rng = random.Random("dues/如意湖")  # noqa: S311 (stable demo data)
    bases = []
    for member in members:
        category, amount = _category(rng, member.organization.sector)
        bases.append(DuesBase(member=member, category=category, amount=amount, started_on=first))
    DuesBase.objects.bulk_create(bases)
    months = [rules.add_months(first, i) for i in range(MONTHS)]
    for month in months:
        bill_month(month)
    _pay(rng, members, months, this_month, today)
    _remit(ruyihu, months, today)
    _ledger(ruyihu, first, today)
    _statement(this_month, today)


def _statement(this_month: dt.date, today: dt.date) -> None:
    """A bank statement of 联盟新城社区党支部 waiting to be confirmed: two transfers naming
    their reference code, one by payer's name only, one that matches nothing."""
    branch = Organization.objects.filter(name="联盟新城社区党支部", status="active").first()
    if branch is None:
        return
    unpaid = list(
        DuesBill.objects.filter(organization=branch, month=this_month, paid_on=None)
        .select_related("member")
        .order_by("pk")[:3]
    )
    if len(unpaid) < 3:
        return
    day = f"{today:%Y-%m-%d}"
    text = "交易日期,贷方金额,摘要,流水号,对方户名\n" + "".join(
        [
            f"{day},{unpaid[0].amount_due},党费 {unpaid[0].reference},DEMO{this_month:%Y%m}01,"
            f"{unpaid[0].member.full_name}\n",
            f"{day},{unpaid[1].amount_due},{unpaid[1].reference},DEMO{this_month:%Y%m}02,"
            f"{unpaid[1].member.full_name}\n",
            f"{day},{unpaid[2].amount_due},交党费,DEMO{this_month:%Y%m}03,"
            f"{unpaid[2].member.full_name}\n",
            f"{day},200.00,捐款,DEMO{this_month:%Y%m}04,某科技有限公司\n",
        ]
    )
    import_statement(
        actor=None,
        organization=branch,
        upload=io.BytesIO(text.encode("utf-8")),
        name=f"联盟新城-{this_month:%Y%m}.csv",
        columns=DEFAULT_COLUMNS,
    )


def _pay(
    rng: random.Random,
    members: list[Member],
    months: list[dt.date],
    this_month: dt.date,
    today: dt.date,
) -> None:
    """Pay every bill in its month (on the 10th), except: one member six months unpaid (the six
    months before this one), four members one to three months behind, and this month's bills
    of members the secretaries have not seen yet."""
    six = members[len(members) // 2].pk
    behind = {m.pk: rng.randint(1, 3) for m in rng.sample(members, min(4, len(members)))}
    behind.pop(six, None)
    bills = list(DuesBill.objects.filter(member_id__in=[m.pk for m in members], month__in=months))
    to_pay = []
    for bill in bills:
        gap = rules.months_between(bill.month, this_month)
        if bill.member_id == six and 1 <= gap <= rules.REVIEW_AFTER_MONTHS:
            continue
        if bill.member_id in behind and 1 <= gap <= behind[bill.member_id]:
            continue
        if gap == 0 and (today.day < 10 or bill.member_id % 3 == 0):
            continue
        to_pay.append(bill)
    receipts = Receipt.objects.bulk_create(
        Receipt(
            member_id=b.member_id,
            organization_id=b.organization_id,
            issued_on=b.month.replace(day=10),
            total=b.amount_due,
            method="cash" if b.member_id % 4 else "transfer",
        )
        for b in to_pay
    )
    for receipt in receipts:
        receipt.number = f"DF{receipt.issued_on:%Y}-{receipt.pk:06d}"
    Receipt.objects.bulk_update(receipts, ["number"])
    DuesPayment.objects.bulk_create(
        DuesPayment(
            member_id=b.member_id,
            organization_id=b.organization_id,
            bill=b,
            receipt=r,
            kind=PaymentKind.DUES,
            method=r.method,
            amount=b.amount_due,
            paid_on=r.issued_on,
            reference=b.reference,
        )
        for b, r in zip(to_pay, receipts, strict=True)
    )
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for bill in to_pay:
        by_day[bill.month.replace(day=10)].append(bill.pk)
    for day, ids in by_day.items():
        DuesBill.objects.filter(pk__in=ids).update(paid_on=day)


def _remit(ruyihu: SubDistrict, months: list[dt.date], today: dt.date) -> None:
    """Each branch remits a month's collection on the 5th of the next month."""
    collected = (
        DuesPayment.objects.filter(organization__sub_district=ruyihu, paid_on__gte=months[0])
        .order_by()
        .values("organization_id", "paid_on")
        .annotate(total=Sum("amount"))
    )
    totals: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for row in collected:
        totals[(row["organization_id"], rules.month_start(row["paid_on"]))] += row["total"]
    Remittance.objects.bulk_create(
        Remittance(
            organization_id=org_id,
            month=month,
            amount=total,
            remitted_on=rules.add_months(month, 1).replace(day=5),
            document_reference=f"上缴-{month:%Y%m}-{org_id}",
        )
        for (org_id, month), total in totals.items()
        if rules.add_months(month, 1).replace(day=5) <= today
    )


def _ledger(ruyihu: SubDistrict, first: dt.date, today: dt.date) -> None:
    branches = list(
        Organization.objects.filter(sub_district=ruyihu, kind="branch", status="active").order_by(
            "path"
        )[:2]
    )
    lines = [
        ("training", "3200.00", 1, "如党发〔{y}〕5号", "党员冬训教材与场地"),
        ("hardship", "4000.00", 3, "如党发〔{y}〕9号", "走访慰问困难党员8名"),
        ("commendation", "1500.00", 6, "如党发〔{y}〕21号", "七一表彰优秀共产党员"),
        ("materials", "860.00", 8, "如党发〔{y}〕27号", "党员教育学习资料"),
    ]
    entries = [
        LedgerEntry(
            sub_district=ruyihu,
            kind=kind,
            amount=Decimal(amount),
            entry_on=rules.add_months(first, offset).replace(day=15),
            document_reference=reference.format(y=rules.add_months(first, offset).year),
            description=text,
        )
        for kind, amount, offset, reference, text in lines
        if rules.add_months(first, offset).replace(day=15) <= today
    ]
    entries.extend(
        LedgerEntry(
            sub_district=ruyihu,
            organization=branch,
            kind="allocation",
            amount=Decimal("2000.00"),
            entry_on=rules.add_months(first, 2).replace(day=20),
            document_reference=f"如党发〔{rules.add_months(first, 2).year}〕12号",
            description="下拨支部开展主题党日活动",
        )
        for branch in branches
        if rules.add_months(first, 2).replace(day=20) <= today
    )
    LedgerEntry.objects.bulk_create(entries)
