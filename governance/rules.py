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
