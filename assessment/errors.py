"""The refusals of the assessment services: a message staff or a secretary can act on."""

from __future__ import annotations

from accounts.errors import Conflict, DomainError


class TargetRefused(DomainError):
    """A rule of plans and targets broken: nothing is written."""


class InspectionRefused(DomainError):
    """A rule of inspections and rectification broken: nothing is written."""


class AlreadyPublished(Conflict):
    """The week's ranking is already published (409)."""
