"""The few SQL fragments the ledger's statements write differently on PostgreSQL and SQLite.

The recomputation stays set-based on both databases (the same statements, the same rows): only
these fragments differ. PostgreSQL is the production database; SQLite is the `make run` stack,
where the nightly recomputation and the demo run too. Each function returns SQL for the
connection in use when it is called.

Every `%` is doubled: the statements are executed with parameters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def local_date(column: str) -> str:
    """The local calendar day of a timestamp column (stored in UTC)."""
    if _sqlite():
        offset = timezone.localtime(timezone.now()).utcoffset() or dt.timedelta(0)
        return f"date({column}, '{int(offset.total_seconds() // 60):+d} minutes')"
    return f"(({column}) AT TIME ZONE %(tz)s)::date"


def add_months(column: str, months: int) -> str:
    """A date column plus whole months (the columns used are first days of months)."""
    if _sqlite():
        return f"date({column}, '{months:+d} months')"
    return f"({column} + interval '{months} months')::date"


def year_month(column: str) -> str:
    """'YYYY-MM' of a date."""
    if _sqlite():
        return f"strftime('%%Y-%%m', {column})"
    return f"to_char({column}, 'YYYY-MM')"


def month_of(column: str) -> str:
    """A value that is equal for the days of one month (a window's partition)."""
    if _sqlite():
        return f"strftime('%%Y-%%m', {column})"
    return f"date_trunc('month', {column})"


def year_of(column: str) -> str:
    if _sqlite():
        return f"strftime('%%Y', {column})"
    return f"date_trunc('year', {column})"


def new_year(year: str) -> str:
    """1 January of an integer year expression."""
    if _sqlite():
        return f"printf('%%04d-01-01', {year})"
    return f"make_date({year}, 1, 1)"


def new_years_eve(year: str) -> str:
    if _sqlite():
        return f"printf('%%04d-12-31', {year})"
    return f"make_date({year}, 12, 31)"


_SQLITE_FUNCTIONS = {"greatest": "max", "least": "min"}


def function(name: str) -> str:
    """The name of a function SQLite spells differently (greatest/least: its scalar max/min)."""
    return _SQLITE_FUNCTIONS.get(name, name) if _sqlite() else name


def greatest(a: str, b: str) -> str:
    return f"{function('greatest')}({a}, {b})"


def differs(current: str, excluded: str) -> str:
    """Row values that differ, NULLs compared as values."""
    return (
        f"({current}) IS NOT ({excluded})"
        if _sqlite()
        else (f"({current}) IS DISTINCT FROM ({excluded})")
    )


def temporary_table(name: str) -> tuple[str, str]:
    """(the words before the name, the words after it) of a CREATE TEMPORARY TABLE that ends
    with the transaction. SQLite has no ON COMMIT DROP: the caller drops the table at the end,
    and a failed recomputation leaves none behind, as SQLite rolls back a temporary table's
    CREATE with the transaction (or savepoint) around it."""
    if _sqlite():
        return "CREATE TEMPORARY TABLE", ""
    return "CREATE TEMPORARY TABLE", "ON COMMIT DROP"


def analyze(cursor: Any, table: str) -> None:
    """Fresh statistics for the planner (PostgreSQL's planner misjudges a fresh temporary table
    without them); SQLite's planner does without, and the statement is not run there."""
    if not _sqlite():
        cursor.execute(f"ANALYZE {table}")


def union(parts: list[str]) -> str:
    """UNION ALL of SELECTs: SQLite takes no parentheses around a compound's members."""
    if _sqlite():
        return " UNION ALL ".join(parts)
    return " UNION ALL ".join(f"({part})" for part in parts)


def param(value: object) -> object:
    """A datetime parameter as the database compares it with its stored timestamps (SQLite: the
    UTC text Django stores)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def changed(cursor: Any) -> int:
    """The rows the last statement changed: Python's sqlite3 reports -1 for a statement that
    starts with WITH or CREATE; SQLite's changes() counts them."""
    if _sqlite():
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
    return cursor.rowcount
