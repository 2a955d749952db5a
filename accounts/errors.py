"""The base of every domain error a service raises.

A view shows the message; the API turns it into JSON with `status_code` (400 for a broken rule,
409 for a conflict over a scarce thing). The message is written for the person who acts on it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(DomainError):
    status_code = 409


#: What a person reads when a request failed on the server side (the database, most often).
#: Every write is one service in one transaction, so it can promise that nothing was saved.
SERVER_ERROR = _(
    "The portal could not complete this request. Nothing was saved; please try again in a "
    "few minutes. If it keeps happening, tell the sub-district office."
)
