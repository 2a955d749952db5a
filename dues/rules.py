"""The dues rules of ../shared/domain/RULES.md (党费规定 2008), as pure functions: no ORM.

A month's amount is the base times the **flat** rate of the bracket the whole base falls in
(not marginal: 6500 × 1.5% = 97.50), or a flat amount for the flat categories; money is an exact
`Decimal` of two places, rounded half up. The brackets themselves are data (`dues.DuesRate`,
seeded from `NATIONAL_RATES` by a data migration), so a future change of the national rule is a
new set of rows from a day, not a code change; `amount_due` takes the brackets it prices with.
The billing SQL (`dues.services.billing`) prices with the same rows and the same rounding; a test
holds both to the same table at every boundary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
#: Back-payment (补缴) reaches at most this many months before the month it is paid in.
BACK_PAYMENT_MONTHS = 6
#: Consecutive unpaid months that put a member on the leaving-the-party review list.
REVIEW_AFTER_MONTHS = 6
#: Months unpaid after which the member and the secretary are reminded.
REMIND_AFTER_MONTHS = 3
#: A farmer's flat amount is set locally within these bounds (yuan a month).
FARMER_MIN = Decimal("0.20")
FARMER_MAX = Decimal("1.00")

IN_SERVICE = "in_service"
RETIRED = "retired"
LOW_INCOME = "low_income"
FARMER = "farmer"
FLAT_CATEGORIES = (LOW_INCOME, FARMER)


@dataclass(frozen=True)
class Bracket:
    """One row of the rule table: a base above `lower` (exclusive) and up to `upper`
    (inclusive; None: no bound) pays `rate` of the whole base, or `flat` whatever the base."""

    category: str
    lower: Decimal | None
    upper: Decimal | None
    rate: Decimal | None = None
    flat: Decimal | None = None

    def holds(self, base: Decimal) -> bool:
        return (self.lower is None or base > self.lower) and (
            self.upper is None or base <= self.upper
        )


NATIONAL_RATES_FROM = dt.date(2008, 4, 1)
NATIONAL_RATES: tuple[Bracket, ...] = (
    Bracket(IN_SERVICE, None, Decimal("3000"), rate=Decimal("0.005")),
    Bracket(IN_SERVICE, Decimal("3000"), Decimal("5000"), rate=Decimal("0.01")),
    Bracket(IN_SERVICE, Decimal("5000"), Decimal("10000"), rate=Decimal("0.015")),
    Bracket(IN_SERVICE, Decimal("10000"), None, rate=Decimal("0.02")),
    Bracket(RETIRED, None, Decimal("5000"), rate=Decimal("0.005")),
    Bracket(RETIRED, Decimal("5000"), None, rate=Decimal("0.01")),
    Bracket(LOW_INCOME, None, None, flat=Decimal("0.20")),
    Bracket(FARMER, None, None, flat=Decimal("0.20")),
)


class NoBracket(ValueError):
    """The rule table has no bracket for this category and base."""


def money(value: Decimal) -> Decimal:
    """Two places, half up: the only rounding money ever gets."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_due(
    category: str,
    base: Decimal,
    brackets: Iterable[Bracket] = NATIONAL_RATES,
    *,
    farmer_amount: Decimal | None = None,
) -> Decimal:
    """The month's dues for a base: the flat rate of the one bracket the base falls in."""
    if base < 0:
        raise NoBracket("a base is never negative")
    for bracket in brackets:
        if bracket.category != category or not bracket.holds(base):
            continue
        if bracket.flat is not None:
            if category == FARMER and farmer_amount is not None:
                return money(farmer_amount)
            return money(bracket.flat)
        assert bracket.rate is not None
        return money(base * bracket.rate)
    raise NoBracket(f"no bracket for {category} {base}")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier`'s month to `later`'s (0 in the same month)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def back_payment_allowed(bill_month: dt.date, paid_on: dt.date) -> bool:
    """A bill may be paid at most `BACK_PAYMENT_MONTHS` months after its month."""
    return months_between(bill_month, paid_on) <= BACK_PAYMENT_MONTHS


def advance_allowed(bill_month: dt.date, paid_on: dt.date, advance_months: int) -> bool:
    """A month may be paid ahead of time at most `advance_months` months before it starts."""
    return months_between(paid_on, bill_month) <= advance_months


def paid_through(months: Iterable[tuple[dt.date, bool]]) -> dt.date | None:
    """The last month up to which every bill is paid (党费交至), from (month, paid) pairs:
    the month before the first unpaid bill, else the last bill's month; None when nothing is
    paid at all."""
    ordered = sorted(months)
    last_paid = None
    for month, paid in ordered:
        if not paid:
            break
        last_paid = month
    return last_paid


def consecutive_unpaid(months: Iterable[tuple[dt.date, bool]], before: dt.date) -> int:
    """How many months in a row, ending with the month before `before`, a member's bills stand
    unpaid (a month without a bill breaks the run)."""
    state = dict(months)
    count = 0
    month = add_months(month_start(before), -1)
    while state.get(month) is False:
        count += 1
        month = add_months(month, -1)
    return count
