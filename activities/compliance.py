"""Compliance of organisational life: what each organisation was required to hold, per period,
and what it held. The meetings held are counted in SQL, in one grouped statement per organisation,
kind and month over the periods asked only; the requirements (organisation × rule in force ×
period, with the committee in office then and the founding date) and the checks or heat-map cells
follow in one pass in Python over those rows. The query count does not depend on the number of
organisations or periods.

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
from django.utils.translation import get_language

from activities.dialect import compliance_dialect
from activities.models import (
    AppliesTo,
    CadenceRule,
    LectureKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Talk,
)
from branches.models import Organization, OrganizationKind, OrganizationStatus
from branches.structure import organization_in
from committees.models import CommitteeTerm
from config.dbrouter import read_connection
from config.periods import Period, period_containing, periods_between


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


class _OrganizationFacts(NamedTuple):
    """What the checks need of an organisation (a party group is read as these, not a model)."""

    pk: int
    sub_district_id: int
    kind: str
    founded_on: dt.date | None


def _rules_by_sub_district(sub_district_ids: Iterable[int]) -> dict[int, list[CadenceRule]]:
    """The rules in force per sub-district: its own rule of a (kind, lecture kind, applies to)
    replaces the common one (an inactive own rule switches the common one off)."""
    rows = list(CadenceRule.objects.all())
    result = {}
    for sub_district_id in set(sub_district_ids):
        chosen: dict[tuple[str, str, str], CadenceRule] = {}
        for row in sorted(rows, key=lambda r: r.sub_district_id is not None):
            if row.sub_district_id in (None, sub_district_id):
                chosen[(row.kind, row.lecture_kind, row.applies_to)] = row
        result[sub_district_id] = [r for r in chosen.values() if r.is_active]
    return result


# The meetings held per organisation, kind, lecture kind and month over the periods asked, in
# one grouped statement, and each recorded heart-to-heart talk (`Talk`, activities/talks.py),
# marked as such in the last column. Months are the finest period a rule asks for; a quarter's or
# a year's count is the sum of its months, added up in the pass over these rows
# (`_held_per_period`), where an election (换届选举), held at a 支部党员大会, counts as one. The
# statement is the dialect's only in how it names a month and passes the organisations
# (`activities.dialect`).
HELD_PER_MONTH = """
    SELECT organization_id, kind, lecture_kind, {month}, count(*), 0
    FROM {meetings}
    WHERE status = %s AND organization_id {of_orgs} AND held_on BETWEEN %s AND %s
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT organization_id, %s, '', {month}, count(*), 1
    FROM {talks}
    WHERE organization_id {of_orgs} AND held_on BETWEEN %s AND %s
    GROUP BY 1, 4
"""

# (organisation, kind, lecture kind, first day of the month, meetings held, a talk?)
HeldRow = tuple[int, str, str, dt.date, int, int]


class _Key(NamedTuple):
    """What a rule counts: meetings of `kind` (of `lecture_kind`; any lecture when empty) per
    period of `granularity`."""

    kind: str
    lecture_kind: str
    granularity: str


def _held_rows(ids: list[int], lowest: dt.date, highest: dt.date) -> list[HeldRow]:
    """The meetings and talks of the organisations `ids` held in [lowest, highest], counted per
    organisation, kind, lecture kind and month: one statement."""
    connection = read_connection(Meeting)  # the report replica in a report build
    dialect = compliance_dialect(connection.vendor)
    sql = HELD_PER_MONTH.format(
        month=dialect.month,
        of_orgs=dialect.of_ids,
        meetings=Meeting._meta.db_table,
        talks=Talk._meta.db_table,
    )
    orgs = dialect.ids_param(ids)
    params = [MeetingStatus.HELD, orgs, lowest, highest, MeetingKind.TALK, orgs, lowest, highest]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not dialect.returns_dates:
        day = dialect.day
        rows = [
            (org, kind, lecture, day(month), n, talk) for org, kind, lecture, month, n, talk in rows
        ]
    return rows


def _held_per_period(
    rows: list[HeldRow], keys: Sequence[_Key]
) -> dict[tuple[int, int, dt.date], int]:
    """{(organisation, index of the key in `keys`, period start): meetings held}, added up from
    the monthly `rows`."""
    # (kind, lecture kind) -> the keys it counts for, as (index, granularity): a key with no
    # lecture kind counts every lecture.
    by_kind: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for index, key in enumerate(keys):
        by_kind.setdefault((key.kind, key.lecture_kind), []).append((index, key.granularity))
    # (kind, lecture kind) of a row -> the keys it counts for; an election counts as a general
    # meeting. Worked out once per pair, not per row.
    counts_for: dict[tuple[str, str], list[tuple[int, str]]] = {}
    starts: dict[tuple[dt.date, str], dt.date] = {}  # (month, granularity) -> its period's start
    election, general_meeting = MeetingKind.ELECTION.value, MeetingKind.GENERAL_MEETING.value
    held: dict[tuple[int, int, dt.date], int] = {}
    for organization_id, kind, lecture_kind, month, n, _ in rows:
        counted = counts_for.get((kind, lecture_kind))
        if counted is None:
            as_kind = general_meeting if kind == election else kind
            counted = by_kind.get((as_kind, lecture_kind), [])
            if lecture_kind:
                counted = counted + by_kind.get((as_kind, ""), [])
            counts_for[kind, lecture_kind] = counted
        for index, granularity in counted:
            first = starts.get((month, granularity))
            if first is None:
                first = starts[month, granularity] = period_containing(month, granularity).start
            slot = (organization_id, index, first)
            held[slot] = held.get(slot, 0) + n
    return held


Span = tuple[dt.date, dt.date | None]


def _committee_spans(ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[Span]]:
    """{organisation: [(first day, last day or None)]} of the committee terms in office at some
    time in [start, end]: one query. A past period is judged by the committee of its own days,
    not by today's."""
    spans: dict[int, list[Span]] = {}
    rows = (
        CommitteeTerm.objects.filter(organization_in(CommitteeTerm, ids), started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list("organization_id", "started_on", "ended_on")
    )
    for organization_id, started_on, ended_on in rows:
        spans.setdefault(organization_id, []).append((started_on, ended_on))
    return spans


def _in_office(spans: list[Span], first: dt.date, last: dt.date) -> bool:
    """A committee was in office on some day of the period [first, last]: a 支委会 is owed in
    it. A branch with no committee then (below 7 full members, RULES.md) owes none."""
    return any(
        started_on <= last and (ended_on is None or ended_on >= first)
        for started_on, ended_on in spans
    )


# A requirement: (the branch it counts for (a party group's branch), the organisation, the rule,
# the period, the meetings held for it). A plain tuple: thousands are made per build.
_Requirement = tuple[int, int, CadenceRule, Period, int]


def _requirements(
    organizations: Sequence[Organization | _OrganizationFacts],
    owners: dict[int, int],
    start: dt.date,
    end: dt.date,
) -> tuple[list[_Requirement], list[HeldRow] | None]:
    """Every requirement (organisation × rule in force × period overlapping [start, end]) with
    the meetings held for it, in the order of the organisations, their rules and periods. Three
    queries, whatever the number of organisations or periods: the rules, the meetings held
    counted per organisation, kind and month, and the committee terms in office in the range;
    the rest is one pass in Python over those rows, which are returned too (None when nothing
    can be owed and the meetings were not read).

    A 支委会 rule is owed in a period only if a committee was in office on some day of that
    period; nothing is owed for a period that ended before the organisation was founded."""
    if not organizations:
        return [], None
    rules = _rules_by_sub_district(org.sub_district_id for org in organizations)
    periods: dict[str, list[Period]] = {}
    keys: dict[_Key, int] = {}  # what the rules count, numbered
    # (sub-district, organisation kind) -> what it owes, in the order of its rules and periods:
    # (rule, key number, period, the period's first and last day, a 支委会 rule?)
    owed: dict[tuple[int, str], list[tuple[CadenceRule, int, Period, dt.date, dt.date, bool]]] = {}
    for org in organizations:
        if (org.sub_district_id, org.kind) in owed:
            continue
        slots = []
        for rule in rules[org.sub_district_id]:
            owing = (
                OrganizationKind.PARTY_GROUP
                if rule.applies_to == AppliesTo.PARTY_GROUP
                else OrganizationKind.BRANCH
            )
            if org.kind != owing:
                continue
            if rule.granularity not in periods:
                periods[rule.granularity] = periods_between(start, end, rule.granularity)  # type: ignore[arg-type]
            key = keys.setdefault(_Key(rule.kind, rule.lecture_kind, rule.granularity), len(keys))
            committee = rule.applies_to == AppliesTo.COMMITTEE
            slots += [
                (rule, key, period, period.start, period.end, committee)
                for period in periods[rule.granularity]
            ]
        owed[org.sub_district_id, org.kind] = slots
    asked = [span for span in periods.values() if span]
    if not asked:
        return [], None
    ids = [org.pk for org in organizations]
    rows = _held_rows(
        ids, min(span[0].start for span in asked), max(span[-1].end for span in asked)
    )
    held = _held_per_period(rows, list(keys))
    committees = any(committee for slots in owed.values() for *_, committee in slots)
    terms = _committee_spans(ids, start, end) if committees else {}
    requirements = []
    for org in organizations:
        pk, founded_on = org.pk, org.founded_on
        owner_id, spans = owners.get(pk, pk), terms.get(pk)
        for rule, key, period, first, last, committee in owed[org.sub_district_id, org.kind]:
            if founded_on is not None and last < founded_on:
                continue
            if committee and not (spans and _in_office(spans, first, last)):
                continue
            requirements.append((owner_id, pk, rule, period, held.get((pk, key, first), 0)))
    return requirements, rows


def checks_for(
    organizations: Sequence[Organization | _OrganizationFacts],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[Check]:
    """Every requirement of every organisation for the periods overlapping [start, end], in the
    order of the organisations given, their rules and periods.

    Three queries in all, whatever the number of organisations or periods: the rules, the
    committee terms in office, and the meetings held counted per organisation, kind and month
    over the periods asked only.
    """
    return [
        Check(organization_id, rule, period, rule.required, held, today)
        for _, organization_id, rule, period, held in _requirements(organizations, {}, start, end)[
            0
        ]
    ]


# The active party groups of the branches asked, with the path of the branch each one belongs to.
PARTY_GROUPS = """
    SELECT id, sub_district_id, kind, founded_on, substr(path, 1, length(path) - %s) AS parent
    FROM {organizations}
    WHERE kind = %s AND status = %s AND sub_district_id {of_ids}
      AND substr(path, 1, length(path) - %s) {of_ids}
    ORDER BY path
"""


def _party_groups(
    branches: Sequence[Organization],
) -> tuple[list[_OrganizationFacts], dict[int, int]]:
    """The active party groups of `branches` as plain facts (no model instances), and the branch
    each one counts for: one query."""
    by_path = {b.path: b.pk for b in branches}
    steplen = Organization.steplen
    connection = read_connection(Organization)
    dialect = compliance_dialect(connection.vendor)
    sql = PARTY_GROUPS.format(organizations=Organization._meta.db_table, of_ids=dialect.of_ids)
    sub_districts = sorted({b.sub_district_id for b in branches})
    params = [steplen, OrganizationKind.PARTY_GROUP, OrganizationStatus.ACTIVE]
    params += [dialect.ids_param(sub_districts)]
    params += [steplen, dialect.ids_param(list(by_path))]
    groups: list[_OrganizationFacts] = []
    owners: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, sub_district_id, kind, founded_on, parent_path in cursor.fetchall():
            founded_on = founded_on and dialect.day(founded_on)
            groups.append(_OrganizationFacts(pk, sub_district_id, kind, founded_on))
            owners[pk] = by_path[parent_path]
    return groups, owners


def checks_by_branch(
    branches: Sequence[Organization], start: dt.date, end: dt.date, today: dt.date
) -> dict[int, list[Check]]:
    """The checks of each branch for [start, end]; a branch's party groups count in its list.
    Four queries, whatever the number of branches."""
    if not branches:
        return {}
    groups, owners = _party_groups(branches)
    result: dict[int, list[Check]] = {b.pk: [] for b in branches}
    requirements, _ = _requirements([*branches, *groups], owners, start, end)
    for owner_id, organization_id, rule, period, held in requirements:
        result[owner_id].append(Check(organization_id, rule, period, rule.required, held, today))
    return result


@dataclass(slots=True)
class Cell:
    """One branch in one month of the heat map: the requirements whose period ends that month
    (the branch's own and its party groups')."""

    month: Period
    today: dt.date | None = None
    total: int = 0
    met: int = 0
    closed: int = 0  # requirements whose period has ended
    closed_met: int = 0
    missing: list[CadenceRule] = field(default_factory=list)  # the rule of each one not met

    @property
    def state(self) -> str:
        if self.today is not None and self.month.start > self.today:
            return "future"
        if not self.total:
            return "none"
        if self.met == self.total:
            return "complete"
        if self.today is not None and self.month.end >= self.today:
            return "open"
        return "partial" if self.met * 2 >= self.total else "behind"

    @property
    def missing_labels(self) -> list[str]:
        language = get_language()
        return [rule_label(r.kind, r.lecture_kind, language) for r in self.missing]

    @property
    def figure(self) -> str:
        """ "met/total" as text (a number in a template goes through localisation each time)."""
        return f"{self.met}/{self.total}" if self.total else ""


@dataclass(slots=True)
class HeatRow:
    organization: Organization
    cells: list[Cell]
    rate: int | None  # per cent of the closed requirements met; None when none has closed


def heat_map(branches: Sequence[Organization], year: int, today: dt.date) -> list[HeatRow]:
    """Branches × months of `year`. A branch's party groups count in its row; a requirement
    counts in the month its period ends.

    Four queries whatever the number of branches (party groups, and the three of the
    requirements: rules, meetings held per organisation, kind and month, committee terms); the
    cells are added up in one pass over the requirements."""
    return heat_map_with_counts(branches, year, today)[0]


def heat_map_with_counts(
    branches: Sequence[Organization], year: int, today: dt.date
) -> tuple[list[HeatRow], list[tuple[str, str, int]]]:
    """The heat map of `year` and, as `counts_by_kind` gives them, the meetings the branches
    themselves held that year by kind, read from the rows the heat map counts (no query more)."""
    if not branches:
        return [], []
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = periods_between(start, end, "month")
    cells = {b.pk: {m.start: Cell(month=m, today=today) for m in months} for b in branches}
    # the last day of a period -> (the month it ends in, has it ended?)
    ending = {
        period.end: (period.end.replace(day=1), period.end < today)
        for granularity in ("month", "quarter", "year")
        for period in periods_between(start, end, granularity)
    }
    groups, owners = _party_groups(branches)
    requirements, held_rows = _requirements([*branches, *groups], owners, start, end)
    for owner_id, _, rule, period, held in requirements:
        month, is_closed = ending[period.end]
        cell = cells[owner_id][month]
        met = held >= rule.required
        cell.total += 1
        if met:
            cell.met += 1
        else:
            cell.missing.append(rule)
        if is_closed:
            cell.closed += 1
            cell.closed_met += met
    rows = []
    for branch in branches:
        row = list(cells[branch.pk].values())
        closed = sum(cell.closed for cell in row)
        met = sum(cell.closed_met for cell in row)
        rows.append(HeatRow(branch, row, round(100 * met / closed) if closed else None))
    if held_rows is None:  # no rule in force: the meetings were not read
        return rows, counts_by_kind(branches, start, end)
    by_kind: dict[tuple[str, str], int] = {}
    for organization_id, kind, lecture_kind, _, n, talk in held_rows:
        if not talk and organization_id in cells:
            by_kind[kind, lecture_kind] = by_kind.get((kind, lecture_kind), 0) + n
    return rows, [(kind, lecture_kind, n) for (kind, lecture_kind), n in sorted(by_kind.items())]


def counts_by_kind(
    organizations: Iterable[Organization | int], start: dt.date, end: dt.date
) -> list[tuple[str, str, int]]:
    """How many meetings of each kind (lectures by sub-kind) were held in [start, end]."""
    ids = [org if isinstance(org, int) else org.pk for org in organizations]
    rows = (
        Meeting.objects.held_between(start, end)
        .filter(organization_in(Meeting, ids))
        .values_list("kind", "lecture_kind")
        .annotate(n=Count("pk"))
        .order_by("kind", "lecture_kind")
    )
    return [(kind, lecture_kind, n) for kind, lecture_kind, n in rows]
