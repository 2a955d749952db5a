"""The refusals of the appraisal services: a message a secretary (or a voting member) can act on."""

from __future__ import annotations

from accounts.errors import Conflict, DomainError


class AppraisalRefused(DomainError):
    """A rule of the appraisal broken: nothing is written."""


class AlreadyVoted(Conflict):
    """A second ballot by the same voter in the same campaign (409)."""


class OutsideWindow(AppraisalRefused):
    """A ballot before the window opens, after it closes, or once the grades are decided."""
