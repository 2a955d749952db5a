from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.dated import DatedSpanQuerySet
from accounts.scope import Scope, ScopedQuerySet
from committees.rules import TermRule


class CommitteeTermQuerySet(ScopedQuerySet, DatedSpanQuerySet):
    scope_organization_prefix = "organization__"

    def current(self) -> CommitteeTermQuerySet:
        """The terms not yet ended: at most one per organisation."""
        return self.open()


class CommitteePositionQuerySet(DatedSpanQuerySet):
    pass


class TermLengthRuleQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return Q(sub_district__isnull=True) | scope.sub_district_q()

    def effective_for(self, sub_district_id: int | None) -> list[TermRule]:
        """The table in force for a sub-district: its own rows replace the defaults with the same
        day, kind and column; inactive rows drop out after that (one query)."""
        rows = self.filter(Q(sub_district__isnull=True) | Q(sub_district_id=sub_district_id))
        chosen: dict[tuple, Any] = {}
        for row in sorted(rows, key=lambda r: r.sub_district_id is not None):
            chosen[(row.effective_from, row.kind, row.in_community)] = row
        return [
            TermRule(row.effective_from, row.kind, row.in_community, row.years)
            for row in chosen.values()
            if row.is_active
        ]


class TermExtensionQuerySet(ScopedQuerySet):
    scope_organization_prefix = "term__organization__"
