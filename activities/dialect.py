"""The SQL fragments of the compliance statement (`activities.compliance.HELD_PER_MONTH`) that
PostgreSQL and SQLite write differently, in one place (as `points.dialect` does for the
ledger's recompute).

The statement is the same grouped statement on both databases, with the same rows: only how a
month is named and how a list of ids is passed differ. PostgreSQL is the production database:
the ids go as one array parameter (`= ANY(%s)`; Django's IN list prepares each of a
sub-district's hundreds of ids one by one). SQLite is the `make run` stack, where the ids come
as one JSON parameter (`json_each`) and a date is ISO text. Each fragment is chosen by the
vendor of the connection the statement runs on (the report replica in a report build).

Every `%` is doubled: the statements are executed with parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any


class ComplianceDialect:
    """PostgreSQL's fragments (the defaults); `SqliteComplianceDialect` overrides them."""

    #: The first day of the month of `held_on`.
    month = "date_trunc('month', held_on)::date"
    #: A column is one of the values of a list parameter (`ids_param`).
    of_ids = "= ANY(%s)"
    #: A date the statement computes comes back as a date (else through `day`).
    returns_dates = True

    def ids_param(self, values: Sequence[Any]) -> Any:
        """The parameter of `of_ids` for `values`."""
        return list(values)

    def day(self, value: Any) -> dt.date:
        """A date the statement returns."""
        return value


class SqliteComplianceDialect(ComplianceDialect):
    month = "strftime('%%Y-%%m-01', held_on)"
    of_ids = "IN (SELECT value FROM json_each(%s))"
    returns_dates = False

    def ids_param(self, values: Sequence[Any]) -> Any:
        return json.dumps(list(values))

    def day(self, value: Any) -> dt.date:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value


def compliance_dialect(vendor: str) -> ComplianceDialect:
    """The fragments for a connection's `vendor`."""
    return SqliteComplianceDialect() if vendor == "sqlite" else ComplianceDialect()
