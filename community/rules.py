"""Pure rules of community life: session dates, ages, result scores, vote limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

#: Votes one account may cast in a minute, and votes from one IP address in a minute
#: (a household or an office shares one address, so the second is wider).
VOTES_PER_ACCOUNT_PER_MINUTE = 5
VOTES_PER_IP_PER_MINUTE = 30
#: An account younger than this is "new" for the burst check.
NEW_ACCOUNT_DAYS = 7
#: Votes from new accounts on one nominee within the window that flag it for staff.
BURST_VOTES = 10
BURST_WINDOW = dt.timedelta(hours=1)
#: Attendance by code: from this long before the start until this long after the end.
CODE_EARLY = dt.timedelta(minutes=30)
CODE_LATE = dt.timedelta(minutes=30)


def session_dates(first: dt.date, last: dt.date, weekday: int) -> list[dt.date]:
    """Every date from `first` to `last` (inclusive) that falls on `weekday` (Monday = 0)."""
    start = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    while start <= last:
        days.append(start)
        start += dt.timedelta(days=7)
    return days


def age_on(birth_year: int, day: dt.date) -> int:
    """The age a resident reaches in the year of `day` (the college counts by birth year)."""
    return day.year - birth_year


def attendance_percent(attended: int, held: int) -> int:
    return round(100 * attended / held) if held else 0


def weighted_score(
    *, votes: int, top_votes: int, jury_score: Decimal | None, jury_weight: int
) -> Decimal:
    """Votes scaled to 0–100 against the category's leader, mixed with the jury's 0–100 score."""
    vote_part = Decimal(100 * votes) / Decimal(top_votes) if top_votes else Decimal(0)
    jury = jury_score if jury_score is not None else Decimal(0)
    weight = Decimal(jury_weight) / 100
    return (jury * weight + vote_part * (1 - weight)).quantize(Decimal("0.01"))
