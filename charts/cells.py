"""A spreadsheet cell the portal writes: text a spreadsheet would run as a formula is kept as
text (the rule of every export: `reports.writers`, `members.roster`; charts sits beside
`reports` in the layers, so it keeps its own copy of the one-line rule)."""

from __future__ import annotations

from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell starting with =, +, -, @, tab or CR gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value
