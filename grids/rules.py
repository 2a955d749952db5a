"""Pure rules of grid work: masking, phone shape, due dates. No ORM."""

from __future__ import annotations

import datetime as dt
import re

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def normalise_phone(raw: str) -> str | None:
    """A mobile (11 digits from 1) or a landline (0371-12345678); None when it is neither."""
    phone = re.sub(r"[\s()]", "", raw or "")
    return phone if PHONE_RE.match(phone) else None


def mask_name(name: str) -> str:
    """A party's name as pages show it: the surname, then a star per further character."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def follow_up_due(closed_on: dt.date, days: int) -> dt.date:
    return closed_on + dt.timedelta(days=days)


def escalation_cutoff(today: dt.date, days: int) -> dt.date:
    """A dispute opened on or before this day and still unresolved is escalated today."""
    return today - dt.timedelta(days=days)


def overdue_cutoff(today: dt.date, days: int) -> dt.date:
    """A household last visited before this day (or never) is overdue."""
    return today - dt.timedelta(days=days)
