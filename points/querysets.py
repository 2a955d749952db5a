"""Read logic of member points, and how each table is scoped: entries and awards through the
member's branch, rules and settings through the sub-district."""

from __future__ import annotations

import datetime as dt

from accounts.scope import ScopedQuerySet


class PointRuleQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""

    def in_force_on(self, day: dt.date) -> PointRuleQuerySet:
        """The rows in force on `day`: per (sub-district, event), the latest row from on or before
        it (DISTINCT ON, so one statement however many versions the table holds)."""
        return (
            self.filter(valid_from__lte=day)
            .order_by("sub_district_id", "event", "-valid_from")
            .distinct("sub_district_id", "event")
        )


class PointsSettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class PointEntryQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"

    def counted(self) -> PointEntryQuerySet:
        return self.filter(approved=True)

    def between(self, first: dt.date, last: dt.date) -> PointEntryQuerySet:
        return self.filter(day__gte=first, day__lte=last)

    def pending_approval(self) -> PointEntryQuerySet:
        return self.filter(approved=False).exclude(source_kind="manual")


class ManualAwardQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"

    def pending(self) -> ManualAwardQuerySet:
        return self.filter(status="pending")


class EntryApprovalQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"


class BranchScoreQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"
