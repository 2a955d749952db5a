"""Compliance of organisational life: what each organisation was required to hold, per period,
and what it held. One grouped query counts the meetings held per organisation, rule and period
(only the periods asked are read), whatever the number of branches; the checks follow in one
pass over the organisations and their rules.

A requirement (rule × organisation × period) is *met* when enough matching meetings were held
with `held_on` inside the period; it is *due* once the period has ended; it is *open* while the
period runs. A meeting held outside its period counts where it was held; its reason is on record.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q
from django.db.models.functions import Left, Length
from django.utils.translation import get_language

from activities.models import (
    AppliesTo,
    CadenceRule,
    LectureKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from branches.models import Organization, OrganizationKind
from committees.models import CommitteeTerm
from config.dbrouter import read_connection
from config.periods import Period, periods_between


@dataclass(slots=True)
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
    """One branch in one month of the heat map: the checks whose period ends that month.

    Its figures are worked out once, on first read: read them after the cell is filled
    (`heat_map` fills every cell before it returns)."""

    month: Period
    checks: list[Check] = field(default_factory=list)
    today: dt.date | None = None

    @property
    def total(self) -> int:
        return len(self.checks)

    @functools.cached_property
    def met(self) -> int:
        return sum(1 for c in self.checks if c.met)

    @functools.cached_property
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

    @functools.cached_property
    def missing_labels(self) -> list[str]:
        language = get_language()
        return [
            rule_label(c.rule.kind, c.rule.lecture_kind, language) for c in self.checks if not c.met
        ]

    @functools.cached_property
    def figure(self) -> str:
        """ "met/total" as text (a number in a template goes through localisation each time)."""
        return f"{self.met}/{self.total}" if self.checks else ""


class _OrganizationFacts(NamedTuple):
    """What the checks need of an organisation (a party group is read as these, not a model)."""

    pk: int
    sub_district_id: int
    kind: str
    founded_on: dt.date | None


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


def _applies(
    rule: CadenceRule, organization: Organization | _OrganizationFacts, has_committee: bool
) -> bool:
    if rule.applies_to == AppliesTo.PARTY_GROUP:
        return organization.kind == OrganizationKind.PARTY_GROUP
    if organization.kind != OrganizationKind.BRANCH:
        return False
    if rule.applies_to == AppliesTo.COMMITTEE:
        return has_committee
    return True


# Held meetings per organisation × (kind, lecture kind, granularity) × period, for the periods
# asked only: each wanted rule key carries the bounds of its own periods, so a one-quarter request
# reads the quarter (and the year only for the kinds a yearly rule counts).
HELD_BY_PERIOD = """
    WITH wanted (kind, lecture_kind, granularity, lo, hi) AS (VALUES {values})
    SELECT m.organization_id, w.kind, w.lecture_kind, w.granularity,
           date_trunc(w.granularity, m.held_on::timestamp)::date AS period_start, count(*)
    FROM {meetings} m
    JOIN wanted w
      ON m.kind = w.kind
     AND (w.lecture_kind = '' OR m.lecture_kind = w.lecture_kind)
     AND m.held_on BETWEEN w.lo AND w.hi
    WHERE m.status = %s AND m.organization_id = ANY(%s) AND m.held_on BETWEEN %s AND %s
    GROUP BY 1, 2, 3, 4, 5
"""

HeldKey = tuple[int, str, str, str, dt.date]


def _held_by_period(
    organization_ids: list[int],
    wanted: dict[tuple[str, str, str], tuple[dt.date, dt.date]],
) -> dict[HeldKey, int]:
    """{(organisation, kind, lecture kind, granularity, period start): meetings held}, from one
    grouped query over the meetings of `organization_ids` inside the wanted periods."""
    if not organization_ids or not wanted:
        return {}
    values = ", ".join(["(%s, %s, %s, %s::date, %s::date)"] * len(wanted))
    params: list[object] = []
    for (kind, lecture_kind, granularity), (lo, hi) in sorted(wanted.items()):
        params += [kind, lecture_kind, granularity, lo, hi]
    lowest = min(lo for lo, _ in wanted.values())
    highest = max(hi for _, hi in wanted.values())
    params += [MeetingStatus.HELD, organization_ids, lowest, highest]
    sql = HELD_BY_PERIOD.format(values=values, meetings=Meeting._meta.db_table)
    with read_connection(Meeting).cursor() as cursor:  # the report replica in a report build
        cursor.execute(sql, params)
        return {
            (org_id, kind, lecture_kind, granularity, period_start): n
            for org_id, kind, lecture_kind, granularity, period_start, n in cursor.fetchall()
        }


Span = tuple[dt.date, dt.date | None]


def _committee_spans(ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[Span]]:
    """{organisation: [(first day, last day or None)]} of the committee terms in force at some
    time in [start, end]: one query. The committee of a past period is the one of its own days,
    not today's."""
    spans: dict[int, list[Span]] = {}
    for organization_id, started_on, ended_on in (
        CommitteeTerm.objects.filter(organization_id__in=ids, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list("organization_id", "started_on", "ended_on")
    ):
        spans.setdefault(organization_id, []).append((started_on, ended_on))
    return spans


def _had_committee(spans: list[Span], period: Period) -> bool:
    """A committee was in office on some day of `period`: a monthly 支委会 is owed that month.
    A branch with no committee then (below 7 full members, RULES.md) owes none."""
    return any(
        started_on <= period.end and (ended_on is None or ended_on >= period.start)
        for started_on, ended_on in spans
    )


def checks_for(
    organizations: Sequence[Organization | _OrganizationFacts],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[Check]:
    """Every requirement of every organisation for the periods overlapping [start, end].

    Three queries in all, whatever the number of organisations: rules, the committee terms in
    force during [start, end] (each period is judged by its own committee), and the held
    meetings counted per organisation, rule and period in SQL (only the periods asked).
    """
    if not organizations:
        return []
    ids = [org.pk for org in organizations]
    rules = _rules_by_sub_district(org.sub_district_id for org in organizations)
    committee_spans = _committee_spans(ids, start, end)
    with_committee = set(committee_spans)
    periods: dict[str, list[Period]] = {}
    applicable: list[tuple[Organization | _OrganizationFacts, list[CadenceRule]]] = []
    wanted: dict[tuple[str, str, str], tuple[dt.date, dt.date]] = {}
    for org in organizations:
        chosen = [
            r for r in rules[org.sub_district_id] if _applies(r, org, org.pk in with_committee)
        ]
        applicable.append((org, chosen))
        for rule in chosen:
            granularity = rule.granularity
            if granularity not in periods:
                periods[granularity] = periods_between(start, end, granularity)  # type: ignore[arg-type]
            key = (rule.kind, rule.lecture_kind, granularity)
            if key not in wanted and periods[granularity]:
                wanted[key] = (periods[granularity][0].start, periods[granularity][-1].end)
    held = _held_by_period(ids, wanted)

    checks = []
    for org, chosen in applicable:
        founded_on = org.founded_on
        for rule in chosen:
            granularity = rule.granularity
            for period in periods[granularity]:
                if founded_on and period.end < founded_on:
                    continue
                if rule.applies_to == AppliesTo.COMMITTEE and not _had_committee(
                    committee_spans.get(org.pk, []), period
                ):
                    continue
                checks.append(
                    Check(
                        organization_id=org.pk,
                        rule=rule,
                        period=period,
                        required=rule.required,
                        held=held.get(
                            (org.pk, rule.kind, rule.lecture_kind, granularity, period.start), 0
                        ),
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

    @functools.cached_property
    def rate(self) -> int | None:
        """Per cent of the closed checks met (worked out once: a row is complete when built)."""
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
    # The active party groups of these branches only, as plain facts (no model instances).
    rows = (
        Organization.objects.filter(
            kind=OrganizationKind.PARTY_GROUP,
            status="active",
            sub_district_id__in={b.sub_district_id for b in branches},
        )
        .annotate(parent_path=Left("path", Length("path") - steplen))
        .filter(parent_path__in=list(by_path))
        .values_list("pk", "sub_district_id", "kind", "founded_on", "parent_path")
    )
    groups: list[_OrganizationFacts] = []
    owner: dict[int, int] = {}
    for pk, sub_district_id, kind, founded_on, parent_path in rows:
        groups.append(_OrganizationFacts(pk, sub_district_id, kind, founded_on))
        owner[pk] = by_path[parent_path]
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
            period_end = check.period.end
            cells[branch_id][period_end.replace(day=1)].checks.append(check)
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
