"""The figures the report pack reads: a quarter as it was at its end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from config.periods import quarter
from dues.figures import figures_for_period, spent_for_period
from dues.models import DuesBill
from dues.services.billing import bill_month
from dues.services.money import record_ledger_entry, record_remittance
from dues.services.payments import record_payments
from tests.dues.factories import DuesBaseFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_quarter_as_it_was_ignores_later_payments(clock, branch, secretary, staff, sub_district):
    clock.set(dt.date(2030, 3, 20))
    DuesBaseFactory.create_batch(2, member__organization=branch)
    for month in (1, 2, 3):
        bill_month(dt.date(2030, month, 1))
    january = list(DuesBill.objects.filter(month=dt.date(2030, 1, 1)).values_list("pk", flat=True))
    record_payments(actor=secretary, bill_ids=january, paid_on=dt.date(2030, 1, 10), method="cash")
    record_remittance(
        actor=secretary,
        organization=branch,
        month=dt.date(2030, 1, 1),
        amount=D("195.00"),
        remitted_on=dt.date(2030, 2, 5),
        document_reference="上缴-1",
    )
    record_ledger_entry(
        actor=staff,
        sub_district=sub_district,
        kind="training",
        amount=D("300"),
        entry_on=dt.date(2030, 3, 1),
        document_reference="文-1",
        description="培训",
    )
    clock.set(dt.date(2030, 4, 20))
    february = list(DuesBill.objects.filter(month=dt.date(2030, 2, 1)).values_list("pk", flat=True))
    record_payments(actor=secretary, bill_ids=february, paid_on=dt.date(2030, 4, 20), method="cash")
    q1 = quarter(2030, 1)
    f = figures_for_period([branch.pk], q1)[branch.pk]
    assert (f.members_billed, f.due, f.paid, f.arrears) == (
        2,
        D("585.00"),
        D("195.00"),
        D("390.00"),
    )
    assert f.collection_rate == D("33.3")
    assert f.remitted == D("195.00")
    assert spent_for_period([sub_district.pk], q1) == {sub_district.pk: D("300.00")}


def test_the_quarterly_pack_shows_dues_per_branch_as_the_quarter_was(clock, work_committee, staff):
    from django.utils import translation

    from branches.services.tree import found_organization
    from reports.figures import build_figures, section, table_of
    from reports.scope import ReportScope

    branch = found_organization(
        sub_district=work_committee.sub_district,
        parent=work_committee,
        name="如意湖社区党支部",
        kind="branch",
        sector="community",
        founded_on=dt.date(2020, 1, 1),
        actor=None,
    )
    clock.set(dt.date(2030, 3, 20))
    DuesBaseFactory.create_batch(2, member__organization=branch)
    for month in (1, 2, 3):
        bill_month(dt.date(2030, month, 1))
    january = list(DuesBill.objects.filter(month=dt.date(2030, 1, 1)).values_list("pk", flat=True))
    record_payments(actor=staff, bill_ids=january, paid_on=dt.date(2030, 1, 10), method="cash")
    clock.set(dt.date(2030, 4, 20))
    february = list(DuesBill.objects.filter(month=dt.date(2030, 2, 1)).values_list("pk", flat=True))
    record_payments(actor=staff, bill_ids=february, paid_on=dt.date(2030, 4, 20), method="cash")
    with translation.override("en"):
        figures = build_figures(ReportScope(sub_district=work_committee.sub_district), 2030, 1)
    rows = {row[0]: row[1:] for row in table_of(figures, "dues", "per_branch")["rows"]}
    # Billed 2 members × 3 months; February's payment came after the quarter: not counted.
    assert rows[branch.name] == [2, 585.0, 195.0, 390.0, 33.3, 0.0, 0.0]
    assert section(figures, "dues")["figures"]["collection_rate"] == 33.3
