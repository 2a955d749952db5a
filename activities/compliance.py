"""Compliance of organisational life: what each organisation was required to hold, per period,
and what it held. One aggregate query for the meetings, whatever the number of branches.

A requirement (rule × organisation × period) is *met* when enough matching meetings were held
with `held_on` inside the period; it is *due* once the period has ended; it is *open* while the
period runs. A meeting held outside its period counts where it was held; its reason is on record.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import get_language

from activities.models import AppliesTo, CadenceRule, LectureKind, Meeting, MeetingKind
from branches.models import CommitteeTerm, Organization, OrganizationKind
from config.periods import Period, period_containing, periods_between


@dataclass
class Check:
    organization_id: int
    rule: CadenceRule
    period: Period
    required: int
    held: int
    today: dt.date

    @property
    def met(self) -> bool:
        return self.held >= self.required

    @property
    def closed(self) -> bool:
        return self.period.end < self.today

    @property
    def missing(self) -> bool:
        return self.closed and not self.met

    @property
    def label(self) -> str:
        return rule_label(self.rule.kind, self.rule.lecture_kind, get_language())


@functools.lru_cache(maxsize=256)
def rule_label(kind: str, lecture_kind: str, language: str | None) -> str:
    """The rule's name in `language`; cached, since the heat map asks thousands of times and
    each lazy choice label costs a catalogue lookup."""
    if lecture_kind:
        return str(dict(LectureKind.choices).get(lecture_kind, lecture_kind))
    return str(dict(MeetingKind.choices).get(kind, kind))


@dataclass
class Cell:
    """One branch in one month of the heat map: the checks whose period ends that month."""

    month: Period
    checks: list[Check] = field(default_factory=list)
    today: dt.date | None = None

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def met(self) -> int:
        return sum(1 for c in self.checks if c.met)

    @property
    def state(self) -> str:
        if self.today is not None and self.month.start > self.today:
            return "future"
        if not self.checks:
            return "none"
        if self.met == self.total:
            return "complete"
        if self.today is not None and self.month.end >= self.today:
            return "open"
        return "partial" if self.met * 2 >= self.total else "behind"

    @property
    def missing_labels(self) -> list[str]:
        return [c.label for c in self.checks if not c.met]


def _rules_by_sub_district(sub_district_ids: Iterable[int]) -> dict[int, list[CadenceRule]]:
    rows = list(CadenceRule.objects.all())
    result = {}
    for sub_district_id in set(sub_district_ids):
        chosen: dict[tuple[str, str, str], CadenceRule] = {}
        for row in sorted(rows, key=lambda r: r.sub_district_id is not None):
            if row.sub_district_id in (None, sub_district_id):
                chosen[(row.kind, row.lecture_kind, row.applies_to)] = row
        result[sub_district_id] = [r for r in chosen.values() if r.is_active]
    return result


def _applies(rule: CadenceRule, organization: Organization, has_committee: bool) -> bool:
    if rule.applies_to == AppliesTo.PARTY_GROUP:
        return organization.kind == OrganizationKind.PARTY_GROUP
    if organization.kind != OrganizationKind.BRANCH:
        return False
    if rule.applies_to == AppliesTo.COMMITTEE:
        return has_committee
    return True


def checks_for(
    organizations: Sequence[Organization], start: dt.date, end: dt.date, today: dt.date
) -> list[Check]:
    """Every requirement of every organisation for the periods overlapping [start, end].

    Three queries in all: rules, current committees, and the held meetings by month.
    """
    if not organizations:
        return []
    ids = [org.pk for org in organizations]
    rules = _rules_by_sub_district(org.sub_district_id for org in organizations)
    with_committee = set(
        CommitteeTerm.objects.current()
        .filter(organization_id__in=ids)
        .values_list("organization_id", flat=True)
    )
    year_start = dt.date(start.year, 1, 1)
    year_end = dt.date(end.year, 12, 31)
    # organisation -> (kind, lecture kind) -> month start -> meetings held
    monthly: dict[int, dict[tuple[str, str], Counter]] = defaultdict(lambda: defaultdict(Counter))
    for organization_id, kind, lecture_kind, month, n in (
        Meeting.objects.held()
        .filter(organization_id__in=ids, held_on__gte=year_start, held_on__lte=year_end)
        .annotate(month=TruncMonth("held_on"))
        .values_list("organization_id", "kind", "lecture_kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        month_start = month.date() if isinstance(month, dt.datetime) else month
        monthly[organization_id][(kind, lecture_kind)][month_start] += n

    def held(org_id: int, rule: CadenceRule, period: Period) -> int:
        total = 0
        for (kind, lecture_kind), months in monthly.get(org_id, {}).items():
            if kind != rule.kind or (rule.lecture_kind and lecture_kind != rule.lecture_kind):
                continue
            total += sum(n for m, n in months.items() if period.start <= m <= period.end)
        return total

    checks = []
    for org in organizations:
        for rule in rules[org.sub_district_id]:
            if not _applies(rule, org, org.pk in with_committee):
                continue
            for period in periods_between(start, end, rule.granularity):  # type: ignore[arg-type]
                if org.founded_on and period.end < org.founded_on:
                    continue
                checks.append(
                    Check(
                        organization_id=org.pk,
                        rule=rule,
                        period=period,
                        required=rule.required,
                        held=held(org.pk, rule, period),
                        today=today,
                    )
                )
    return checks


@dataclass
class HeatRow:
    organization: Organization
    cells: list[Cell]

    @property
    def closed_checks(self) -> list[Check]:
        return [c for cell in self.cells for c in cell.checks if c.closed]

    @property
    def rate(self) -> int | None:
        closed = self.closed_checks
        if not closed:
            return None
        return round(100 * sum(1 for c in closed if c.met) / len(closed))


def checks_by_branch(
    branches: Sequence[Organization], start: dt.date, end: dt.date, today: dt.date
) -> dict[int, list[Check]]:
    """The checks of each branch for [start, end]; a branch's party groups count in its list."""
    if not branches:
        return {}
    by_path = {b.path: b.pk for b in branches}
    steplen = Organization.steplen
    groups = [
        group
        for group in Organization.objects.filter(
            kind=OrganizationKind.PARTY_GROUP,
            status="active",
            sub_district_id__in={b.sub_district_id for b in branches},
        )
        if group.path[:-steplen] in by_path
    ]
    owner = {group.pk: by_path[group.path[:-steplen]] for group in groups}
    result: dict[int, list[Check]] = {b.pk: [] for b in branches}
    for check in checks_for([*branches, *groups], start, end, today):
        result[owner.get(check.organization_id, check.organization_id)].append(check)
    return result


def heat_map(branches: Sequence[Organization], year: int, today: dt.date) -> list[HeatRow]:
    """Branches × months of `year`. A branch's party groups count in its row."""
    if not branches:
        return []
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = periods_between(start, end, "month")
    cells = {b.pk: {m.start: Cell(month=m, today=today) for m in months} for b in branches}
    for branch_id, checks in checks_by_branch(branches, start, end, today).items():
        for check in checks:
            month = period_containing(check.period.end, "month")
            cells[branch_id][month.start].checks.append(check)
    return [HeatRow(organization=b, cells=list(cells[b.pk].values())) for b in branches]


def counts_by_kind(
    organizations: Iterable[Organization | int], start: dt.date, end: dt.date
) -> list[tuple[str, str, int]]:
    """How many meetings of each kind (lectures by sub-kind) were held in [start, end]."""
    rows = (
        Meeting.objects.held_between(start, end)
        .filter(organization__in=list(organizations))
        .values_list("kind", "lecture_kind")
        .annotate(n=Count("pk"))
        .order_by("kind", "lecture_kind")
    )
    return [(kind, lecture_kind, n) for kind, lecture_kind, n in rows]
