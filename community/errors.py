"""Domain errors of the community app: a message a person can act on."""

from __future__ import annotations

from accounts.errors import Conflict, DomainError


class EnrolmentRefused(DomainError):
    """A rule of the course or term forbids this enrolment now."""


class ScheduleConflict(Conflict):
    """A session of the course would collide with another booking of the room."""


class AttendanceRefused(DomainError):
    pass


class NominationRefused(DomainError):
    pass


class VoteRefused(DomainError):
    pass


class AlreadyVoted(Conflict):
    pass


class ContestRefused(DomainError):
    """A rule of the contest forbids this now (window, who may take part, attempts used)."""


class AttemptClosed(Conflict):
    """The attempt was already submitted, or its time ran out."""
