from __future__ import annotations

from accounts.dated import DatedSpanQuerySet
from accounts.scope import ScopedQuerySet


class CommitteeTermQuerySet(ScopedQuerySet, DatedSpanQuerySet):
    scope_organization_prefix = "organization__"

    def current(self) -> CommitteeTermQuerySet:
        """The terms not yet ended: at most one per organisation."""
        return self.open()


class CommitteePositionQuerySet(DatedSpanQuerySet):
    pass
