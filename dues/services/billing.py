"""Monthly billing: one set-based statement per month, never a query per member.

`bill_month(month)` inserts the month's bills with one INSERT … SELECT over the members roll of
the month's first day and the bases in force, priced by the rule table in SQL (the flat rate of
the base's bracket, ROUND to two places: half up for money, which is never negative), and
`ON CONFLICT DO NOTHING`, so a second run makes no second bill; then one UPDATE … FROM re-prices
that month's **unpaid** bills whose base or price changed (a corrected base), never a paid one.

Who is billed for month M (first day F, last day L):
- a member on the roll on F (members.Member.roll_from/roll_until), unless they arrived by an
  inbound transfer accepted after F;
- a member admitted during M (probationary members pay from the month of admission);
- a member who arrived by transfer during M only when their sub-district's `join_rule` says
  "this month" (default: from the next month).
The priced rows are a MATERIALIZED CTE: computed once and hash-joined to the bills (inlined, the
planner re-ran them per bill row: minutes at 30,000 members).
The branch billed is the member's branch on F (by accepted internal transfers), or on L under the
"this month" rule, so by default the sending branch bills the month of a transfer.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import record_audit

_LOCAL_DATE = {
    "postgresql": "(({col}) AT TIME ZONE '{tz}')::date",
    "sqlite": "date({col}, '+8 hours')",
}
_REFERENCE = {
    "postgresql": "'DF' || to_char(e.month, 'YYMM') || lpad(e.member_id::text, 8, '0')",
    # SQLite's strftime has no %y before 3.46: the year's last two digits by substr.
    "sqlite": "'DF' || substr(strftime('%%Y', e.month), 3, 2) || strftime('%%m', e.month)"
    " || substr('00000000' || e.member_id, -8, 8)",
}
_ROUND = {
    "postgresql": "ROUND(b.amount * r.rate, 2)",
    # SQLite multiplies binary floats; the nudge keeps x.xx5 from rounding down.
    "sqlite": "ROUND(b.amount * r.rate + 0.0000001, 2)",
}


#: New bills after which billing refreshes the table's statistics before re-pricing.
ANALYZE_AFTER = 1000


def _changed(cursor) -> int:
    """The rows the last statement changed. Python's sqlite3 reports -1 for a statement that
    starts with WITH; SQLite's own changes() counts them."""
    if cursor.rowcount == -1 and connection.vendor == "sqlite":
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
    return cursor.rowcount


def _local_date(column: str) -> str:
    return _LOCAL_DATE[connection.vendor].format(col=column, tz=settings.TIME_ZONE)


def _priced_sql(member_filter: str) -> str:
    """The month's bills as they should be: one row per member to bill, priced."""
    decided = _local_date("t.decided_at")
    return f"""
    WITH arrivals AS (
        SELECT t.member_id, MAX({decided}) AS arrived_on
          FROM members_transfer t
         WHERE t.kind = 'inbound' AND t.state = 'accepted'
         GROUP BY t.member_id
    ), roll AS MATERIALIZED (
        SELECT m.id AS member_id, m.organization_id, m.roll_from,
               COALESCE(s.join_rule, 'next_month') AS join_rule,
               COALESCE(s.farmer_amount, 0.20) AS farmer_amount,
               a.arrived_on
          FROM members_member m
          JOIN branches_organization o ON o.id = m.organization_id
          LEFT JOIN dues_duessettings s ON s.sub_district_id = o.sub_district_id
          LEFT JOIN arrivals a ON a.member_id = m.id
         WHERE m.roll_from IS NOT NULL AND m.roll_from <= %(last)s
           AND m.roll_until > %(first)s {member_filter}
    ), eligible AS MATERIALIZED (
        SELECT r.member_id, r.organization_id, r.farmer_amount, %(first)s AS month,
               CASE WHEN r.join_rule = 'this_month' THEN %(last)s ELSE %(first)s END
                   AS branch_day,
               CASE WHEN r.arrived_on IS NOT NULL AND r.arrived_on > %(first)s THEN r.arrived_on
                    WHEN r.roll_from > %(first)s THEN r.roll_from
                    ELSE %(first)s END AS base_day
          FROM roll r
         WHERE (r.roll_from <= %(first)s AND (r.arrived_on IS NULL OR r.arrived_on <= %(first)s))
            OR (r.roll_from > %(first)s AND r.arrived_on IS NULL)
            OR (r.join_rule = 'this_month' AND r.arrived_on > %(first)s
                AND r.arrived_on <= %(last)s)
    )
    SELECT e.member_id,
           COALESCE(
               (SELECT t.from_organization_id FROM members_transfer t
                 WHERE t.member_id = e.member_id AND t.kind = 'internal'
                   AND t.state = 'accepted' AND {decided} > e.branch_day
                 ORDER BY t.decided_at LIMIT 1),
               e.organization_id) AS organization_id,
           e.month,
           b.id AS base_id,
           b.category,
           b.amount AS base_amount,
           CASE WHEN r.flat_amount IS NULL THEN {_ROUND[connection.vendor]}
                WHEN b.category = 'farmer' THEN e.farmer_amount
                ELSE r.flat_amount END AS amount_due,
           {_REFERENCE[connection.vendor]} AS reference
      FROM eligible e
      JOIN dues_duesbase b
        ON b.member_id = e.member_id AND b.started_on <= e.base_day
       AND (b.ended_on IS NULL OR b.ended_on >= e.base_day)
      JOIN dues_duesrate r
        ON r.category = b.category
       AND r.valid_from = (SELECT MAX(r2.valid_from) FROM dues_duesrate r2
                            WHERE r2.category = b.category AND r2.valid_from <= %(first)s)
       AND (r.lower_bound IS NULL OR b.amount > r.lower_bound)
       AND (r.upper_bound IS NULL OR b.amount <= r.upper_bound)
     WHERE 1 = 1
    """  # noqa: S608 - fragments from the code; every value is a parameter


def _params(month: dt.date, member_ids: Sequence[int] | None) -> tuple[dict, str]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    params: dict = {
        "first": first,
        "last": last,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    member_filter = ""
    if member_ids is not None:
        placeholders = ", ".join(f"%(m{i})s" for i in range(len(member_ids)))
        member_filter = f"AND m.id IN ({placeholders or 'NULL'})"
        params.update({f"m{i}": pk for i, pk in enumerate(member_ids)})
    return params, member_filter


def insert_bills(month: dt.date, *, member_ids: Sequence[int] | None = None) -> int:
    """Insert the month's missing bills; returns how many were new."""
    params, member_filter = _params(month, member_ids)
    sql = f"""
    WITH p AS MATERIALIZED ({_priced_sql(member_filter)})
    INSERT INTO dues_duesbill (member_id, organization_id, month, base_id, category,
                               base_amount, amount_due, reference, created_at, updated_at)
    SELECT p.member_id, p.organization_id, p.month, p.base_id, p.category, p.base_amount,
           p.amount_due, p.reference, %(now)s, %(now)s
      FROM p
     WHERE 1 = 1
    ON CONFLICT (member_id, month) DO NOTHING
    """  # noqa: S608 - fragments from the code; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _changed(cursor)


def reprice_bills(month: dt.date, *, member_ids: Sequence[int] | None = None) -> int:
    """Bring the month's unpaid bills to their base and rule as they now stand; paid bills are
    never touched. Returns how many changed."""
    params, member_filter = _params(month, member_ids)
    sql = f"""
    WITH p AS MATERIALIZED ({_priced_sql(member_filter)})
    UPDATE dues_duesbill
       SET base_id = p.base_id, category = p.category, base_amount = p.base_amount,
           amount_due = p.amount_due, updated_at = %(now)s
      FROM p
     WHERE dues_duesbill.member_id = p.member_id AND dues_duesbill.month = %(first)s
       AND dues_duesbill.paid_on IS NULL
       AND (dues_duesbill.amount_due <> p.amount_due OR dues_duesbill.base_id IS NULL
            OR dues_duesbill.base_id <> p.base_id OR dues_duesbill.category <> p.category)
    """  # noqa: S608 - fragments from the code; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _changed(cursor)


def bill_month(month: dt.date, *, member_ids: Sequence[int] | None = None) -> tuple[int, int]:
    """Bill a month (or, with `member_ids`, a few members of it): the new bills, then the unpaid
    ones re-priced, in one transaction. Safe to run any number of times."""
    with transaction.atomic():
        created = insert_bills(month, member_ids=member_ids)
        if created >= ANALYZE_AFTER and connection.vendor == "postgresql":
            # The month's bills were just written: without fresh statistics the planner takes
            # the bills table for the empty one it last sampled and joins the re-pricing to it
            # row by row (minutes at 30,000 members). ANALYZE samples it in a fraction of that.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE dues_duesbill")
        repriced = reprice_bills(month, member_ids=member_ids)
        if member_ids is None and (created or repriced):
            record_audit(
                actor=None,
                action="dues.month_billed",
                data={"month": f"{month:%Y-%m}", "created": created, "repriced": repriced},
            )
    return created, repriced
