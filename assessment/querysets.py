"""How the assessment's rows are scoped: plans, checklists and weekly rankings belong to a
sub-district; targets, reports, inspections and rectifications reach it through them (a
secretary sees the inspections of their own branch)."""

from __future__ import annotations

import datetime as dt

from accounts.scope import ScopedQuerySet


class SettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class PlanQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class TargetQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = "plan__"


class TargetReportQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = "target__plan__"


class ChecklistQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class RankingWeekQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""

    def published(self) -> RankingWeekQuerySet:
        return self.filter(published_at__isnull=False)

    def public(self) -> RankingWeekQuerySet:
        """Published weeks of the sub-districts that show their ranking on the public page."""
        return self.published().filter(sub_district__assessment_settings__ranking_public=True)


class RankingRowQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"


class InspectionQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"


class RectificationQuerySet(ScopedQuerySet):
    scope_organization_prefix = "inspection__organization__"

    def open(self) -> RectificationQuerySet:
        return self.exclude(status="closed")

    def due_for_reminder(self, today: dt.date, days_ahead: int) -> RectificationQuerySet:
        return self.open().filter(
            reminded_at__isnull=True, deadline__lte=today + dt.timedelta(days=days_ahead)
        )

    def overdue(self, today: dt.date) -> RectificationQuerySet:
        return self.open().filter(deadline__lt=today, escalated_at__isnull=True)
