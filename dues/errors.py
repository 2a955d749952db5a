"""The refusals of the dues services (accounts.errors: 400 for a rule, 409 for a conflict)."""

from __future__ import annotations

from accounts.errors import Conflict, DomainError


class DuesRefused(DomainError):
    """A dues rule refuses the request (back-payment too old, amount not what was collected…)."""


class AlreadyPaid(Conflict):
    """The bill was paid meanwhile (by another request): nothing was recorded."""
