"""Domain errors of the members app; the message is for the person who acts on it."""

from __future__ import annotations

from accounts.errors import Conflict, DomainError


class InvalidMemberData(DomainError):
    """A field of a member record breaks a rule (bad ID number, dates out of order, scope)."""


class DuplicateIdNumber(Conflict):
    """The ID-card number is already on a record somewhere in the deployment."""


class TransferConflict(Conflict):
    """The transfer is no longer in a state that allows this step (someone else acted first)."""


class TransferRefused(DomainError):
    """A transfer that breaks a rule (member not on the roll, same branch, already transferring)."""


class StepNotAllowed(DomainError):
    """A joining step taken too early or out of order; the message cites the rule."""


class ImportRejected(DomainError):
    """A roster file with errors; `errors` lists each one by row and column. Nothing is written."""

    def __init__(self, message: str, *, errors: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.errors = errors
