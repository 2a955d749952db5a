"""The pure rules of residents' voice and community decisions (RULES.md "Community decisions",
"Residents' voice"): deadlines by category, the steps of each procedure, the vote's quorum and
majority. No ORM here."""

from __future__ import annotations

import datetime as dt
import re

# Days a category's opinion may take from receipt to reply. RULES.md gives no figures: these
# are the local defaults a sub-district replaces in its own dated table (CategoryDeadline).
DEFAULT_DEADLINE_DAYS: dict[str, int] = {
    "environment": 7,
    "property": 10,
    "facilities": 15,
    "traffic": 15,
    "safety": 5,
    "services": 10,
    "neighbours": 7,
    "other": 15,
}

# The steps of each procedure, in order; none may be skipped (RULES.md).
PROCEDURE_STEPS: dict[str, tuple[str, ...]] = {
    "four_two": (
        "propose",
        "deliberate",
        "review",
        "decide",
        "publish_decision",
        "publish_outcome",
    ),
    "solicit_three_two": (
        "solicit",
        "propose",
        "deliberate",
        "review",
        "decide",
        "publish_decision",
        "publish_outcome",
    ),
}

PUBLICATION_STEPS = frozenset({"publish_decision", "publish_outcome"})


def deadline_for(received_on: dt.date, days: int) -> dt.date:
    return received_on + dt.timedelta(days=days)


def next_step(procedure: str, done: set[str] | frozenset[str]) -> str | None:
    """The first step of `procedure` not yet done, or None when the matter is through."""
    for step in PROCEDURE_STEPS[procedure]:
        if step not in done:
            return step
    return None


def quorum_met(*, eligible: int, present: int) -> bool:
    """Valid only when more than half of the residents or representatives attend."""
    return eligible > 0 and present * 2 > eligible


def motion_passed(*, present: int, votes_for: int) -> bool:
    """Passed by more than half of those present."""
    return present > 0 and votes_for * 2 > present


def days_shown(starts_on: dt.date, ends_on: dt.date) -> int:
    """Calendar days a publication is up, both ends counted."""
    return (ends_on - starts_on).days + 1


_ID_NUMBER = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")


def mask_personal(text: str) -> str:
    """Mask ID-card numbers and mobile numbers typed into a text that goes public."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)[-1]}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


# The 公示 of a candidate before admission lasts 5 working days (发展党员工作细则). Working days
# are Monday to Friday here; the State Council's moved holidays are not modelled.
ADMISSION_NOTICE_WORKING_DAYS = 5


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The `n`-th working day (Monday–Friday) after `day`."""
    current = day
    while n > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            n -= 1
    return current


def admission_notice_window(trained_on: dt.date) -> tuple[dt.date, dt.date]:
    """The public notice of a development candidate runs from the first working day after the
    candidate's training is completed, for 5 working days, both ends counted."""
    starts_on = add_working_days(trained_on, 1)
    return starts_on, add_working_days(starts_on, ADMISSION_NOTICE_WORKING_DAYS - 1)


# The longest calendar span from the training's end to the notice's last day (7: a weekday's
# training, the next weekday to the same weekday a week later), so the rows can be narrowed in
# SQL before the window is worked out.
ADMISSION_NOTICE_MAX_SPAN_DAYS = 7
