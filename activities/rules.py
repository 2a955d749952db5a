"""The rules of organisational life (支部条例): quorum, majority, what each kind requires.

Pure functions, no ORM. Firm national figures are constants here; local ones (how often a party
lecture is due, how early to warn) are `CadenceRule` rows and settings a sub-district can change.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.periods import Granularity


def more_than_half(part: int, whole: int) -> bool:
    """Strictly more than half: exactly half is not enough (2 of 4 fails, 3 of 4 passes)."""
    return whole > 0 and part * 2 > whole


def quorum_met(*, entitled: int, present: int) -> bool:
    """A vote of the branch general meeting needs more than half of those entitled present."""
    return more_than_half(present, entitled)


def motion_passes(*, entitled: int, yes: int) -> bool:
    """A motion passes with yes votes from more than half of those entitled (not of present)."""
    return more_than_half(yes, entitled)


def committee_quorum_met(*, committee_members: int, present: int) -> bool:
    return more_than_half(present, committee_members)


def election_quorum_met(*, entitled: int, present: int) -> bool:
    """An election (换届) needs more than four fifths of those entitled present."""
    return entitled > 0 and present * 5 > entitled * 4


@dataclass(frozen=True)
class Requirement:
    """What a cadence rule asks of one organisation for one period."""

    kind: str
    granularity: Granularity
    required: int


def vote_validation_errors(
    *, entitled: int, present: int, yes: int, no: int, abstain: int
) -> list[str]:
    """Internal consistency of a recorded vote; messages are keys translated by the caller."""
    errors = []
    if min(entitled, present, yes, no, abstain) < 0:
        errors.append("negative")
    if present > entitled:
        errors.append("present_over_entitled")
    if yes + no + abstain > present:
        errors.append("votes_over_present")
    return errors
