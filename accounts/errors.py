"""The base of every domain error a service raises.

A view shows the message; the API turns it into JSON with `status_code` (400 for a broken rule,
409 for a conflict over a scarce thing). The message is written for the person who acts on it.
"""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(DomainError):
    status_code = 409
