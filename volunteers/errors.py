"""Domain errors of volunteer service; each message tells the person what to do."""

from __future__ import annotations

from accounts.errors import Conflict, DomainError


class SignUpRefused(DomainError):
    """Sign-up is not possible (window closed, team-only activity, cancelled)."""


class AttendanceRefused(DomainError):
    """A sign-in or sign-out that does not fit the activity or the enrollment."""


class HoursRefused(DomainError):
    """An hours correction that breaks the cap or the enrollment's state."""


class MembershipRefused(DomainError):
    """A join request or decision that does not fit the membership's state."""


class WishAlreadyClaimed(Conflict):
    """Someone else claimed the wish first."""


class WishRefused(DomainError):
    """A wish action that does not fit the wish's state or the person."""


class CertificateRefused(DomainError):
    """A certificate request for a bad period or a volunteer with no service in it."""


class GoodDeedRefused(DomainError):
    """A good deed that cannot be recorded or closed as asked."""


class GoodDeedClosed(Conflict):
    """The good deed was closed already (by someone else, or a second click)."""
