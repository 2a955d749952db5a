"""The figures of the quarterly report pack, computed from dated records for the quarter as it was.

Every section is a handful of aggregate queries, whatever the size of the district; nothing here
walks rows in Python except the per-branch compliance checks (one row per branch and rule). The
result is plain JSON (sections of tables of numbers and strings) so a finished job can freeze it
and every writer (XLSX, DOCX, CSV, the web page) renders the same figures.

"As it was": organisations are counted from their dated periods (`OrganizationPeriod`), members
from the dates on their records (joined, confirmed, left) and in the branch that kept them on
the quarter's last day (the transfers accepted since: `moves_since`), committees from their
dated terms, the joining pipeline from the date of each step, action items from their deadlines
and completion dates. What has no history (a member moved by a merge or split, a room's current
hall) is taken as it stands; the notes of each section say so where it matters.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activities.compliance import checks_by_branch, counts_by_kind
from activities.models import Attendance as MeetingAttendance
from activities.models import AttendanceStatus as MeetingAttendanceStatus
from activities.models import LectureKind, MeetingKind, MeetingStatus
from branches.models import (
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
    Sector,
)
from committees.models import CommitteeTerm
from config.periods import Period, quarter
from members.models import (
    Category,
    Development,
    Member,
    MembershipState,
    MemberStatus,
    Stage,
    Transfer,
    TransferKind,
    TransferState,
)
from members.querysets import MemberQuerySet
from regional.models import (
    ActionItem,
    Attendance,
    AttendanceStatus,
    JointMeeting,
    Need,
    Project,
    RegionalCommittee,
    Resource,
)
from reports.scope import ReportScope

TWO_NEW_SECTORS = (Sector.NON_PUBLIC_ENTERPRISE, Sector.SOCIAL_ORGANIZATION)
GONE_STATES = (MembershipState.TRANSFERRED_OUT, MembershipState.LEFT, MembershipState.DECEASED)

Section = dict[str, Any]
Table = dict[str, Any]


def table(
    key: str,
    title: str,
    columns: list[str],
    rows: list[list[Any]],
    *,
    totals: list[Any] | None = None,
    note: str = "",
) -> Table:
    return {
        "key": key,
        "title": title,
        "columns": columns,
        "rows": rows,
        "totals": totals,
        "note": note,
    }


def _sum_columns(rows: list[list[Any]], first: int, label: str) -> list[Any]:
    """A totals row: `label` in the first column, sums of the numeric columns from `first`."""
    width = len(rows[0]) if rows else first
    totals: list[Any] = [label] + [""] * (first - 1)
    for index in range(first, width):
        values = [r[index] for r in rows if isinstance(r[index], int | float)]
        totals.append(round(sum(values), 1) if values else "")
    return totals


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def _day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(period.start, dt.time.min, tz),
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tz),
    )


# --- Organisation -------------------------------------------------------------------------


def organisation_counts(scope: ReportScope, day: dt.date) -> dict[str, int]:
    """The headline counts of the tree as it stood on `day` (one query)."""
    return _counts_from_kinds(_organisations_by_kind(scope, day))


def _organisations_by_kind(scope: ReportScope, day: dt.date) -> list[tuple[str, str, int]]:
    """(kind, sector, organisations) on `day`: the one query the headline and the table share."""
    return list(
        OrganizationPeriod.objects.on(day)
        .filter(scope.organizations_q("organization__"))
        .values_list("kind", "sector")
        .annotate(n=Count("pk"))
        .order_by("kind", "sector")
    )


def _counts_from_kinds(by_kind: list[tuple[str, str, int]]) -> dict[str, int]:
    def total(kind: str, sectors: tuple[str, ...] | None = None) -> int:
        return sum(
            n for k, sector, n in by_kind if k == kind and (sectors is None or sector in sectors)
        )

    return {
        "general_branches": total(OrganizationKind.GENERAL_BRANCH),
        "community_branches": total(OrganizationKind.BRANCH, (Sector.COMMUNITY,)),
        "village_branches": total(OrganizationKind.BRANCH, (Sector.VILLAGE,)),
        "two_new_branches": total(OrganizationKind.BRANCH, TWO_NEW_SECTORS),
        "branches": total(OrganizationKind.BRANCH),
        "party_groups": total(OrganizationKind.PARTY_GROUP),
        "organizations": sum(
            n for kind, _sector, n in by_kind if kind != OrganizationKind.WORK_COMMITTEE
        ),
    }


def organisation_section(pack: Pack) -> Section:
    scope, period = pack.scope, pack.period
    by_kind = _organisations_by_kind(scope, period.end)
    counts = _counts_from_kinds(by_kind)
    members = pack.roll.total
    kinds = dict(OrganizationKind.choices)
    sectors = dict(Sector.choices)
    kind_rows = [
        [str(kinds.get(kind, kind)), str(sectors.get(sector, sector or "—")), n]
        for kind, sector, n in by_kind
        if kind != OrganizationKind.WORK_COMMITTEE
    ]
    events = (
        OrganizationEvent.objects.filter(scope.organizations_q("organization__"))
        .filter(occurred_on__gte=period.start, occurred_on__lte=period.end)
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    event_names = dict(EventKind.choices)
    event_counts = dict(events)
    terms = CommitteeTerm.objects.filter(scope.organizations_q("organization__"))
    change_rows = [[str(event_names[k]), event_counts.get(k, 0)] for k in EventKind.values]
    change_rows += [
        [
            _("Committee terms that fell due"),
            terms.filter(planned_end_on__gte=period.start, planned_end_on__lte=period.end).count(),
        ],
        [
            _("Committees elected or renewed"),
            terms.filter(started_on__gte=period.start, started_on__lte=period.end).count(),
        ],
    ]
    in_office = terms.on(period.end).aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(planned_end_on__lt=period.end))
    )
    change_rows += [
        [_("Committees in office at quarter end"), in_office["n"]],
        [_("Committees overdue for election at quarter end"), in_office["overdue"]],
    ]
    headline = [
        [_("General branches"), counts["general_branches"]],
        [_("Community branches"), counts["community_branches"]],
        [_("Village branches"), counts["village_branches"]],
        [_("Two-new branches"), counts["two_new_branches"]],
        [_("Branches in all"), counts["branches"]],
        [_("Party groups"), counts["party_groups"]],
        [_("Members on the roll"), members],
    ]
    summary = _(
        "At the end of the quarter the scope had %(general)d general branch(es), %(community)d "
        "community branches, %(village)d village branch(es) and %(two_new)d two-new branches, "
        "with %(members)d party members."
    ) % {
        "general": counts["general_branches"],
        "community": counts["community_branches"],
        "village": counts["village_branches"],
        "two_new": counts["two_new_branches"],
        "members": members,
    }
    return {
        "key": "organisation",
        "title": _("Organisation"),
        "summary": summary,
        "figures": {**counts, "members": members},
        "tables": [
            table("headline", _("At quarter end"), [_("Item"), _("Count")], headline),
            table(
                "by_kind",
                _("Organisations by kind and sector"),
                [_("Kind"), _("Sector"), _("Count")],
                kind_rows,
                totals=[_("Total"), "", sum(r[2] for r in kind_rows)],
            ),
            table(
                "changes",
                _("Changes in the quarter"),
                [pgettext("member roll", "Change"), _("Count")],
                change_rows,
            ),
        ],
    }


# --- Members ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moves:
    """Members whose branch on a day was not the branch keeping their record now, as far as the
    scope is concerned: kept in scope now but elsewhere then (`away`: moved in since, or arrived
    from outside since), or kept elsewhere now but in scope then (`back`: moved away since)."""

    away: frozenset[int]
    back: frozenset[int]


NO_MOVES = Moves(frozenset(), frozenset())


def moves_since(scope: ReportScope, day: dt.date) -> Moves:
    """Who changed branch across the scope's edge after `day` (one query).

    A member's branch on `day` is the sending branch of the first transfer accepted after it
    (none for one who came in from outside), else the branch keeping the record now: the rule of
    `MemberQuerySet.in_organization_on`, read here for the whole scope at once. Transfers
    accepted after a day are few beside the roll, so this stays small at any size."""
    if scope.paths == []:
        return NO_MOVES  # a committee with no branch: nobody is in scope, then or now
    next_day = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, timezone.get_current_timezone()
    )
    later = (
        Transfer.objects.filter(state=TransferState.ACCEPTED, decided_at__gte=next_day)
        .annotate(
            then_in=ExpressionWrapper(
                scope.organizations_q("from_organization__"), output_field=BooleanField()
            ),
            now_in=ExpressionWrapper(
                scope.organizations_q("member__organization__"), output_field=BooleanField()
            ),
        )
        .order_by("member_id", "decided_at", "pk")
        .values_list("member_id", "then_in", "now_in")
    )
    away: set[int] = set()
    back: set[int] = set()
    seen: set[int] = set()
    for member_id, then_in, now_in in later:
        if member_id in seen:
            continue  # only the first transfer after the day says where the member was
        seen.add(member_id)
        if now_in and not then_in:
            away.add(member_id)
        elif then_in and not now_in:
            back.add(member_id)
    return Moves(frozenset(away), frozenset(back))


def members_on(scope: ReportScope, day: dt.date, moves: Moves | None = None) -> MemberQuerySet:
    """Members of the scope on the roll on `day`, in the branch that kept them that day: joined
    by then, not gone by then, and counted where they were (a member who moved branch or
    arrived since is counted where they came from, or not at all)."""
    moves = moves_since(scope, day) if moves is None else moves
    return Member.objects.filter(in_scope_then(scope, moves)).on_roll(day)


def in_scope_then(scope: ReportScope, moves: Moves) -> Q:
    """The scope's members by the branch that kept them then (`moves`): today's, corrected."""
    kept = kept_in_scope(scope)
    if moves.away:
        kept &= ~Q(pk__in=sorted(moves.away))
    if moves.back:
        kept |= Q(pk__in=sorted(moves.back))
    return kept


def kept_in_scope(scope: ReportScope) -> Q:
    """Members whose record a branch of the scope keeps, as `organization_id = ANY(ARRAY(…))`
    on PostgreSQL (a plain `IN (SELECT …)` on the SQLite of `make run`, which has no arrays).

    Joined to the organisations (or `IN (SELECT …)`), the planner weighs the sub-district's
    share of the whole members table, and once that share is a twelfth or so it reads the
    table whole: the cost then follows the district. The array's contents are not known when
    the query is planned, so it is estimated as a few branches' worth and read through the
    (organisation, roll_from, roll_until) index at any size of the district."""
    organizations = Organization.objects.filter(scope.organizations_q()).order_by().values("pk")
    if connections[router.db_for_read(Member)].vendor != "postgresql":
        return Q(organization_id__in=organizations)
    return Q(
        Func(
            F("organization_id"),
            ArraySubquery(organizations),
            arg_joiner=" = ANY(",
            template="(%(expressions)s))",
            output_field=BooleanField(),
        )
    )


@contextmanager
def in_memory_planning() -> Iterator[None]:
    """Plan the enclosed queries (one section of the pack) for a database that sits in memory.

    The pack reads one sub-district: its members branch by branch through the (organisation,
    roll_from, roll_until) index, the attendance of its meetings through the meeting index.
    With PostgreSQL's default random_page_cost (4, priced for spinning disks) the planner
    prefers to read the whole members or attendance table once a sub-district is a twelfth of
    the district or more, and the report then grows with the district, not with the
    sub-district (the attendance of a quarter: 200 ms by a sequential scan, 23 ms by index).
    Lowered to 1.1 for the enclosed transaction only, and put back after it (so a report built
    inside a longer transaction leaves the rest of it as it was); a server tuned for SSDs
    (random_page_cost 1.1 in postgresql.conf) plans the same without it."""
    # The connection the pack's reads go to: the report replica inside `replica_reads()`.
    alias = router.db_for_read(Member)
    if connections[alias].vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('random_page_cost'), set_config('random_page_cost', "
            "least(current_setting('random_page_cost')::float, 1.1)::text, true)"
        )
        previous = cursor.fetchone()[0]
        yield
        cursor.execute("SELECT set_config('random_page_cost', %s, true)", [previous])


@dataclass
class Roll:
    """The members of the scope as of the quarter's end, and who left during it: worked out
    once per pack (two grouped queries, read per branch under `in_memory_planning`) and shared
    by the organisation and members sections."""

    by_status: Counter
    by_category: Counter
    flows: dict[str, int]
    left: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def roll_of(scope: ReportScope, period: Period, moves: Moves | None = None) -> Roll:
    end = period.end
    moves = moves_since(scope, end) if moves is None else moves
    on_roll = members_on(scope, end, moves).annotate(
        status_then=Case(
            When(confirmed_on__lte=end, then=Value(MemberStatus.FULL)),
            When(
                status=MemberStatus.FULL, confirmed_on__isnull=True, then=Value(MemberStatus.FULL)
            ),
            default=Value(MemberStatus.PROBATIONARY),
        )
    )
    by_status: Counter = Counter()
    by_category: Counter = Counter()
    flows: Counter = Counter()
    grouped = list(
        on_roll.values_list("status_then", "category")
        .annotate(
            n=Count("pk"),
            joined=Count("pk", filter=Q(joined_on__gte=period.start, joined_on__lte=end)),
            confirmed=Count("pk", filter=Q(confirmed_on__gte=period.start, confirmed_on__lte=end)),
            out_of_contact=Count("pk", filter=Q(out_of_contact_since__lte=end)),
            in_hardship=Count("pk", filter=Q(in_hardship=True)),
        )
        .order_by()
    )
    left = dict(
        Member.objects.filter(in_scope_then(scope, moves))
        .filter(state_changed_on__gte=period.start, state_changed_on__lte=end)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for status, category, n, joined, confirmed, out_of_contact, in_hardship in grouped:
        by_status[status] += n
        by_category[category] += n
        flows.update(
            joined=joined,
            confirmed=confirmed,
            out_of_contact=out_of_contact,
            in_hardship=in_hardship,
        )
    return Roll(
        by_status=by_status,
        by_category=by_category,
        flows={key: flows[key] for key in ("joined", "confirmed", "out_of_contact", "in_hardship")},
        left=left,
    )


def members_section(pack: Pack) -> Section:
    scope, period = pack.scope, pack.period
    end = period.end
    roll = pack.roll
    statuses = dict(MemberStatus.choices)
    categories = dict(Category.choices)
    by_status, by_category, flows = roll.by_status, roll.by_category, roll.flows
    total = roll.total
    start_dt, end_dt = _day_bounds(period)
    accepted = Transfer.objects.filter(
        state=TransferState.ACCEPTED, decided_at__gte=start_dt, decided_at__lt=end_dt
    )
    inside_to = scope.organizations_q("to_organization__")
    inside_from = scope.organizations_q("from_organization__")
    transfers = {
        "in": accepted.filter(inside_to)
        .filter(Q(kind=TransferKind.INBOUND) | (Q(kind=TransferKind.INTERNAL) & ~inside_from))
        .count(),
        "out": accepted.filter(inside_from)
        .filter(Q(kind=TransferKind.OUTBOUND) | (Q(kind=TransferKind.INTERNAL) & ~inside_to))
        .count(),
        "within": accepted.filter(kind=TransferKind.INTERNAL)
        .filter(inside_to & inside_from)
        .count(),
    }
    left_counts = roll.left
    pipeline = (
        Development.objects.filter(scope.organizations_q("organization__"))
        .filter(applied_on__lte=end)
        .annotate(
            stage_then=Case(
                When(confirmed_on__lte=end, then=Value(Stage.FULL)),
                When(approved_on__lte=end, then=Value(Stage.PROBATIONARY)),
                When(candidate_on__lte=end, then=Value(Stage.CANDIDATE)),
                When(activist_on__lte=end, then=Value(Stage.ACTIVIST)),
                default=Value(Stage.APPLICANT),
            )
        )
        .values_list("stage_then")
        .annotate(
            n=Count("pk"),
            entered=Count(
                "pk",
                filter=Q(applied_on__range=(period.start, end))
                | Q(activist_on__range=(period.start, end))
                | Q(candidate_on__range=(period.start, end))
                | Q(approved_on__range=(period.start, end))
                | Q(confirmed_on__range=(period.start, end)),
            ),
        )
        .order_by()
    )
    stage_counts = {stage: (n, entered) for stage, n, entered in pipeline}
    stage_names = dict(Stage.choices)
    flow_rows = [
        [_("Joined the party"), flows["joined"]],
        [_("Confirmed as full members"), flows["confirmed"]],
        [_("Transferred in"), transfers["in"]],
        [_("Transferred out"), transfers["out"]],
        [_("Moved between branches in scope"), transfers["within"]],
        [_("Left the party"), left_counts.get(MembershipState.LEFT, 0)],
        [_("Deceased"), left_counts.get(MembershipState.DECEASED, 0)],
        [_("Out of contact at quarter end"), flows["out_of_contact"]],
        [_("In hardship (as recorded now)"), flows["in_hardship"]],
    ]
    summary = _(
        "%(total)d members were on the roll at quarter end (%(full)d full, %(probationary)d "
        "probationary); %(joined)d joined, %(confirmed)d were confirmed, %(in)d transferred in "
        "and %(out)d transferred out during the quarter."
    ) % {
        "total": total,
        "full": by_status[MemberStatus.FULL],
        "probationary": by_status[MemberStatus.PROBATIONARY],
        "joined": flows["joined"],
        "confirmed": flows["confirmed"],
        "in": transfers["in"],
        "out": transfers["out"],
    }
    return {
        "key": "members",
        "title": _("Party members"),
        "summary": summary,
        "figures": {"total": total, **flows, **{f"transfers_{k}": v for k, v in transfers.items()}},
        "tables": [
            table(
                "by_status",
                _("Members by status at quarter end"),
                [_("Status"), _("Members")],
                [[str(statuses[s]), by_status[s]] for s in MemberStatus.values],
                totals=[_("Total"), total],
            ),
            table(
                "by_category",
                _("Members by category at quarter end"),
                [_("Category"), _("Members")],
                [
                    [str(categories.get(c, _("Not recorded"))) if c else _("Not recorded"), n]
                    for c, n in sorted(by_category.items())
                ],
                totals=[_("Total"), total],
            ),
            table(
                "flows",
                _("Changes in the quarter"),
                [pgettext("member roll", "Change"), _("Members")],
                flow_rows,
            ),
            table(
                "pipeline",
                _("Joining pipeline at quarter end"),
                [_("Stage"), _("People"), _("Reached this stage or moved on in the quarter")],
                [
                    [str(stage_names[s]), *stage_counts.get(s, (0, 0))]
                    for s in Stage.values
                    if s != Stage.FULL
                ],
                note=_(
                    "People who applied by the end of the quarter, by the step they had reached."
                ),
            ),
        ],
    }


# --- Organisational life ------------------------------------------------------------------


def _branches_on(scope: ReportScope, day: dt.date) -> list[Organization]:
    ids = (
        OrganizationPeriod.objects.on(day)
        .filter(scope.organizations_q("organization__"))
        .filter(kind=OrganizationKind.BRANCH)
        .values("organization_id")
    )
    return list(Organization.objects.filter(pk__in=ids).order_by("path"))


# 三会一课: the meetings whose attendance the pack rates.
THREE_MEETINGS_ONE_LESSON = (
    MeetingKind.GENERAL_MEETING,
    MeetingKind.COMMITTEE_MEETING,
    MeetingKind.GROUP_MEETING,
    MeetingKind.LECTURE,
)


def attendance_by_branch(
    owners: dict[int, int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """Per branch, the attendance of the 三会一课 held in [start, end] by the branch and its
    party groups (`owners`: organisation → its branch): expected (the meeting's roster), present,
    on leave, absent. One grouped query."""
    result: dict[int, dict[str, int]] = {}
    if not owners:
        return result
    rows = (
        MeetingAttendance.objects.filter(
            meeting__organization_id__in=list(owners),
            meeting__kind__in=THREE_MEETINGS_ONE_LESSON,
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__gte=start,
            meeting__held_on__lte=end,
        )
        .values_list("meeting__organization_id")
        .annotate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(status=MeetingAttendanceStatus.PRESENT)),
            leave=Count("pk", filter=Q(status=MeetingAttendanceStatus.LEAVE)),
            absent=Count("pk", filter=Q(status=MeetingAttendanceStatus.ABSENT)),
        )
        .order_by()
    )
    for organization_id, expected, present, leave, absent in rows:
        counts = result.setdefault(
            owners[organization_id], {"expected": 0, "present": 0, "leave": 0, "absent": 0}
        )
        counts["expected"] += expected
        counts["present"] += present
        counts["leave"] += leave
        counts["absent"] += absent
    return result


def attendance_rate(present: int, expected: int) -> float | str:
    """Present over expected, in per cent; "—" when nobody was expected (no meeting held)."""
    return _percent(present, expected) if expected else "—"


def organisational_life_section(pack: Pack) -> Section:
    period, today = pack.period, pack.today
    branches = pack.branches
    by_branch = checks_by_branch(branches, period.start, period.end, today)
    labels: list[str] = []
    rows = []
    behind = []
    met_total = checks_total = 0
    for branch in branches:
        required: Counter = Counter()
        held: Counter = Counter()
        checks = [
            c for c in by_branch.get(branch.pk, []) if period.start <= c.period.end <= period.end
        ]
        missing: set[str] = set()
        met = 0
        for check in checks:
            label = check.label  # looked up in the rule names once per check
            if label not in labels:
                labels.append(label)
            required[label] += check.required
            held[label] += min(check.held, check.required)
            if check.met:
                met += 1
            else:
                missing.add(label)
        met_total += met
        checks_total += len(checks)
        rate = _percent(met, len(checks)) if checks else None
        rows.append((branch, required, held, rate))
        if rate is not None and rate < 100:
            behind.append([branch.name, rate, "、".join(sorted(missing))])
    table_rows = [
        [
            branch.name,
            *[f"{held[label]}/{required[label]}" if required[label] else "—" for label in labels],
            rate if rate is not None else "—",
        ]
        for branch, required, held, rate in rows
    ]
    kinds = dict(MeetingKind.choices)
    lectures = dict(LectureKind.choices)
    count_rows = [
        [str(lectures[lecture]) if lecture else str(kinds[kind]), n]
        for kind, lecture, n in counts_by_kind(list(pack.owners), period.start, period.end)
    ]
    attendance = attendance_by_branch(pack.owners, period.start, period.end)
    empty = {"expected": 0, "present": 0, "leave": 0, "absent": 0}
    attendance_rows = []
    for branch in branches:
        counts = attendance.get(branch.pk, empty)
        attendance_rows.append(
            [
                branch.name,
                counts["expected"],
                counts["present"],
                counts["leave"],
                counts["absent"],
                attendance_rate(counts["present"], counts["expected"]),
            ]
        )
    expected = sum(c["expected"] for c in attendance.values())
    present = sum(c["present"] for c in attendance.values())
    attendance_totals = [
        _("Total"),
        expected,
        present,
        sum(c["leave"] for c in attendance.values()),
        sum(c["absent"] for c in attendance.values()),
        attendance_rate(present, expected),
    ]
    rate = _percent(met_total, checks_total)
    summary = _(
        "%(branches)d branches were checked against the rules for the quarter: %(met)d of "
        "%(total)d requirements were met (%(rate)s%%), and %(behind)d branches fell behind."
    ) % {
        "branches": len(branches),
        "met": met_total,
        "total": checks_total,
        "rate": rate,
        "behind": len(behind),
    }
    if expected:
        summary += " " + _(
            "Attendance at the three meetings and one lesson was %(rate)s%% (%(present)d of "
            "%(expected)d expected)."
        ) % {"rate": attendance_rate(present, expected), "present": present, "expected": expected}
    return {
        "key": "organisational_life",
        "title": _("Organisational life"),
        "summary": summary,
        "figures": {
            "met": met_total,
            "required": checks_total,
            "rate": rate,
            "behind": len(behind),
            "attendance_expected": expected,
            "attendance_present": present,
            "attendance_rate": attendance_rate(present, expected),
        },
        "tables": [
            table(
                "per_branch",
                _("Held / required per branch"),
                [_("Branch"), *labels, _("Compliance (%)")],
                table_rows,
                note=_("Party groups count in their branch's row."),
            ),
            table(
                "behind",
                _("Branches behind"),
                [_("Branch"), _("Compliance (%)"), _("Missing")],
                behind,
            ),
            table(
                "by_kind",
                _("Meetings held by kind"),
                [_("Kind"), _("Meetings")],
                count_rows,
                totals=[_("Total"), sum(r[1] for r in count_rows)],
            ),
            table(
                "attendance",
                _("Attendance at the three meetings and one lesson per branch"),
                [
                    _("Branch"),
                    _("Expected"),
                    _("Present"),
                    _("On leave"),
                    _("Absent"),
                    _("Attendance (%)"),
                ],
                attendance_rows,
                totals=attendance_totals if attendance_rows else None,
                note=_(
                    "Branch general meetings, committee meetings, party group meetings and party "
                    "lectures held in the quarter; expected is the meeting's roster, and a "
                    "branch that held none shows —."
                ),
            ),
        ],
    }


def branches_and_groups(branches: list[Organization]) -> dict[int, int]:
    """Each branch and each of its party groups → the branch (one query for the groups)."""
    owners = {b.pk: b.pk for b in branches}
    if not branches:
        return owners
    by_path = {b.path: b.pk for b in branches}
    groups = Organization.objects.filter(
        kind=OrganizationKind.PARTY_GROUP,
        sub_district_id__in={b.sub_district_id for b in branches},
    ).values_list("pk", "path")
    steplen = Organization.steplen
    for pk, path in groups:
        branch = by_path.get(path[:-steplen])
        if branch is not None:
            owners[pk] = branch
    return owners


# --- In-service members -------------------------------------------------------------------


def in_service_section(scope: ReportScope, period: Period) -> Section:
    """Members registered with a community where they live (在职党员到社区报到): who was
    registered, the services they did (approved community services and credited volunteer
    service), the hours, and who is behind the quarterly quota. One query for the progress of
    every registration (subqueries), one for the hours."""
    from members.inservice.services import with_progress
    from members.models import CommunityRegistration, CommunityService

    registrations = CommunityRegistration.objects.filter(scope.communities_q("community__")).during(
        period.start, period.end
    )
    per_community: dict[str, Counter] = defaultdict(Counter)
    behind_rows = []
    for row in (
        with_progress(registrations, period)
        .values_list(
            "community__name",
            "member__full_name",
            "employer_name",
            "registered_on",
            "ended_on",
            "community_services",
            "volunteer_services",
            "quota",
        )
        .order_by("community__name", "member__full_name", "pk")
    ):
        community, name, employer, registered_on, ended_on, services, volunteer, quota = row
        counts = per_community[community]
        if ended_on is None or ended_on > period.end:
            counts["registered"] += 1
        if registered_on >= period.start:
            counts["new"] += 1
        counts["services"] += services
        counts["volunteer"] += volunteer
        if services + volunteer < quota:
            counts["behind"] += 1
            behind_rows.append([community, name, employer, services + volunteer, quota])
    hours = dict(
        CommunityService.objects.approved()
        .between(period.start, period.end)
        .filter(scope.communities_q("community__"))
        .values_list("community__name")
        .annotate(h=Sum("hours"))
    )
    rows = [
        [
            community,
            counts["registered"],
            counts["new"],
            counts["services"],
            float(round(hours.get(community) or 0, 1)),
            counts["volunteer"],
            counts["behind"],
        ]
        for community, counts in sorted(per_community.items())
    ]
    totals = _sum_columns(rows, 1, _("Total")) if rows else None
    figures = {
        "registered": totals[1] if totals else 0,
        "services": (totals[3] + totals[5]) if totals else 0,
        "hours": totals[4] if totals else 0,
        "behind": len(behind_rows),
    }
    summary = (
        _(
            "%(registered)d in-service members were registered with communities at quarter end; "
            "they did %(services)d services (%(hours)s hours of community service), and "
            "%(behind)d of them were behind the quarterly quota."
        )
        % figures
    )
    return {
        "key": "in_service",
        "title": _("In-service members in communities"),
        "summary": summary,
        "figures": figures,
        "tables": [
            table(
                "per_community",
                _("Per community"),
                [
                    _("Community"),
                    _("Registered at quarter end"),
                    _("Registered in the quarter"),
                    _("Community services"),
                    _("Community service hours"),
                    _("Volunteer services"),
                    _("Behind the quota"),
                ],
                rows,
                totals=totals,
            ),
            table(
                "behind",
                _("Behind the quota"),
                [_("Community"), _("Member"), _("Employer"), _("Services"), _("Quota")],
                behind_rows,
                note=_("Approved community services and credited volunteer services count."),
            ),
        ],
    }


# --- Volunteers ---------------------------------------------------------------------------


def volunteers_section(scope: ReportScope, period: Period) -> Section:
    from volunteers.models import Enrollment, GoodDeed, ServiceActivity, VolunteerTeam, Wish

    start_dt, end_dt = _day_bounds(period)
    teams = list(
        VolunteerTeam.objects.filter(scope.communities_q("community__"))
        .select_related("community")
        .order_by("community__name", "name")
    )
    activities = dict(
        ServiceActivity.objects.filter(
            team__in=teams, status="scheduled", starts_at__gte=start_dt, starts_at__lt=end_dt
        )
        .values_list("team_id")
        .annotate(n=Count("pk"))
    )
    service = {
        row["activity__team_id"]: row
        for row in Enrollment.objects.credited()
        .between(period.start, period.end)
        .filter(activity__team__in=teams)
        .hours_per_team()
    }
    deeds = dict(
        GoodDeed.objects.filter(team__in=teams, done_on__gte=period.start, done_on__lte=period.end)
        .values_list("team_id")
        .annotate(n=Count("pk"))
    )
    rows = [
        [
            team.community.name,
            team.name,
            activities.get(team.pk, 0),
            service.get(team.pk, {}).get("volunteers", 0),
            service.get(team.pk, {}).get("services", 0),
            _hours(service.get(team.pk, {}).get("minutes")),
            deeds.get(team.pk, 0),
        ]
        for team in teams
    ]
    volunteers = (
        Enrollment.objects.credited()
        .between(period.start, period.end)
        .filter(activity__team__in=teams)
        .aggregate(n=Count("volunteer_id", distinct=True))["n"]
    )
    wishes = Wish.objects.filter(scope.communities_q("community__")).aggregate(
        posted=Count("pk", filter=Q(created_at__gte=start_dt, created_at__lt=end_dt)),
        fulfilled=Count(
            "pk",
            filter=Q(status__in=["done", "confirmed"], done_at__gte=start_dt, done_at__lt=end_dt),
        ),
    )
    totals = _sum_columns(rows, 2, _("Total"))
    if rows:
        totals[3] = volunteers
    hours = totals[5] if rows else 0
    summary = _(
        "%(teams)d volunteer teams held %(activities)d activities; %(volunteers)d volunteers gave "
        "%(hours)s hours, %(deeds)d good deeds were recorded and %(wishes)d wishes fulfilled."
    ) % {
        "teams": len(teams),
        "activities": sum(activities.values()),
        "volunteers": volunteers,
        "hours": hours or 0,
        "deeds": sum(deeds.values()),
        "wishes": wishes["fulfilled"],
    }
    return {
        "key": "volunteers",
        "title": _("Volunteers"),
        "summary": summary,
        "figures": {
            "activities": sum(activities.values()),
            "volunteers": volunteers,
            "hours": hours or 0,
            "good_deeds": sum(deeds.values()),
            **{f"wishes_{k}": v for k, v in wishes.items()},
        },
        "tables": [
            table(
                "per_team",
                _("Per team"),
                [
                    _("Community"),
                    _("Team"),
                    _("Activities"),
                    _("Volunteers"),
                    _("Services"),
                    _("Hours"),
                    _("Good deeds"),
                ],
                rows,
                totals=totals if rows else None,
                note=_("The Volunteers total counts each person once."),
            ),
            table(
                "wishes",
                _("Small wishes"),
                [_("Item"), _("Count")],
                [
                    [_("Wishes posted"), wishes["posted"]],
                    [_("Wishes fulfilled"), wishes["fulfilled"]],
                ],
            ),
        ],
    }


# --- Service halls ------------------------------------------------------------------------


def venues_section(scope: ReportScope, period: Period) -> Section:
    from venues.models import ServiceHall
    from venues.reports import utilisation_between

    halls_q = Q(sub_district_id=scope.sub_district.pk)
    if scope.community_ids is not None:
        halls_q &= Q(community_id__in=scope.community_ids)
    usage = utilisation_between(
        ServiceHall.objects.filter(halls_q), period.start, period.end + dt.timedelta(days=1)
    )
    rows = []
    for hall_usage in usage:
        for room, room_usage in hall_usage.rooms:
            rows.append(
                [
                    hall_usage.hall.name,
                    room.name,
                    room_usage.bookings,
                    round(room_usage.hours_booked, 1),
                    round(room_usage.hours_used, 1),
                    round(room_usage.hours_open, 1),
                    _percent(room_usage.hours_booked, room_usage.hours_open),
                    room_usage.no_shows,
                ]
            )
    totals = _sum_columns(rows, 2, _("Total")) if rows else None
    if totals:
        totals[6] = _percent(totals[3], totals[5])
    summary = _(
        "%(rooms)d rooms in %(halls)d service halls took %(bookings)d bookings for %(hours)s "
        "hours (%(rate)s%% of opening hours), with %(no_shows)d no-shows."
    ) % {
        "rooms": len(rows),
        "halls": len(usage),
        "bookings": totals[2] if totals else 0,
        "hours": totals[3] if totals else 0,
        "rate": totals[6] if totals else 0,
        "no_shows": totals[7] if totals else 0,
    }
    return {
        "key": "venues",
        "title": _("Service halls"),
        "summary": summary,
        "figures": {
            "bookings": totals[2] if totals else 0,
            "hours_booked": totals[3] if totals else 0,
            "hours_used": totals[4] if totals else 0,
            "no_shows": totals[7] if totals else 0,
        },
        "tables": [
            table(
                "per_room",
                _("Bookings per room"),
                [
                    _("Service hall"),
                    _("Room"),
                    _("Bookings"),
                    _("Hours booked"),
                    _("Hours used"),
                    _("Opening hours"),
                    _("Utilisation (%)"),
                    _("No-shows"),
                ],
                rows,
                totals=totals,
                note=_(
                    "Hours booked count confirmed, checked-in and no-show bookings; hours used "
                    "only checked-in ones; utilisation is hours booked over opening hours."
                ),
            )
        ],
    }


# --- Regional committees ------------------------------------------------------------------


def regional_section(scope: ReportScope, period: Period) -> Section:
    start_dt, end_dt = _day_bounds(period)
    committee_ids = (
        RegionalCommittee.objects.filter(scope.committees_q())
        .values_list("pk", flat=True)
        .distinct()
    )
    committees = list(
        RegionalCommittee.objects.filter(pk__in=list(committee_ids)).order_by("level", "name")
    )
    meetings = JointMeeting.objects.filter(
        committee__in=committees,
        status="held",
        scheduled_on__gte=period.start,
        scheduled_on__lte=period.end,
    )
    held = dict(meetings.values_list("committee_id").annotate(n=Count("pk")))
    resolutions = dict(
        meetings.values_list("committee_id").annotate(n=Count("resolutions", distinct=True))
    )
    actions = {
        row["resolution__meeting__committee_id"]: row
        for row in ActionItem.objects.filter(
            resolution__meeting__committee__in=committees,
            resolution__meeting__scheduled_on__lte=period.end,
        )
        .values("resolution__meeting__committee_id")
        .annotate(
            created=Count("pk", filter=Q(resolution__meeting__scheduled_on__gte=period.start)),
            done=Count("pk", filter=Q(done_on__lte=period.end)),
            open=Count("pk", filter=Q(done_on__isnull=True) | Q(done_on__gt=period.end)),
            overdue=Count(
                "pk",
                filter=(Q(done_on__isnull=True) | Q(done_on__gt=period.end))
                & Q(deadline__lt=period.end),
            ),
        )
    }

    def list_counts(model: Any) -> dict[int, dict[str, int]]:
        return {
            row["committee_id"]: row
            for row in model.objects.filter(committee__in=committees)
            .values("committee_id")
            .annotate(
                posted=Count("pk", filter=Q(created_at__gte=start_dt, created_at__lt=end_dt)),
                claimed=Count("pk", filter=Q(claimed_at__gte=start_dt, claimed_at__lt=end_dt)),
            )
        }

    needs = list_counts(Need)
    resources = list_counts(Resource)
    projects = {
        row["committee_id"]: row
        for row in Project.objects.filter(committee__in=committees)
        .values("committee_id")
        .annotate(
            started=Count("pk", filter=Q(created_at__gte=start_dt, created_at__lt=end_dt)),
            done=Count(
                "pk", filter=Q(confirmed_done_at__gte=start_dt, confirmed_done_at__lt=end_dt)
            ),
        )
    }
    empty: dict[str, int] = defaultdict(int)
    committee_rows = [
        [
            c.name,
            held.get(c.pk, 0),
            resolutions.get(c.pk, 0),
            actions.get(c.pk, empty)["created"],
            actions.get(c.pk, empty)["open"],
            actions.get(c.pk, empty)["done"],
            actions.get(c.pk, empty)["overdue"],
        ]
        for c in committees
    ]
    list_rows = [
        [
            c.name,
            needs.get(c.pk, empty)["posted"],
            resources.get(c.pk, empty)["posted"],
            needs.get(c.pk, empty)["claimed"] + resources.get(c.pk, empty)["claimed"],
            projects.get(c.pk, empty)["started"],
            projects.get(c.pk, empty)["done"],
        ]
        for c in committees
    ]
    attendance_rows = [
        [
            committee,
            unit,
            invited,
            present,
            delegate,
            absent,
            _percent(present + delegate, invited),
        ]
        for committee, unit, invited, present, delegate, absent in Attendance.objects.filter(
            meeting__in=meetings
        )
        .values_list("meeting__committee__name", "unit__name")
        .annotate(
            invited=Count("pk"),
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            delegate=Count("pk", filter=Q(status=AttendanceStatus.DELEGATE)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .order_by("meeting__committee__name", "unit__name")
    ]
    totals = _sum_columns(committee_rows, 1, _("Total")) if committee_rows else None
    summary = _(
        "%(committees)d regional committees held %(meetings)d joint meetings and passed "
        "%(resolutions)d resolutions; at quarter end %(open)d action items were open, "
        "%(overdue)d of them overdue."
    ) % {
        "committees": len(committees),
        "meetings": sum(held.values()),
        "resolutions": sum(resolutions.values()),
        "open": totals[4] if totals else 0,
        "overdue": totals[6] if totals else 0,
    }
    return {
        "key": "regional",
        "title": _("Regional committees"),
        "summary": summary,
        "figures": {
            "meetings": sum(held.values()),
            "resolutions": sum(resolutions.values()),
            "actions_open": totals[4] if totals else 0,
            "actions_overdue": totals[6] if totals else 0,
        },
        "tables": [
            table(
                "meetings",
                _("Joint meetings and action items"),
                [
                    _("Regional committee"),
                    _("Meetings held"),
                    _("Resolutions"),
                    _("Action items set"),
                    _("Open at quarter end"),
                    _("Done"),
                    _("Overdue"),
                ],
                committee_rows,
                totals=totals,
            ),
            table(
                "attendance",
                _("Attendance per unit"),
                [
                    _("Regional committee"),
                    _("Unit"),
                    _("Meetings invited"),
                    _("Present"),
                    _("Sent a delegate"),
                    _("Absent"),
                    _("Attendance (%)"),
                ],
                attendance_rows,
            ),
            table(
                "lists",
                _("Needs, resources and projects"),
                [
                    _("Regional committee"),
                    _("Needs posted"),
                    _("Resources offered"),
                    _("Claims"),
                    _("Projects started"),
                    _("Projects done"),
                ],
                list_rows,
                totals=_sum_columns(list_rows, 1, _("Total")) if list_rows else None,
            ),
        ],
    }


# --- The pack -----------------------------------------------------------------------------


# --- Democratic appraisal -------------------------------------------------------------------


def appraisal_section(pack: Pack) -> Section:
    """The year's democratic appraisal per branch, as decided by the quarter's end."""
    from appraisal.figures import summary_by_branch
    from appraisal.models import Grade

    branches = pack.branches
    year = pack.period.end.year
    found = summary_by_branch([b.pk for b in branches], year, decided_by=pack.period.end)
    rows = []
    for branch in branches:
        summary = found.get(branch.pk)
        if summary is None:
            continue
        rows.append(
            [
                branch.name,
                summary.participants,
                summary.graded,
                *(summary.grades[grade] for grade in Grade.values),
                _("Decided") if summary.decided else _("Under way"),
            ]
        )
    totals = _sum_columns(rows, 1, _("Total")) if rows else None
    if totals:
        totals[-1] = ""
    excellent = totals[3] if totals else 0
    summary_text = _(
        "%(branches)d branches ran the appraisal of %(year)s; %(graded)s members were graded, "
        "%(excellent)s of them excellent and %(unqualified)s unqualified (as decided by the "
        "quarter's end)."
    ) % {
        "branches": len(rows),
        "year": year,
        "graded": totals[2] if totals else 0,
        "excellent": excellent,
        "unqualified": totals[6] if totals else 0,
    }
    return {
        "key": "appraisal",
        "title": _("Democratic appraisal of members"),
        "summary": summary_text,
        "figures": {
            "branches": len(rows),
            "graded": totals[2] if totals else 0,
            "excellent": excellent,
            "unqualified": totals[6] if totals else 0,
        },
        "tables": [
            table(
                "per_branch",
                _("Appraisal per branch"),
                [
                    _("Branch"),
                    _("Took part"),
                    _("Graded"),
                    *(str(label) for label in Grade.labels),
                    _("State"),
                ],
                rows,
                totals=totals,
                note=_(
                    "Probationary members take part without a grade; grades count once the "
                    "general meeting has decided them."
                ),
            )
        ],
    }


# --- Work targets, inspections and the year-end assessment ---------------------------------


def assessment_section(pack: Pack) -> Section:
    """The period's inspections per branch and the year-end grade, as decided by its end."""
    from assessment.figures import year_results
    from assessment.models import Inspection, Rectification

    branches = pack.branches
    ids = [b.pk for b in branches]
    year = pack.period.end.year
    results = year_results(ids, year, decided_by=pack.period.end)
    visited = {
        row["organization_id"]: row
        for row in Inspection.objects.filter(
            organization_id__in=ids,
            visited_on__range=(pack.period.start, pack.period.end),
        )
        .values("organization_id")
        .annotate(n=Count("pk"), score=Sum("score"), possible=Sum("max_score"))
        .order_by()
    }
    open_items = dict(
        Rectification.objects.filter(
            inspection__organization_id__in=ids, deadline__lte=pack.period.end
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=pack.period.end))
        .values("inspection__organization_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("inspection__organization_id", "n")
    )
    rows = []
    for branch in branches:
        found = visited.get(branch.pk)
        result = results.get(branch.pk)
        if not found and not result and not open_items.get(branch.pk):
            continue
        rows.append(
            [
                branch.name,
                found["n"] if found else 0,
                round(100 * found["score"] / found["possible"], 1)
                if found and found["possible"]
                else "",
                open_items.get(branch.pk, 0),
                result.total if result else "",
                result.rank if result else "",
                result.grade_label if result else "",
            ]
        )
    inspected = sum(row[1] for row in rows)
    overdue = sum(row[3] for row in rows)
    return {
        "key": "assessment",
        "title": _("Inspections and the year-end assessment"),
        "summary": _(
            "%(inspections)d inspections in the period; %(overdue)d rectifications past their "
            "deadline and not closed at its end; %(graded)d branches graded for %(year)s."
        )
        % {
            "inspections": inspected,
            "overdue": overdue,
            "graded": len(results),
            "year": year,
        },
        "figures": {"inspections": inspected, "overdue": overdue, "graded": len(results)},
        "tables": [
            table(
                "per_branch",
                _("Inspections and assessment per branch"),
                [
                    _("Branch"),
                    _("Inspections"),
                    _("Inspection score (%)"),
                    _("Rectifications overdue"),
                    _("Year-end total"),
                    _("Rank"),
                    _("Grade"),
                ],
                rows,
            )
        ],
    }


# --- Membership dues ----------------------------------------------------------------------


def _money(amount: Any) -> float:
    return float(round(amount or 0, 2))


def dues_section(pack: Pack) -> Section:
    """Dues per branch as the quarter was: billed, paid by its end, in arrears, the collection
    rate, remitted upward and allocated back; the sub-district's spending from dues."""
    from dues.figures import figures_for_period, spent_for_period

    branches = pack.branches
    by_branch = figures_for_period([branch.pk for branch in branches], pack.period)
    rows = []
    for branch in branches:
        found = by_branch.get(branch.pk)
        if found is None or not found.members_billed:
            continue
        rate = found.collection_rate
        rows.append(
            [
                branch.name,
                found.members_billed,
                _money(found.due),
                _money(found.paid),
                _money(found.arrears),
                float(rate) if rate is not None else "",
                _money(found.remitted),
                _money(found.allocated),
            ]
        )
    totals = _sum_columns(rows, 1, _("Total")) if rows else None
    if totals:
        for index in (2, 3, 4, 6, 7):
            totals[index] = round(sum(row[index] for row in rows), 2)
        totals[5] = _percent(totals[3], totals[2])
    spent = _money(
        spent_for_period([pack.scope.sub_district.pk], pack.period).get(pack.scope.sub_district.pk)
    )
    summary = _(
        "%(branches)d branches billed %(due)s yuan of dues and collected %(paid)s "
        "(%(rate)s%%); %(arrears)s yuan in arrears at the quarter's end; %(remitted)s yuan "
        "remitted upward; %(spent)s yuan spent from dues."
    ) % {
        "branches": len(rows),
        "due": totals[2] if totals else 0,
        "paid": totals[3] if totals else 0,
        "rate": totals[5] if totals else 0,
        "arrears": totals[4] if totals else 0,
        "remitted": totals[6] if totals else 0,
        "spent": spent,
    }
    return {
        "key": "dues",
        "title": _("Membership dues"),
        "summary": summary,
        "figures": {
            "due": totals[2] if totals else 0,
            "paid": totals[3] if totals else 0,
            "arrears": totals[4] if totals else 0,
            "collection_rate": totals[5] if totals else 0,
            "remitted": totals[6] if totals else 0,
            "spent": spent,
        },
        "tables": [
            table(
                "per_branch",
                _("Dues per branch"),
                [
                    _("Branch"),
                    _("Members billed"),
                    _("Due (yuan)"),
                    _("Paid (yuan)"),
                    _("In arrears (yuan)"),
                    _("Collection rate (%)"),
                    _("Remitted (yuan)"),
                    _("Allocated (yuan)"),
                ],
                rows,
                totals=totals,
                note=_(
                    "The quarter's bills, paid as of its last day; arrears are what was still "
                    "unpaid then. Personal amounts never appear in the pack."
                ),
            )
        ],
    }


# --- Residents' voice ----------------------------------------------------------------------


def governance_section(scope: ReportScope, period: Period) -> Section:
    """The year's opinions ledger (to the quarter's end) by category and state."""
    from governance.models import Category, Opinion, OpinionState

    year_start = dt.date(period.end.year, 1, 1)
    counts = (
        Opinion.objects.filter(scope.communities_q("community__"))
        .filter(received_on__gte=year_start, received_on__lte=period.end)
        .values_list("category", "state")
        .annotate(n=Count("pk"))
    )
    found: dict[tuple[str, str], int] = {(c, s): n for c, s, n in counts}
    rated = (
        Opinion.objects.filter(scope.communities_q("community__"))
        .filter(received_on__gte=year_start, received_on__lte=period.end, rating__isnull=False)
        .aggregate(n=Count("pk"), total=Sum("rating"))
    )
    rows = []
    for value, label in Category.choices:
        cells = [found.get((value, state), 0) for state in OpinionState.values]
        if any(cells):
            rows.append([str(label), *cells, sum(cells)])
    totals = _sum_columns(rows, 1, _("Total")) if rows else None
    total = totals[-1] if totals else 0
    average = round(rated["total"] / rated["n"], 1) if rated["n"] else ""
    return {
        "key": "governance",
        "title": _("Residents' opinions"),
        "summary": _(
            "%(total)s opinions were received in %(year)d up to the quarter's end; %(rated)d "
            "replies were rated, on average %(average)s of 5."
        )
        % {"total": total, "year": period.end.year, "rated": rated["n"], "average": average or "—"},
        "figures": {"received": total, "rated": rated["n"]},
        "tables": [
            table(
                "by_category",
                _("Opinions by category and state"),
                [
                    pgettext("opinion", "Category"),
                    *(str(label) for label in OpinionState.labels),
                    _("Total"),
                ],
                rows,
                totals=totals,
            )
        ],
    }


# --- Member points ------------------------------------------------------------------------


def points_section(pack: Pack) -> Section:
    """Member points, the year to the quarter's end: branches ranked by their star rating (the
    members' average plus the level above's score), how many members reached each star level,
    and the top members by name where the sub-district shows members their rank."""
    from points.figures import year_to_date

    branches = {branch.pk: branch for branch in pack.branches}
    found, top = year_to_date(list(branches), pack.scope.sub_district.pk, pack.period.end)
    ranked = sorted(
        (row for row in found.values() if row.members),
        key=lambda row: (-row.rating, branches[row.organization_id].name),
    )
    rows = [
        [
            position,
            branches[row.organization_id].name,
            row.members,
            float(row.average),
            float(row.score),
            float(row.rating),
            row.stars,
            *reversed(row.members_by_stars[1:]),
        ]
        for position, row in enumerate(ranked, start=1)
    ]
    tables = [
        table(
            "branches",
            _("Branches by star rating"),
            [
                _("Rank"),
                _("Branch"),
                _("Members with points"),
                _("Average points"),
                _("Score from the level above"),
                _("Star rating"),
                _("Branch stars"),
                *(_("%(count)d-star members") % {"count": n} for n in range(5, 0, -1)),
            ],
            rows,
            note=_(
                "Points from 1 January to the quarter's last day, each derived from a record "
                "(attendance, service, dues, appraisal, approved awards)."
            ),
        )
    ]
    if top:
        tables.append(
            table(
                "top_members",
                _("Top members"),
                [_("Rank"), pgettext("person", "Name"), _("Branch"), _("Points"), _("Stars")],
                [
                    [
                        position,
                        member.full_name,
                        branches[member.organization_id].name,
                        float(member.total),
                        member.stars,
                    ]
                    for position, member in enumerate(top, start=1)
                ],
            )
        )
    best = rows[0][1] if rows else "—"
    starred = sum(sum(row.members_by_stars[3:]) for row in ranked)
    summary = _(
        "%(branches)d branches have member points this year; the highest star rating is "
        "%(best)s's; %(starred)d members have three stars or more."
    ) % {"branches": len(rows), "best": best, "starred": starred}
    return {
        "key": "points",
        "title": _("Member points"),
        "summary": summary,
        "figures": {"branches": len(rows), "three_stars_or_more": starred},
        "tables": tables,
    }


@dataclass
class Pack:
    """What several sections read, worked out once per pack: who changed branch since the
    quarter's end, the roll of members at quarter end, the branches then, and which branch
    each party group belongs to."""

    scope: ReportScope
    period: Period
    today: dt.date

    @cached_property
    def moves(self) -> Moves:
        return moves_since(self.scope, self.period.end)

    @cached_property
    def roll(self) -> Roll:
        return roll_of(self.scope, self.period, self.moves)

    @cached_property
    def branches(self) -> list[Organization]:
        return _branches_on(self.scope, self.period.end)

    @cached_property
    def owners(self) -> dict[int, int]:
        return branches_and_groups(self.branches)


def grids_section(scope: ReportScope, period: Period) -> Section:
    """Disputes by type and outcome, daily screening coverage, visits, households covered."""
    from grids.figures import care_figures, quarter_figures
    from grids.models import DisputeStatus

    last = min(period.end, timezone.localdate())
    f = quarter_figures(scope.communities_q("grid__community__"), period.start, last)
    care = care_figures(scope.communities_q("community__"), period.start, last)
    coverage = "—" if f["coverage_percent"] is None else f"{f['coverage_percent']}%"
    summary = _(
        "%(disputes)d disputes were found (%(escalated)d escalated); %(filed)d of %(owed)d daily "
        "screening reports were filed; %(visits)d household visits; %(covered)d of %(households)d "
        "households have a contact member or a helper."
    ) % {
        "disputes": f["disputes"],
        "escalated": f["disputes_escalated"],
        "filed": f["reports_filed"],
        "owed": f["reports_owed"],
        "visits": f["visits"],
        "covered": f["households_covered"],
        "households": f["households"],
    }
    return {
        "key": "grids",
        "title": _("Grids and households"),
        "summary": summary,
        "figures": {
            **{k: v for k, v in f.items() if k != "kind_rows"},
            "care_visits": care["care_visits"],
            "care_money": _money(care["care_money"]),
        },
        "tables": [
            table(
                "disputes_by_type",
                _("Disputes by type and outcome"),
                [_("Type"), _("Total"), *[str(s.label) for s in DisputeStatus]],
                f["kind_rows"],
            ),
            table(
                "screening_and_visits",
                _("Screening and visits"),
                [_("Figure"), _("Value")],
                [
                    [_("Daily reports owed"), f["reports_owed"]],
                    [_("Daily reports filed"), f["reports_filed"]],
                    [_("Screening coverage"), coverage],
                    [_("Household visits"), f["visits"]],
                    [_("Households visited"), f["households_visited"]],
                    [_("Visits with help given"), f["visits_with_help"]],
                    [_("Households covered"), f["households_covered"]],
                ],
            ),
            table(
                "care_money",
                _("Care visits and money given"),
                [_("Fund or campaign"), _("Visits"), _("Yuan")],
                [
                    *[
                        [name, visits, _money(total)]
                        for name, visits, total in care["care_by_fund"]
                    ],
                    *[
                        [_("Campaign: %(name)s") % {"name": name}, visits, _money(total)]
                        for name, visits, total in care["care_by_campaign"]
                    ],
                    [_("All care visits"), care["care_visits"], _money(care["care_money"])],
                ],
            ),
        ],
    }


def community_section(scope: ReportScope, period: Period) -> Section:
    from community.figures import campaign_rows, contest_rows, course_rows

    courses = course_rows(scope.sub_district.pk, period.start, period.end)
    awards = campaign_rows(scope.sub_district.pk, period.start, period.end)
    enrolled = sum(row[4] for row in courses)
    places = sum(row[3] for row in courses)
    summary = _(
        "%(courses)d seniors' college courses with %(enrolled)d students in %(places)d places "
        "(%(fill)s%%); %(campaigns)d award campaigns."
    ) % {
        "courses": len(courses),
        "enrolled": enrolled,
        "places": places,
        "fill": _percent(enrolled, places),
        "campaigns": len(awards),
    }
    return {
        "key": "community",
        "title": _("Community life"),
        "summary": summary,
        "figures": {"courses": len(courses), "enrolled": enrolled, "campaigns": len(awards)},
        "tables": [
            table(
                "courses",
                _("Seniors' college courses"),
                [
                    _("School"),
                    _("Term"),
                    _("Course"),
                    _("Places"),
                    _("Enrolled"),
                    _("Fill rate (%)"),
                    _("Waiting list"),
                    _("Sessions held"),
                    _("Attendance (%)"),
                ],
                courses,
            ),
            table(
                "campaigns",
                _("Award campaigns"),
                [
                    _("Campaign"),
                    _("Kind"),
                    _("Nominations"),
                    _("Accepted"),
                    _("Votes in the period"),
                    _("Results published"),
                ],
                awards,
            ),
            table(
                "contests",
                _("Knowledge contests"),
                [
                    _("Contest"),
                    _("opens"),
                    _("closes"),
                    _("Participants"),
                    _("Branches"),
                    _("Attempts"),
                    _("Average best score"),
                ],
                contest_rows(scope.sub_district.pk, period.start, period.end),
            ),
        ],
    }


SECTIONS: list[tuple[str, Callable[[Pack], Section]]] = [
    ("organisation", organisation_section),
    ("members", members_section),
    ("organisational_life", organisational_life_section),
    ("in_service", lambda pack: in_service_section(pack.scope, pack.period)),
    ("volunteers", lambda pack: volunteers_section(pack.scope, pack.period)),
    ("venues", lambda pack: venues_section(pack.scope, pack.period)),
    ("regional", lambda pack: regional_section(pack.scope, pack.period)),
    ("appraisal", appraisal_section),
    ("assessment", assessment_section),
    ("dues", dues_section),
    ("governance", lambda pack: governance_section(pack.scope, pack.period)),
    ("grids", lambda pack: grids_section(pack.scope, pack.period)),
    ("community", lambda pack: community_section(pack.scope, pack.period)),
    ("points", points_section),
]


def build_figures(
    scope: ReportScope,
    year: int,
    number: int,
    *,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Every section of the pack for the quarter, as plain JSON."""
    period = quarter(year, number)
    pack = Pack(scope=scope, period=period, today=today or timezone.localdate())
    sections = []
    for index, (_key, build) in enumerate(SECTIONS):
        with in_memory_planning():  # a section's reads, apart from the progress updates
            sections.append(build(pack))
        if progress is not None:
            progress(round(80 * (index + 1) / len(SECTIONS)))
    return {
        "scope": scope.label,
        "scope_key": scope.key,
        "year": year,
        "quarter": number,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "sections": sections,
    }


def section(figures: dict[str, Any], key: str) -> Section:
    return next(s for s in figures["sections"] if s["key"] == key)


def table_of(figures: dict[str, Any], section_key: str, table_key: str) -> Table:
    return next(t for t in section(figures, section_key)["tables"] if t["key"] == table_key)
