"""The rules of an election (换届选举; RULES.md "election"): pure functions, no ORM.

All three figures are firm national ones, so they are constants here.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from activities.rules import election_quorum_met, more_than_half

__all__ = [
    "MIN_MARGIN_PERCENT",
    "ballot_problems",
    "election_quorum_met",
    "elected",
    "enough_candidates",
]

# 差额选举: the candidates exceed the seats by at least 20%.
MIN_MARGIN_PERCENT = 20

K = TypeVar("K", bound=Hashable)


def enough_candidates(*, seats: int, candidates: int) -> bool:
    """More candidates than seats, by at least a fifth of the seats: 6 for 5 seats passes
    (exactly 20%), 5 for 5 and 11 for 10 do not."""
    return (
        seats > 0
        and candidates > seats
        and (candidates - seats) * 100 >= seats * MIN_MARGIN_PERCENT
    )


def ballot_problems(
    *, present: int, cast: int, valid: int, invalid: int, seats: int, votes: Sequence[int]
) -> list[str]:
    """How the ballot figures fail to add up (keys the caller words): cast = valid + invalid,
    no more ballots than voters present, no candidate above the valid ballots, and no more votes
    in all than each valid ballot's `seats` marks."""
    problems = []
    if min(cast, valid, invalid, *votes, 0) < 0:
        problems.append("negative")
    if cast != valid + invalid:
        problems.append("cast_not_sum")
    if cast > present:
        problems.append("cast_over_present")
    if any(v > valid for v in votes):
        problems.append("votes_over_valid")
    if sum(votes) > valid * seats:
        problems.append("votes_over_marks")
    return problems


def elected(votes: Mapping[K, int], *, entitled: int, seats: int) -> tuple[list[K], list[K]]:
    """Who is elected: more than half of the entitled voters' votes (exactly half is not
    enough), the most votes first, no more than the seats. Returns (elected, tied): `tied` names
    the candidates level on votes for the last seat when that leaves it undecided (a further
    round decides it), and `elected` then holds only those clear of the tie."""
    qualified = sorted(
        (key for key, n in votes.items() if more_than_half(n, entitled)),
        key=lambda key: -votes[key],
    )
    if len(qualified) <= seats:
        return qualified, []
    cutoff = votes[qualified[seats - 1]]
    if votes[qualified[seats]] < cutoff:
        return qualified[:seats], []
    clear = [key for key in qualified if votes[key] > cutoff]
    tied = [key for key in qualified if votes[key] == cutoff]
    return clear, tied
