"""The ledger, written by recomputation from the sources, in a fixed handful of statements.

`recompute_points(members=…, first=…, last=…)`:

1. seeds the default rule table of any sub-district that has none (one INSERT … SELECT);
2. puts the members into a temporary table `points_scope` (one INSERT … SELECT);
3. computes the ledger those members should have for the whole years the period touches into
   `points_desired`: the registered sources (`points.sources`) UNION ALL, as a MATERIALIZED CTE
   (computed once, never re-run per rule however the planner misjudges sizes), each row joined
   to the rule of its sub-district and event in force on its day, approvals read, then the
   monthly and yearly caps applied with window functions (a running total of the event's
   earlier entries that month / year: the entry that crosses the cap gets what is left, the
   later ones 0);
4. deletes the member's entries of those years that are no longer desired, and upserts the
   desired ones (INSERT … ON CONFLICT DO UPDATE … WHERE something differs), so an unchanged
   entry is not written at all and recomputing twice leaves the same ledger, row for row.

It runs in one transaction under an advisory lock per sub-district, so two recomputations of the
same members queue up instead of deleting each other's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.locks import lock_key
from branches.models import Organization, SubDistrict
from config.celery import send_after_commit
from members.models import Member
from points import dialect, rules, sources
from points.models import EntryApproval, PointEntry, PointRule


@dataclass(frozen=True)
class Recomputed:
    members: int
    inserted_or_updated: int
    deleted: int


def _seed_rules(sub_district_ids: Iterable[int]) -> None:
    """Give each sub-district the defaults of RULES.md for every event it has no rule of, as rows
    it edits (a kind of event added later, such as dues, gets its default too). One INSERT …
    SELECT, written for PostgreSQL and SQLite alike."""
    ids = sorted(set(sub_district_ids))
    if not ids:
        return
    values = ", ".join(
        ["(%s, CAST(%s AS numeric), CAST(%s AS numeric), CAST(%s AS numeric), %s)"]
        * len(rules.DEFAULT_RULES)
    )
    params: list[object] = []
    for rule in rules.DEFAULT_RULES:
        params += [rule.event, rule.points, rule.cap_month, rule.cap_year, rule.needs_approval]
    table = PointRule._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH d (event, points, cap_month, cap_year, needs_approval) AS (VALUES {values})
            INSERT INTO {table}
                (sub_district_id, event, valid_from, points, cap_month, cap_year,
                 needs_approval, note, created_at)
            SELECT sd.id, d.event, %s, d.points, d.cap_month, d.cap_year, d.needs_approval, '',
                   %s
            FROM {SubDistrict._meta.db_table} sd
            CROSS JOIN d
            WHERE sd.id IN ({", ".join(["%s"] * len(ids))})
              AND NOT EXISTS (
                  SELECT 1 FROM {table} r WHERE r.sub_district_id = sd.id AND r.event = d.event
              )
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 - table names from the models, values are parameters
            [
                *params,
                rules.DEFAULT_VALID_FROM,
                dialect.param(timezone.now()),
                *ids,
            ],
        )


def seed_default_rules(sub_district: SubDistrict) -> None:
    with transaction.atomic():
        _seed_rules([sub_district.pk])


DESIRED = """
{create} points_desired {on_commit} AS
WITH RECURSIVE points_years (year) AS (
    SELECT CAST(%(first_year)s AS integer)
    UNION ALL
    SELECT year + 1 FROM points_years WHERE year < %(last_year)s
),
src (member_id, event, source_kind, source_id, link_pk, day, quantity, pre_approved, title)
AS MATERIALIZED ({union}),
rule_spans AS MATERIALIZED (
    SELECT r.id, r.sub_district_id, r.event, r.points, r.cap_month, r.cap_year,
           r.needs_approval, r.valid_from,
           lead(r.valid_from) OVER (PARTITION BY r.sub_district_id, r.event
                                    ORDER BY r.valid_from) AS valid_until
    FROM {rules} r
    WHERE r.sub_district_id IN (SELECT DISTINCT sub_district_id FROM points_scope)
),
ruled AS MATERIALIZED (
    SELECT src.*, sc.organization_id, r.id AS rule_id, r.cap_month, r.cap_year,
           round(r.points * src.quantity, 1) AS raw_points,
           (NOT r.needs_approval OR src.pre_approved OR EXISTS (
               SELECT 1 FROM {approvals} ap
               WHERE ap.member_id = src.member_id AND ap.event = src.event
                 AND ap.source_kind = src.source_kind AND ap.source_id = src.source_id
           )) AS approved
    FROM src
    JOIN points_scope sc ON sc.member_id = src.member_id
    JOIN rule_spans r
      ON r.sub_district_id = sc.sub_district_id AND r.event = src.event
     AND src.day >= r.valid_from AND (r.valid_until IS NULL OR src.day < r.valid_until)
    WHERE r.points <> 0 AND src.day BETWEEN %(first)s AND %(last)s
),
capped AS (
    -- Only counted entries under a capped rule need the running totals (an entry awaiting
    -- approval adds nothing to them): the sorts of the windows see those rows alone.
    SELECT * FROM ruled WHERE approved AND (cap_month IS NOT NULL OR cap_year IS NOT NULL)
),
month_capped AS (
    SELECT capped.*,
           CASE WHEN cap_month IS NULL THEN raw_points
                ELSE sign(raw_points) * {greatest}(0, {least}(abs(raw_points), cap_month - coalesce(
                    sum(abs(raw_points)) OVER (
                        PARTITION BY member_id, event, {month_of_day}
                        ORDER BY day, source_kind, source_id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))
           END AS month_points
    FROM capped
),
year_capped AS (
    SELECT month_capped.*,
           CASE WHEN cap_year IS NULL THEN month_points
                ELSE sign(month_points) * {greatest}(0, {least}(abs(month_points),
                    cap_year - coalesce(sum(abs(month_points)) OVER (
                        PARTITION BY member_id, event, {year_of_day}
                        ORDER BY day, source_kind, source_id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))
           END AS points
    FROM month_capped
)
SELECT member_id, organization_id, rule_id, event, source_kind, source_id, link_pk, day,
       quantity, raw_points, round(points, 1) AS points, approved, title
FROM year_capped
UNION ALL
SELECT member_id, organization_id, rule_id, event, source_kind, source_id, link_pk, day,
       quantity, raw_points, raw_points, approved, title
FROM ruled
WHERE NOT (approved AND (cap_month IS NOT NULL OR cap_year IS NOT NULL))
"""

DELETE_VANISHED = """
DELETE FROM {entries} AS e
WHERE e.member_id IN (SELECT member_id FROM points_scope)
  AND e.day BETWEEN %(first)s AND %(last)s
  AND NOT EXISTS (
      SELECT 1 FROM points_desired d
      WHERE d.member_id = e.member_id AND d.rule_id = e.rule_id
        AND d.source_kind = e.source_kind AND d.source_id = e.source_id
  )
"""

_COLUMNS = (
    "organization_id",
    "event",
    "link_pk",
    "day",
    "quantity",
    "raw_points",
    "points",
    "approved",
    "title",
)

UPSERT = """
INSERT INTO {entries}
    (member_id, rule_id, source_kind, source_id, {columns}, computed_at)
SELECT member_id, rule_id, source_kind, source_id, {columns}, %(now)s
FROM points_desired
WHERE true
ON CONFLICT (member_id, rule_id, source_kind, source_id) DO UPDATE
SET {assignments}, computed_at = EXCLUDED.computed_at
WHERE {differs}
"""


def _scope_members(members: QuerySet[Member]) -> int:
    rows = members.values_list("pk", "organization_id", "organization__sub_district_id")
    sql, params = rows.query.sql_with_params()
    create, on_commit = dialect.temporary_table("points_scope")
    with connection.cursor() as cursor:
        cursor.execute(
            f"{create} points_scope (member_id bigint PRIMARY KEY, "
            f"organization_id bigint NOT NULL, sub_district_id bigint NOT NULL) {on_commit}"
        )
        cursor.execute(f"INSERT INTO points_scope {sql}", params)
        count = dialect.changed(cursor)
        dialect.analyze(cursor, "points_scope")
    return count


def recompute_points(
    *, members: QuerySet[Member], first: dt.date, last: dt.date, today: dt.date | None = None
) -> Recomputed:
    """Recompute the ledger of `members` for the whole years from `first` to `last`.

    Idempotent: recomputing again with unchanged sources writes nothing; a changed source record
    changes exactly the entries keyed by it (and, under a cap, the later entries of the same
    event that month or year, whose share of the cap moved)."""
    first, last = rules.whole_years(first, last)
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    params = {
        "first": first,
        "last": last,
        "first_at": dialect.param(dt.datetime.combine(first, dt.time.min, tzinfo=tz)),
        "after_at": dialect.param(
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        ),
        "today": today,
        "tz": str(tz),
        "first_year": first.year,
        "last_year": last.year,
        "now": dialect.param(timezone.now()),
    }
    entries = PointEntry._meta.db_table
    with transaction.atomic():
        sub_district_ids = sorted(
            set(
                members.order_by()
                .values_list("organization__sub_district_id", flat=True)
                .distinct()
            )
        )
        for sub_district_id in sub_district_ids:
            lock_key("points.recompute", str(sub_district_id))
        _seed_rules(sub_district_ids)
        member_count = _scope_members(members)
        union = dialect.union([s.sql() for s in sources.registered()])
        create, on_commit = dialect.temporary_table("points_desired")
        with connection.cursor() as cursor:
            cursor.execute(
                DESIRED.format(
                    create=create,
                    on_commit=on_commit,
                    union=union,
                    rules=PointRule._meta.db_table,
                    approvals=EntryApproval._meta.db_table,
                    greatest=dialect.function("greatest"),
                    least=dialect.function("least"),
                    month_of_day=dialect.month_of("day"),
                    year_of_day=dialect.year_of("day"),
                ),
                params,
            )
            dialect.analyze(cursor, "points_desired")
            cursor.execute(DELETE_VANISHED.format(entries=entries), params)
            deleted = dialect.changed(cursor)
            cursor.execute(
                UPSERT.format(
                    entries=entries,
                    columns=", ".join(_COLUMNS),
                    assignments=", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS),
                    differs=dialect.differs(
                        ", ".join(f"{entries}.{c}" for c in _COLUMNS),
                        ", ".join(f"EXCLUDED.{c}" for c in _COLUMNS),
                    ),
                ),
                params,
            )
            written = dialect.changed(cursor)
            cursor.execute("DROP TABLE points_desired")
            cursor.execute("DROP TABLE points_scope")
    return Recomputed(members=member_count, inserted_or_updated=written, deleted=deleted)


def recompute_member(*, member: Member, first: dt.date, last: dt.date) -> Recomputed:
    return recompute_points(members=Member.objects.filter(pk=member.pk), first=first, last=last)


def recompute_branch(*, branch: Organization, first: dt.date, last: dt.date) -> Recomputed:
    return recompute_points(
        members=Member.objects.filter(organization__path__startswith=branch.path),
        first=first,
        last=last,
    )


def recompute_sub_district(
    *, sub_district: SubDistrict, first: dt.date, last: dt.date
) -> Recomputed:
    return recompute_points(
        members=Member.objects.filter(organization__sub_district=sub_district),
        first=first,
        last=last,
    )


def schedule_member_recompute(member_ids: Iterable[int], days: Iterable[dt.date]) -> None:
    """The listener `members.extensions.records_changed` calls: recompute those members for the
    years of those days, by a task on the recomputes queue once the writing transaction commits.
    A lost message is repaired by the nightly recomputation."""
    years = sorted({day.year for day in days})
    if not years:
        return
    send_after_commit(
        "points.tasks.recompute_member_points", sorted(set(member_ids)), years[0], years[-1]
    )


def schedule_sub_district_recompute(sub_district_id: int, first_year: int, last_year: int) -> None:
    send_after_commit(
        "points.tasks.recompute_sub_district_points", sub_district_id, first_year, last_year
    )
