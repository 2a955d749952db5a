"""What the pages, documents and the report pack read of dues: a branch's month register, the
arrears, the sub-district's overview, a period's figures "as the period was", disclosure totals.

Each is a fixed number of grouped queries, whatever the number of members or branches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from config.periods import Period
from dues import rules
from dues.models import DuesBill, DuesPayment, LedgerEntry, LedgerKind, Remittance

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=12, decimal_places=2)


def _sum(expression: str, **filters: object) -> Coalesce:
    return Coalesce(
        Sum(expression, filter=Q(**filters) if filters else None),
        Value(ZERO),
        output_field=MONEY_FIELD,
    )


def register(bills: QuerySet[DuesBill], month: dt.date) -> QuerySet[DuesBill]:
    """The month's bills of a (scoped) queryset, each with `arrears`: what the member owes in
    all, this month included (欠缴)."""
    owed = (
        DuesBill.objects.filter(member=OuterRef("member_id"), month__lte=month, paid_on=None)
        .order_by()
        .values("member_id")
        .annotate(total=Sum("amount_due"))
        .values("total")
    )
    return (
        bills.filter(month=month)
        .select_related("member", "payment__receipt")
        .annotate(arrears=Coalesce(Subquery(owed), Value(ZERO), output_field=MONEY_FIELD))
        .order_by("member__full_name", "pk")
    )


@dataclass
class Arrears:
    member_id: int
    full_name: str
    organization_id: int
    months: list[dt.date] = field(default_factory=list)
    total: Decimal = ZERO
    consecutive: int = 0

    @property
    def for_review(self) -> bool:
        return self.consecutive >= rules.REVIEW_AFTER_MONTHS


def arrears(bills: QuerySet[DuesBill], today: dt.date) -> list[Arrears]:
    """Members with unpaid bills of past months, with those months and how many run unbroken
    up to last month (≥ 6: listed for the branch meeting's review; the portal removes no one).
    Two queries: the unpaid months, then the months of those members' bills."""
    unpaid = list(
        bills.overdue(today)
        .order_by("member__full_name", "member_id", "month")
        .values_list("member_id", "member__full_name", "organization_id", "month", "amount_due")
    )
    found: dict[int, Arrears] = {}
    for member_id, name, org_id, month, amount in unpaid:
        row = found.setdefault(member_id, Arrears(member_id, name, org_id))
        row.months.append(month)
        row.total += amount
    since = rules.add_months(rules.month_start(today), -rules.REVIEW_AFTER_MONTHS - 1)
    history: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    for member_id, month, paid_on in DuesBill.objects.filter(
        member_id__in=list(found), month__gte=since
    ).values_list("member_id", "month", "paid_on"):
        history[member_id].append((month, paid_on is not None))
    for member_id, row in found.items():
        row.consecutive = rules.consecutive_unpaid(history[member_id], today)
    return list(found.values())


def unpaid_months(member_id: int) -> list[dt.date]:
    return list(
        DuesBill.objects.filter(member_id=member_id, paid_on=None)
        .order_by("month")
        .values_list("month", flat=True)
    )


def paid_through(member_id: int, day: dt.date) -> dt.date | None:
    """The month up to which the member's dues were paid as of `day` (党费交至)."""
    months = DuesBill.objects.filter(member_id=member_id, month__lte=day).values_list(
        "month", "paid_on"
    )
    return rules.paid_through((m, p is not None and p <= day) for m, p in months)


@dataclass
class BranchFigures:
    organization_id: int
    members_billed: int = 0
    due: Decimal = ZERO
    paid: Decimal = ZERO
    arrears: Decimal = ZERO
    remitted: Decimal = ZERO
    allocated: Decimal = ZERO
    collected: Decimal = ZERO

    @property
    def collection_rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (self.paid / self.due * 100).quantize(Decimal("0.1"))


def branch_figures(
    organization_ids: list[int], first_month: dt.date, last_month: dt.date, as_of: dt.date
) -> dict[int, BranchFigures]:
    """Per branch, for the bills of the months `first_month`…`last_month`: members billed, due,
    paid by `as_of` (a payment dated later does not count: the figures as they stood that
    day), still owed; remitted for those months by `as_of`; allocated to the branch and
    collected (payments dated) in the same span. Four grouped queries."""
    last_day = rules.add_months(last_month, 1) - dt.timedelta(days=1)
    figures = {pk: BranchFigures(pk) for pk in organization_ids}
    bills = (
        DuesBill.objects.filter(
            organization_id__in=organization_ids,
            month__gte=first_month,
            month__lte=last_month,
        )
        .order_by()
        .values("organization_id")
        .annotate(
            members=Count("member_id", distinct=True),
            due=_sum("amount_due"),
            paid=_sum("amount_due", paid_on__lte=as_of),
        )
    )
    for row in bills:
        f = figures[row["organization_id"]]
        f.members_billed, f.due, f.paid = row["members"], row["due"], row["paid"]
        f.arrears = f.due - f.paid
    for row in (
        Remittance.objects.filter(
            organization_id__in=organization_ids,
            month__gte=first_month,
            month__lte=last_month,
            remitted_on__lte=as_of,
        )
        .order_by()
        .values("organization_id")
        .annotate(total=Sum("amount"))
    ):
        figures[row["organization_id"]].remitted = row["total"]
    for row in (
        LedgerEntry.objects.filter(
            organization_id__in=organization_ids,
            kind=LedgerKind.ALLOCATION,
            entry_on__gte=first_month,
            entry_on__lte=min(last_day, as_of),
        )
        .order_by()
        .values("organization_id")
        .annotate(total=Sum("amount"))
    ):
        figures[row["organization_id"]].allocated = row["total"]
    for row in (
        DuesPayment.objects.filter(
            organization_id__in=organization_ids,
            paid_on__gte=first_month,
            paid_on__lte=min(last_day, as_of),
        )
        .order_by()
        .values("organization_id")
        .annotate(total=Sum("amount"))
    ):
        figures[row["organization_id"]].collected = row["total"]
    return figures


def figures_for_period(organization_ids: list[int], period: Period) -> dict[int, BranchFigures]:
    """For the report pack: each branch's dues in `period` as the period was at its end
    (collection rate, arrears, remitted, allocated)."""
    return branch_figures(
        organization_ids,
        rules.month_start(period.start),
        rules.month_start(period.end),
        period.end,
    )


def spent_for_period(sub_district_ids: list[int], period: Period) -> dict[int, Decimal]:
    """For the report pack: what each sub-district spent from dues in `period` (allocations to
    branches apart)."""
    rows = (
        LedgerEntry.objects.filter(
            sub_district_id__in=sub_district_ids,
            entry_on__gte=period.start,
            entry_on__lte=period.end,
        )
        .exclude(kind=LedgerKind.ALLOCATION)
        .order_by()
        .values("sub_district_id")
        .annotate(total=Sum("amount"))
    )
    return {row["sub_district_id"]: row["total"] for row in rows}


@dataclass
class Disclosure:
    """What a branch discloses for a year: totals only, never a member's amount."""

    year: int
    members_billed: int
    due: Decimal
    paid: Decimal
    collected: Decimal
    remitted: Decimal
    allocated: Decimal
    voluntary: Decimal
    spending: list[tuple[str, Decimal]]


def disclosure(organization_id: int, sub_district_id: int, year: int, as_of: dt.date) -> Disclosure:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    f = branch_figures([organization_id], first, last, as_of)[organization_id]
    voluntary = (
        DuesPayment.objects.filter(organization_id=organization_id, paid_on__year=year)
        .exclude(kind="dues")
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    spending = [
        (str(LedgerKind(row["kind"]).label), row["total"])
        for row in LedgerEntry.objects.filter(sub_district_id=sub_district_id, entry_on__year=year)
        .exclude(kind=LedgerKind.ALLOCATION)
        .order_by("kind")
        .values("kind")
        .annotate(total=Sum("amount"))
    ]
    return Disclosure(
        year,
        f.members_billed,
        f.due,
        f.paid,
        f.collected,
        f.remitted,
        f.allocated,
        voluntary,
        spending,
    )
