"""The rules of committee terms (任期意见): pure functions, no ORM.

Figures here are firm national ones (shared/domain/RULES.md), so they are named constants.
"""

from __future__ import annotations

import datetime as dt

from config.periods import add_years

# Terms: 5 years for community and village organisations, 3 otherwise (任期意见).
LONG_TERM_SECTORS = frozenset({"community", "village"})
LONG_TERM_YEARS = 5
SHORT_TERM_YEARS = 3
# Days before a term ends when the secretary and staff are reminded.
TERM_REMINDER_DAYS = (90, 30)


def term_years(sector: str) -> int:
    return LONG_TERM_YEARS if sector in LONG_TERM_SECTORS else SHORT_TERM_YEARS


def planned_term_end(sector: str, started_on: dt.date) -> dt.date:
    return add_years(started_on, term_years(sector))


def reminder_due(planned_end_on: dt.date, today: dt.date) -> int | None:
    """The lead time (90 or 30) whose reminder is due today, the most urgent first; None if none.

    A term first seen 20 days before its end gets the 30-day reminder only, never both.
    """
    days_left = (planned_end_on - today).days
    if days_left < 0:
        return None
    for lead in sorted(TERM_REMINDER_DAYS):
        if days_left <= lead:
            return lead
    return None
