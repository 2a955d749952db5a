"""Compliance of organisational life: what each organisation was required to hold, per period,
and what it held. One statement lists, for the organisations and the period range asked, every
requirement (organisation × rule × period, with the committee in office then and the founding
date) beside the meetings held for it, counted per organisation, rule and period over the periods
asked only; the heat map has it grouped per branch and month in SQL too. The query count does not
depend on the number of organisations or periods.

A requirement (rule × organisation × period) is *met* when enough matching meetings were held
with `held_on` inside the period; it is *due* once the period has ended; it is *open* while the
period runs. A meeting held outside its period counts where it was held; its reason is on record.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count
from django.db.models.functions import Left, Length
from django.utils.translation import get_language

from activities.dialect import ComplianceDialect, compliance_dialect
from activities.models import (
    AppliesTo,
    CadenceRule,
    LectureKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Talk,
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


# Every requirement (organisation × rule × period) of the organisations asked, with the meetings
# held for it, in one statement. The organisations come in as arrays (with the branch each one
# counts for, and its position), the rules in force per sub-district and the periods asked as
# VALUES. The held meetings are counted once per organisation, (kind, lecture kind, granularity)
# and period over the periods asked only. A 支委会 rule is owed in a period only if a committee
# was in office on some day of that period (each period is judged by its own committee) and at
# some time in the range asked; nothing is owed for a period that ended before the organisation
# was founded. The counts meet the requirements through a window over both sets (UNION ALL,
# partitioned by the shared key), not a join: the planner cannot pick a row-by-row nested loop
# from a poor estimate of either side (a join did: 1.2 s for 2,400 requirements).
# The meetings are filtered by the organisations as an array built at run time
# (`ARRAY(SELECT id FROM org)`), not by the same ids passed as a constant: with a constant the
# planner estimated the selectivity of each of the hundreds of ids, in each branch of the held
# sources' UNION ALL, which was most of the statement's planning time (12.5 -> 2.1 ms for a
# sub-district's 246 organisations on seed_scale, same execution time and plan shape).
REQUIREMENTS = """
    WITH org (id, owner_id, sub_district_id, kind, founded_on, position) AS (
        {org}
    ),
    rule (sub_district_id, id, position, key, applies_to, granularity, required)
        AS (VALUES {rules}),
    wanted (key, kind, lecture_kind, granularity) AS (VALUES {wanted}),
    period (granularity, start, "end") AS (VALUES {periods}),
    bounds AS (SELECT granularity, min(start) AS lo, max("end") AS hi FROM period GROUP BY 1),
    held AS (
        SELECT m.organization_id, w.key,
               {period_start} AS start, count(*) AS n
        FROM {meetings} m
        JOIN wanted w
          ON m.kind = w.kind AND (w.lecture_kind = '' OR m.lecture_kind = w.lecture_kind)
        JOIN bounds b ON b.granularity = w.granularity AND m.held_on BETWEEN b.lo AND b.hi
        WHERE m.status = %s AND m.organization_id {of_orgs}
          AND m.held_on BETWEEN %s AND %s
        GROUP BY 1, 2, 3
    ),
    owed AS (
        SELECT o.id AS organization_id, o.owner_id, o.position AS org_position,
               r.id AS rule_id, r.position AS rule_position, r.required,
               r.key, p.granularity, p.start, p."end"
        FROM org o
        JOIN rule r
          ON r.sub_district_id = o.sub_district_id
         AND CASE WHEN r.applies_to = %s THEN o.kind = %s ELSE o.kind = %s END
        JOIN period p ON p.granularity = r.granularity
        WHERE (o.founded_on IS NULL OR p."end" >= o.founded_on)
          AND (r.applies_to <> %s OR (
                EXISTS (SELECT {exists}FROM {terms} t WHERE t.organization_id = o.id
                        AND t.started_on <= %s AND (t.ended_on IS NULL OR t.ended_on >= %s))
            AND EXISTS (SELECT {exists}FROM {terms} t WHERE t.organization_id = o.id
                        AND t.started_on <= p."end"
                        AND (t.ended_on IS NULL OR t.ended_on >= p.start))
          ))
    ),
    counted AS (
        SELECT *, coalesce(sum(n) OVER (PARTITION BY organization_id, key, start), 0){as_int}
                   AS held
        FROM (
            SELECT organization_id, owner_id, org_position, rule_id, rule_position, required,
                   key, granularity, start, "end", {null_bigint} AS n
            FROM owed
            UNION ALL
            SELECT organization_id, NULL, NULL, NULL, NULL, NULL, key, NULL, start, NULL, n
            FROM held
        ) AS both_sets
    ),
    requirement AS (SELECT * FROM counted WHERE rule_id IS NOT NULL)
"""

# What counts as held: the meetings, where an election (换届选举) is held at a 支部党员大会 and
# counts as one, and each recorded heart-to-heart talk (`Talk`, activities/talks.py) as a talk.
HELD_SOURCES = """(
    SELECT organization_id,
           CASE WHEN kind = '{election}' THEN '{general_meeting}' ELSE kind END AS kind,
           lecture_kind, held_on, status
    FROM {meetings}
    UNION ALL
    SELECT organization_id, '{talk}', '', held_on, '{held}' FROM {talks}
)"""

# The requirements themselves, in the order of the organisations given, their rules and periods.
CHECK_ROWS = """
    SELECT organization_id, owner_id, rule_id, granularity, start, held FROM requirement
    ORDER BY org_position, rule_position, start
"""

# The heat map's cells: per branch (a party group counts for its branch) and month in which the
# requirement's period ends: how many are owed, how many met, the unmet rules (in the order of
# the organisations, rules and periods), the rules owed, and the closed ones among them. The
# statement is the dialect's (`activities.dialect`: SQLite lists the unmet rules differently).


class _Requirements(NamedTuple):
    sql: str
    params: list[object]
    rules: dict[int, CadenceRule]
    periods: dict[tuple[str, dt.date], Period]
    dialect: ComplianceDialect


def _requirements(
    organizations: Sequence[Organization | _OrganizationFacts],
    owners: dict[int, int],
    start: dt.date,
    end: dt.date,
) -> _Requirements | None:
    """The REQUIREMENTS statement for `organizations` over the periods overlapping [start, end];
    None when nothing can be owed (no organisation, no rule in force)."""
    rules_by_sub_district = _rules_by_sub_district(org.sub_district_id for org in organizations)
    rule_rows: list[tuple] = []
    rules: dict[int, CadenceRule] = {}
    # (kind, lecture kind, granularity): what a rule counts, numbered (the window sorts on it)
    keys: dict[tuple[str, str, str], int] = {}
    for sub_district_id, chosen in sorted(rules_by_sub_district.items()):
        for position, rule in enumerate(chosen):
            rules[rule.pk] = rule
            key = keys.setdefault((rule.kind, rule.lecture_kind, rule.granularity), len(keys))
            rule_rows.append(
                (sub_district_id, rule.pk, position, key)
                + (rule.applies_to, rule.granularity, rule.required)
            )
    periods = {
        (granularity, period.start): period
        for granularity in sorted({rule.granularity for rule in rules.values()})
        for period in periods_between(start, end, granularity)  # type: ignore[arg-type]
    }
    if not rule_rows or not periods:
        return None
    dialect = compliance_dialect(read_connection(Meeting).vendor)
    params: list[object] = dialect.org_params(
        [
            (org.pk, owners.get(org.pk, org.pk), org.sub_district_id, org.kind, org.founded_on)
            for org in organizations
        ]
    )
    for row in rule_rows:
        params += row
    for (kind, lecture_kind, granularity), key in keys.items():
        params += [key, kind, lecture_kind, granularity]
    for granularity, period_start in periods:
        params += [granularity, period_start, periods[granularity, period_start].end]
    lowest = min(period.start for period in periods.values())
    highest = max(period.end for period in periods.values())
    params += [MeetingStatus.HELD, lowest, highest]
    params += [AppliesTo.PARTY_GROUP, OrganizationKind.PARTY_GROUP, OrganizationKind.BRANCH]
    params += [AppliesTo.COMMITTEE, end, start]
    bigint, int_, date = dialect.as_bigint, dialect.as_int, dialect.as_date
    sql = REQUIREMENTS.format(
        org=dialect.org,
        period_start=dialect.period_start,
        of_orgs=dialect.of_orgs,
        exists=dialect.exists,
        as_int=dialect.as_int,
        null_bigint=dialect.null_bigint,
        rules=", ".join(
            [f"(%s{bigint}, %s{bigint}, %s{int_}, %s{int_}, %s, %s, %s{int_})"] * len(rule_rows)
        ),
        wanted=", ".join([f"(%s{int_}, %s, %s, %s)"] * len(keys)),
        periods=", ".join([f"(%s, %s{date}, %s{date})"] * len(periods)),
        meetings=HELD_SOURCES.format(
            meetings=Meeting._meta.db_table,
            talks=Talk._meta.db_table,
            election=MeetingKind.ELECTION.value,
            general_meeting=MeetingKind.GENERAL_MEETING.value,
            talk=MeetingKind.TALK.value,
            held=MeetingStatus.HELD.value,
        ),
        terms=CommitteeTerm._meta.db_table,
    )
    return _Requirements(sql, params, rules, periods, dialect)


def _fetch(sql: str, params: list[object]) -> list[tuple]:
    with read_connection(Meeting).cursor() as cursor:  # the report replica in a report build
        cursor.execute(sql, params)
        return cursor.fetchall()


def _checks(
    organizations: Sequence[Organization | _OrganizationFacts],
    owners: dict[int, int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[tuple[int, Check]]:
    """(the branch it counts for, the check) of every requirement, from one statement."""
    if not organizations:
        return []
    found = _requirements(organizations, owners, start, end)
    if found is None:
        return []
    rules, periods, day = found.rules, found.periods, found.dialect.day
    return [
        (
            owner_id,
            Check(
                organization_id=organization_id,
                rule=rules[rule_id],
                period=periods[granularity, day(period_start)],
                required=rules[rule_id].required,
                held=held,
                today=today,
            ),
        )
        for organization_id, owner_id, rule_id, granularity, period_start, held in _fetch(
            found.sql + CHECK_ROWS, found.params
        )
    ]


def checks_for(
    organizations: Sequence[Organization | _OrganizationFacts],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[Check]:
    """Every requirement of every organisation for the periods overlapping [start, end], in the
    order of the organisations given, their rules and periods.

    Two queries in all, whatever the number of organisations or periods: the rules, then one
    statement that lists the requirements (committee terms, founding dates) and counts the
    meetings held for each over the periods asked only.
    """
    return [check for _, check in _checks(organizations, {}, start, end, today)]


def _party_groups(
    branches: Sequence[Organization],
) -> tuple[list[_OrganizationFacts], dict[int, int]]:
    """The active party groups of `branches` as plain facts (no model instances), and the branch
    each one counts for: one query."""
    by_path = {b.path: b.pk for b in branches}
    steplen = Organization.steplen
    rows = (
        Organization.objects.filter(
            kind=OrganizationKind.PARTY_GROUP,
            status="active",
            sub_district_id__in={b.sub_district_id for b in branches},
        )
        .annotate(parent_path=Left("path", Length("path") - steplen))
        .filter(parent_path__in=list(by_path))
        .order_by("path")
        .values_list("pk", "sub_district_id", "kind", "founded_on", "parent_path")
    )
    groups: list[_OrganizationFacts] = []
    owners: dict[int, int] = {}
    for pk, sub_district_id, kind, founded_on, parent_path in rows:
        groups.append(_OrganizationFacts(pk, sub_district_id, kind, founded_on))
        owners[pk] = by_path[parent_path]
    return groups, owners


def checks_by_branch(
    branches: Sequence[Organization], start: dt.date, end: dt.date, today: dt.date
) -> dict[int, list[Check]]:
    """The checks of each branch for [start, end]; a branch's party groups count in its list.
    Three queries, whatever the number of branches."""
    if not branches:
        return {}
    groups, owners = _party_groups(branches)
    result: dict[int, list[Check]] = {b.pk: [] for b in branches}
    for owner_id, check in _checks([*branches, *groups], owners, start, end, today):
        result[owner_id].append(check)
    return result


@dataclass(slots=True)
class Cell:
    """One branch in one month of the heat map: the requirements whose period ends that month
    (the branch's own and its party groups'), as counted in SQL."""

    month: Period
    today: dt.date | None = None
    total: int = 0
    met: int = 0
    closed: int = 0  # requirements whose period has ended
    closed_met: int = 0
    rules: tuple[CadenceRule, ...] = ()  # the rules owed this month, once each
    missing: tuple[CadenceRule, ...] = ()  # the rule of each requirement not met

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
    """Branches × months of `year`. A branch's party groups count in its row.

    Three queries whatever the number of branches (rules, party groups, and one statement that
    counts the requirements owed, met and missed per branch and month in SQL); Python only
    places the rows it returns."""
    if not branches:
        return []
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = periods_between(start, end, "month")
    cells = {b.pk: {m.start: Cell(month=m, today=today) for m in months} for b in branches}
    groups, owners = _party_groups(branches)
    found = _requirements([*branches, *groups], owners, start, end)
    closed: dict[int, list[int]] = {b.pk: [0, 0] for b in branches}
    if found is not None:
        rules, dialect = found.rules, found.dialect
        rows = _fetch(found.sql + dialect.heat_cells, [*found.params, today, today])
    else:
        rows = []
    for owner_id, month, total, met, n_closed, closed_met, missing, owed in rows:
        cell = cells[owner_id][dialect.day(month)]
        cell.total, cell.met, cell.closed, cell.closed_met = total, met, n_closed, closed_met
        cell.missing = tuple(rules[pk] for pk in dialect.ids(missing))
        cell.rules = tuple(rules[pk] for pk in sorted(dialect.ids(owed)))
        closed[owner_id][0] += n_closed
        closed[owner_id][1] += closed_met
    return [
        HeatRow(
            organization=b,
            cells=list(cells[b.pk].values()),
            rate=round(100 * closed[b.pk][1] / closed[b.pk][0]) if closed[b.pk][0] else None,
        )
        for b in branches
    ]


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
