"""The SQL fragments of the compliance statement (`activities.compliance`) that PostgreSQL and
SQLite write differently, in one place (as `points.dialect` does for the ledger's recompute).

The statement stays one set-based statement on both databases, with the same rows: only these
fragments differ. PostgreSQL is the production database and its statement is the one tuned in
issue 16 (the organisations as arrays, filtered with `= ANY(ARRAY(SELECT id FROM org))`); SQLite
is the `make run` stack, where the organisations come as one JSON parameter (`json_each`), a
date is ISO text and an array is a JSON array. Each fragment is chosen by the vendor of the
connection the statement runs on (the report replica in a report build).

Every `%` is doubled: the statements are executed with parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any


class ComplianceDialect:
    """PostgreSQL's fragments (the defaults); `SqliteComplianceDialect` overrides them."""

    #: The organisations asked: (id, owner_id, sub_district_id, kind, founded_on, position).
    org = """SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::date[])
            WITH ORDINALITY"""
    #: Casts of the VALUES' parameters (SQLite takes a parameter's own type).
    as_bigint = "::bigint"
    as_int = "::int"
    as_date = "::date"
    null_bigint = "NULL::bigint"
    #: The start of the period of `granularity` that contains the day `held_on`.
    period_start = "date_trunc(w.granularity, m.held_on::timestamp)::date"
    #: The meetings of the organisations asked (see `activities.compliance` on why an array).
    of_orgs = "= ANY(ARRAY(SELECT id FROM org))"
    #: The select list of an EXISTS subquery (PostgreSQL takes none).
    exists = ""

    # The heat map's cells per branch and month (see `activities.compliance.heat_map`).
    heat_cells = """
    SELECT owner_id, date_trunc('month', "end")::date AS month, count(*),
           count(*) FILTER (WHERE held >= required),
           count(*) FILTER (WHERE "end" < %s),
           count(*) FILTER (WHERE "end" < %s AND held >= required),
           coalesce(array_agg(rule_id ORDER BY org_position, rule_position, start)
                    FILTER (WHERE held < required), '{}'),
           array_agg(DISTINCT rule_id)
    FROM requirement
    GROUP BY 1, 2
"""

    def org_params(self, rows: Sequence[tuple[int, int, int, str, dt.date | None]]) -> list[Any]:
        """The parameters of `org` for the organisations' rows, in order."""
        return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * 5

    def day(self, value: Any) -> dt.date:
        """A date the statement returns."""
        return value

    def ids(self, value: Any) -> list[int]:
        """An array of ids the statement returns."""
        return list(value)


class SqliteComplianceDialect(ComplianceDialect):
    org = """SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                   json_extract(value, '$[2]'), json_extract(value, '$[3]'),
                   json_extract(value, '$[4]'), key
            FROM json_each(%s)"""
    as_bigint = as_int = as_date = ""
    null_bigint = "NULL"
    period_start = """CASE w.granularity
                 WHEN 'month' THEN strftime('%%Y-%%m-01', m.held_on)
                 WHEN 'year' THEN strftime('%%Y-01-01', m.held_on)
                 ELSE printf('%%s-%%02d-01', strftime('%%Y', m.held_on),
                             (CAST(strftime('%%m', m.held_on) AS integer) - 1) / 3 * 3 + 1)
               END"""
    of_orgs = "IN (SELECT id FROM org)"
    exists = "1 "
    # SQLite (before 3.44) has no ORDER BY inside an aggregate: the unmet rules are listed in
    # order by a window over the cell's rows (the same list on each of them), then taken once.
    heat_cells = """
    SELECT owner_id, month, count(*),
           count(*) FILTER (WHERE held >= required),
           count(*) FILTER (WHERE "end" < %s),
           count(*) FILTER (WHERE "end" < %s AND held >= required),
           max(missing),
           json_group_array(DISTINCT rule_id)
    FROM (
        SELECT *, json_group_array(rule_id) FILTER (WHERE held < required) OVER (
                      PARTITION BY owner_id, month
                      ORDER BY org_position, rule_position, start
                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                  ) AS missing
        FROM (SELECT *, strftime('%%Y-%%m-01', "end") AS month FROM requirement) AS dated
    ) AS listed
    GROUP BY 1, 2
"""

    def org_params(self, rows: Sequence[tuple[int, int, int, str, dt.date | None]]) -> list[Any]:
        return [
            json.dumps(
                [
                    [pk, owner, sub_district, kind, founded and founded.isoformat()]
                    for pk, owner, sub_district, kind, founded in rows
                ]
            )
        ]

    def day(self, value: Any) -> dt.date:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    def ids(self, value: Any) -> list[int]:
        return json.loads(value) if isinstance(value, str) else list(value)


def compliance_dialect(vendor: str) -> ComplianceDialect:
    """The fragments for a connection's `vendor`."""
    return SqliteComplianceDialect() if vendor == "sqlite" else ComplianceDialect()
