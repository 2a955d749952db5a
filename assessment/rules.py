"""The pure rules of targets and inspections: traffic lights, weights. No ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
TOTAL_WEIGHT = 100


def weights_complete(weights: Iterable[int]) -> bool:
    """A plan is adopted only when its targets' weights sum to exactly 100."""
    return sum(weights) == TOTAL_WEIGHT


def traffic_light(
    *, value: Decimal | None, goal: Decimal, start: dt.date, deadline: dt.date, today: dt.date
) -> str:
    """Green: the goal is reached. Past the deadline and short of it: red. Before the deadline:
    amber while the figure keeps pace with the time elapsed (at least goal × elapsed share of the
    period), red when it falls behind. Grey: nothing to measure yet."""
    if value is None:
        return GREY
    if value >= goal:
        return GREEN
    if today > deadline:
        return RED
    span = (deadline - start).days or 1
    elapsed = min(max((today - start).days, 0), span)
    return AMBER if value * span >= goal * elapsed else RED


GOOD, FAIRLY_GOOD, AVERAGE, POOR = "good", "fairly_good", "average", "poor"
GRADE_POINTS = {GOOD: 100, FAIRLY_GOOD: 85, AVERAGE: 70, POOR: 50}


def weights_of_round_complete(metrics: int, inspection: int, report: int) -> bool:
    return metrics + inspection + report == TOTAL_WEIGHT


def year_grades(
    totals: list[tuple[int, Decimal]],
    *,
    good_percent: int,
    fairly_good_percent: int,
    poor_below: Decimal,
) -> dict[int, tuple[int, str]]:
    """Rank and grade `totals` ((key, total) pairs): {key: (rank, grade)}.

    Ranks share on equal totals (1, 1, 3). 好 goes to the best, at most `good_percent` of all
    (rounded down), 较好 to the next, at most `fairly_good_percent`; a total below `poor_below`
    is 差 whatever its rank, the rest 一般. A tie straddling a cap takes the lower grade for
    every tied branch, so the cap holds without choosing among equals."""
    ordered = sorted(totals, key=lambda pair: -pair[1])
    n = len(ordered)
    caps = {GOOD: n * good_percent // 100, FAIRLY_GOOD: n * fairly_good_percent // 100}
    used = {GOOD: 0, FAIRLY_GOOD: 0}
    levels = [GOOD, FAIRLY_GOOD, AVERAGE]
    level = 0  # grades only go down the ranking
    groups: list[tuple[Decimal, list[int]]] = []
    for key, total in ordered:
        if groups and groups[-1][0] == total:
            groups[-1][1].append(key)
        else:
            groups.append((total, [key]))
    result: dict[int, tuple[int, str]] = {}
    rank = 1
    for total, keys in groups:
        while levels[level] != AVERAGE and used[levels[level]] + len(keys) > caps[levels[level]]:
            level += 1
        grade = levels[level]
        if grade != AVERAGE:
            used[grade] += len(keys)
        for key in keys:
            result[key] = (rank, POOR if total < poor_below else grade)
        rank += len(keys)
    return result
