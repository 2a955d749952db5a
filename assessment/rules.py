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
