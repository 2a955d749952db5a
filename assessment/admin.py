"""Admin of targets, rankings and inspections: the local settings and checklists editable,
plans, inspections and rectifications read-only (every step goes through the services on the
workbench, so each writes its audit entry and keeps its rules)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin
from assessment.models import (
    AssessmentRound,
    AssessmentSettings,
    BranchAssessment,
    Checklist,
    ChecklistItem,
    Inspection,
    Plan,
    RankingWeek,
    Rectification,
    Target,
    TargetReport,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AssessmentSettings)
class AssessmentSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "sub_district",
        "points_per_meeting",
        "points_per_volunteer_hour",
        "points_per_claimed_need",
        "reminder_days",
        "ranking_public",
        "good_percent",
        "fairly_good_percent",
        "poor_below",
    ]


class TargetInline(_ReadOnlyInline):
    model = Target
    fields = ["title", "organization", "sector", "owner", "deadline", "weight", "metric", "goal"]
    readonly_fields = fields


@admin.register(Plan)
class PlanAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["title", "sub_district", "year", "adopted_on"]
    list_filter = ["year"]
    search_fields = ["title"]
    list_select_related = ["sub_district"]
    inlines = [TargetInline]


@admin.register(TargetReport)
class TargetReportAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["target", "value", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["target__title", "text"]
    list_select_related = ["target"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1


@admin.register(Checklist)
class ChecklistAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "sub_district", "kind"]
    list_filter = ["kind"]
    search_fields = ["title"]
    list_select_related = ["sub_district"]
    inlines = [ChecklistItemInline]


@admin.register(Inspection)
class InspectionAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["organization", "checklist", "visited_on", "score", "max_score"]
    list_filter = ["visited_on", "checklist__kind"]
    search_fields = ["organization__name", "inspectors"]
    list_select_related = ["organization", "checklist"]


@admin.register(Rectification)
class RectificationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["description", "inspection", "owner", "deadline", "status", "escalated_at"]
    list_filter = ["status", "deadline"]
    search_fields = ["description", "inspection__organization__name"]
    list_select_related = ["inspection__organization", "owner"]


@admin.register(RankingWeek)
class RankingWeekAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["sub_district", "week_start", "published_at"]
    list_filter = ["week_start"]
    search_fields = ["sub_district__name"]
    list_select_related = ["sub_district"]


class BranchAssessmentInline(_ReadOnlyInline):
    model = BranchAssessment
    fields = [
        "organization",
        "metrics_score",
        "inspection_score",
        "report_score",
        "total",
        "rank",
        "grade",
    ]
    readonly_fields = fields


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "sub_district",
        "year",
        "metrics_weight",
        "inspection_weight",
        "report_weight",
        "decided_on",
    ]
    list_filter = ["year"]
    search_fields = ["sub_district__name"]
    list_select_related = ["sub_district"]
    inlines = [BranchAssessmentInline]
