"""Read logic of member points, and how each table is scoped: entries and awards through the
member's branch, rules and settings through the sub-district."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery

from accounts.scope import ScopedQuerySet


class PointRuleQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""

    def in_force_on(self, day: dt.date) -> PointRuleQuerySet:
        """The rows in force on `day`: per (sub-district, event), the latest row from on or before
        it (a correlated subquery, so one statement however many versions the table holds, on
        PostgreSQL and SQLite alike)."""
        latest = (
            self.model.objects.filter(
                sub_district_id=OuterRef("sub_district_id"),
                event=OuterRef("event"),
                valid_from__lte=day,
            )
            .order_by("-valid_from")
            .values("valid_from")[:1]
        )
        return self.filter(valid_from__lte=day, valid_from=Subquery(latest)).order_by(
            "sub_district_id", "event"
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
