"""The rules of committee terms (任期意见): pure functions, no ORM.

Term lengths are a dated rule table (`TermLengthRule` rows, seeded from shared/domain/RULES.md):
the rule in force **on the day a term began** gives its length, so a term begun before a new rule
keeps its length. The other figures are firm national ones, so they are named constants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from config.periods import add_years

# Sectors whose organisations follow the 社区 and 村 column of the table.
COMMUNITY_SECTORS = frozenset({"community", "village"})
# The kinds of committee the table names; a party working committee counts as a 党委.
RULE_KINDS = ("committee", "general_branch", "branch")
# Days before a term ends when the secretary and staff are reminded.
TERM_REMINDER_DAYS = (90, 30)
# An extension approved by the level above moves the planned end by at most one year in all.
MAX_EXTENSION_YEARS = 1


@dataclass(frozen=True)
class TermRule:
    """One row of the table: from `effective_from`, a `kind` of committee in or outside a
    community or village serves `years`."""

    effective_from: dt.date
    kind: str
    in_community: bool
    years: int


def rule_kind(organization_kind: str) -> str:
    """The column of the table an organisation's kind reads (a 党工委 reads the 党委's)."""
    if organization_kind in ("work_committee", "committee"):
        return "committee"
    if organization_kind == "general_branch":
        return "general_branch"
    return "branch"


def term_rule(
    table: Iterable[TermRule], *, organization_kind: str, sector: str, started_on: dt.date
) -> TermRule | None:
    """The rule in force on `started_on` for this kind and sector: of the rows that match, the
    one with the latest `effective_from` on or before that day; None when none does."""
    kind = rule_kind(organization_kind)
    in_community = sector in COMMUNITY_SECTORS
    matching = [
        row
        for row in table
        if row.kind == kind
        and row.in_community == in_community
        and row.effective_from <= started_on
    ]
    return max(matching, key=lambda row: row.effective_from, default=None)


def planned_term_end(term_years: int, started_on: dt.date) -> dt.date:
    return add_years(started_on, term_years)


def latest_extension_end(regular_end: dt.date) -> dt.date:
    """The furthest an approved extension may move a term's regular end: one year, to the day."""
    return add_years(regular_end, MAX_EXTENSION_YEARS)


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
