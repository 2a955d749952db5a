"""What a community's public disclosure page (党务公开 / 居务公开) reads beyond the matters: the
dues totals of the community's branches per quarter and the 公示 of development candidates.

Both are a fixed number of grouped queries, whatever the number of members; neither carries an
ID number, a phone or a member's amount.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from branches.models import Community, Organization
from config.periods import Period, period_containing
from dues.figures import figures_for_period
from governance import rules
from members.models import Development, Stage

#: Quarters shown: the last completed ones, newest first.
DUES_QUARTERS = 2


@dataclass
class DuesTotals:
    period: Period
    members_billed: int
    due: Decimal
    paid: Decimal
    remitted: Decimal

    @property
    def collection_rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (self.paid / self.due * 100).quantize(Decimal("0.1"))


def completed_quarters(today: dt.date, count: int = DUES_QUARTERS) -> list[Period]:
    """The `count` quarters that ended before `today`, newest first."""
    quarters = []
    current = period_containing(today, "quarter")
    for _i in range(count):
        current = period_containing(current.start - dt.timedelta(days=1), "quarter")
        quarters.append(current)
    return quarters


def dues_totals(community: Community, today: dt.date) -> list[DuesTotals]:
    """Per completed quarter, the dues of the branches covering `community` as they stood at the
    quarter's end: totals only (members billed, due, paid, remitted). Read through dues'
    own figures (four grouped queries a quarter); quarters without bills are left out."""
    branch_ids = list(
        Organization.objects.filter(communities=community).values_list("pk", flat=True)
    )
    if not branch_ids:
        return []
    totals = []
    for quarter in completed_quarters(today):
        figures = figures_for_period(branch_ids, quarter).values()
        row = DuesTotals(
            period=quarter,
            members_billed=sum(f.members_billed for f in figures),
            due=sum((f.due for f in figures), Decimal("0.00")),
            paid=sum((f.paid for f in figures), Decimal("0.00")),
            remitted=sum((f.remitted for f in figures), Decimal("0.00")),
        )
        if row.members_billed:
            totals.append(row)
    return totals


@dataclass
class AdmissionNotice:
    name: str
    branch: str
    trained_on: dt.date
    starts_on: dt.date
    ends_on: dt.date


def admission_notices(community: Community, today: dt.date) -> list[AdmissionNotice]:
    """The development candidates of the community's branches under their 5-working-day public
    notice today: name, branch and the window only (the rules require the name; never the phone
    or the ID number). One query."""
    earliest = today - dt.timedelta(days=rules.ADMISSION_NOTICE_MAX_SPAN_DAYS)
    rows = (
        Development.objects.filter(
            organization__communities=community,
            stage=Stage.CANDIDATE,
            training_completed_on__gte=earliest,
            training_completed_on__lt=today,
        )
        .order_by("training_completed_on", "full_name", "pk")
        .values_list("full_name", "organization__name", "training_completed_on")
    )
    notices = []
    for name, branch, trained_on in rows:
        starts_on, ends_on = rules.admission_notice_window(trained_on)
        if starts_on <= today <= ends_on:
            notices.append(AdmissionNotice(name, branch, trained_on, starts_on, ends_on))
    return notices
