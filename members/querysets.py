from __future__ import annotations

from accounts.scope import ScopedQuerySet


class MemberQuerySet(ScopedQuerySet):
    """Members are scoped through the branch that keeps their record."""

    scope_organization_prefix = "organization__"

    def full(self) -> MemberQuerySet:
        return self.filter(status="full")
