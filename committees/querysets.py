from __future__ import annotations

from accounts.scope import ScopedQuerySet


class CommitteeTermQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"

    def current(self) -> CommitteeTermQuerySet:
        return self.filter(ended_on__isnull=True)
