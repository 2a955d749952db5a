"""Pure rules of regional committees (no ORM): how many joint meetings a quarter owes."""

from __future__ import annotations


def _due_by(meetings_per_year: int, quarter: int) -> int:
    """Meetings due from the start of the year to the end of `quarter`: the year's meetings
    spread evenly, each due by the end of the quarter in which it falls."""
    return meetings_per_year * quarter // 4


def joint_meetings_owed(meetings_per_year: int, quarter: int) -> tuple[int, int]:
    """(meetings owed, first quarter they may be held in) for the window that closes with
    `quarter`; (0, quarter) when no meeting falls due at its end.

    The frequency is local (RULES.md: quarterly by default, a setting): 4 a year owe one each
    quarter, 12 owe three, 6 owe one and two in turn; fewer than 4 a year fall due at the end
    of some quarters only (2 a year: June and December), and a meeting held in any quarter since
    the previous due date counts toward it."""
    if not 1 <= quarter <= 4:
        raise ValueError("a quarter is numbered 1 to 4")
    if meetings_per_year < 1:
        return 0, quarter
    owed = _due_by(meetings_per_year, quarter) - _due_by(meetings_per_year, quarter - 1)
    if owed == 0:
        return 0, quarter
    first = quarter
    while first > 1 and _due_by(meetings_per_year, first - 1) == _due_by(
        meetings_per_year, first - 2
    ):
        first -= 1
    return owed, first
