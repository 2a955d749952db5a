"""The bracket table at every boundary, in Python and in the billing SQL alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dues import rules
from dues.models import DuesBill
from dues.services.billing import bill_month
from tests.dues.factories import DuesBaseFactory

D = Decimal

# (category, base, monthly dues): every bracket's edges, both sides, and rounding half up.
TABLE = [
    ("in_service", "0.01", "0.00"),
    ("in_service", "1.00", "0.01"),
    ("in_service", "2999.00", "15.00"),  # 14.995 → 15.00: half up
    ("in_service", "3000.00", "15.00"),
    ("in_service", "3000.01", "30.00"),
    ("in_service", "4999.50", "50.00"),  # 49.995 → 50.00
    ("in_service", "5000.00", "50.00"),
    ("in_service", "5000.01", "75.00"),
    ("in_service", "6500.00", "97.50"),  # RULES.md's example: flat, not marginal
    ("in_service", "10000.00", "150.00"),
    ("in_service", "10000.01", "200.00"),
    ("in_service", "12345.67", "246.91"),
    ("retired", "3000.00", "15.00"),
    ("retired", "5000.00", "25.00"),
    ("retired", "5000.01", "50.00"),
    ("retired", "8000.00", "80.00"),
    ("low_income", "0.00", "0.20"),
    ("farmer", "0.00", "0.20"),
]


@pytest.mark.parametrize(("category", "base", "due"), TABLE)
def test_amount_due_is_the_flat_rate_of_the_bracket(category, base, due):
    assert rules.amount_due(category, D(base)) == D(due)


def test_farmers_local_amount_replaces_the_national_default():
    assert rules.amount_due("farmer", D("0"), farmer_amount=D("0.5")) == D("0.50")


def test_negative_base_has_no_bracket():
    with pytest.raises(rules.NoBracket):
        rules.amount_due("in_service", D("-1"))


@pytest.mark.django_db
def test_billing_sql_prices_every_boundary_like_the_rules(today, branch):
    bases = [
        DuesBaseFactory(
            member__organization=branch,
            category=category,
            amount=D(base) if category in ("in_service", "retired") else D("0"),
        )
        for category, base, _due in TABLE
    ]
    created, _ = bill_month(dt.date(2030, 6, 1))
    assert created == len(TABLE)
    priced = dict(DuesBill.objects.values_list("base_id", "amount_due"))
    assert [priced[b.pk] for b in bases] == [D(due) for *_rest, due in TABLE]


def test_back_payment_reaches_six_months():
    assert rules.back_payment_allowed(dt.date(2030, 1, 1), dt.date(2030, 7, 31))
    assert not rules.back_payment_allowed(dt.date(2030, 1, 1), dt.date(2030, 8, 1))


def test_paid_through_stops_at_the_first_unpaid_month():
    months = [(dt.date(2030, m, 1), m != 4) for m in range(1, 7)]
    assert rules.paid_through(months) == dt.date(2030, 3, 1)
    assert rules.paid_through([(dt.date(2030, 1, 1), False)]) is None


def test_consecutive_unpaid_counts_back_from_last_month():
    months = [(dt.date(2030, m, 1), m < 2) for m in range(1, 7)]
    assert rules.consecutive_unpaid(months, dt.date(2030, 7, 10)) == 5
    months.append((dt.date(2030, 7, 1), False))
    assert rules.consecutive_unpaid(months, dt.date(2030, 8, 1)) == 6


@pytest.mark.django_db
def test_a_new_national_rule_is_data_from_its_day(today, branch):
    from dues.models import DuesRate

    DuesBaseFactory(member__organization=branch, amount=D("6500"))
    DuesRate.objects.create(
        category="in_service",
        valid_from=dt.date(2030, 7, 1),
        lower_bound=None,
        upper_bound=None,
        rate=D("0.01"),
    )
    bill_month(dt.date(2030, 6, 1))
    bill_month(dt.date(2030, 7, 1))
    assert dict(DuesBill.objects.values_list("month", "amount_due")) == {
        dt.date(2030, 6, 1): D("97.50"),
        dt.date(2030, 7, 1): D("65.00"),
    }
