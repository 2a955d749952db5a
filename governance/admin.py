"""Admin of the ledger and matters: settings and the deadline table are edited here; opinions
and matters change only through their services (the workbench pages), so they are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ScopedAdminMixin
from governance.models import (
    CategoryDeadline,
    CommunityProcedure,
    GovernanceSettings,
    Matter,
    MatterStep,
    Opinion,
    OpinionEvent,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GovernanceSettings)
class GovernanceSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "sub_district",
        "warn_days_before",
        "auto_close_days",
        "anonymous_author_to_sub_district",
        "publication_min_days",
    ]


@admin.register(CategoryDeadline)
class CategoryDeadlineAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["sub_district", "category", "days", "valid_from"]
    list_filter = ["category", "sub_district"]
    search_fields = ["sub_district__name"]


class OpinionEventInline(admin.TabularInline):
    model = OpinionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["state", "note", "at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "community", "category", "channel", "state", "received_on", "deadline"]
    list_filter = ["state", "category", "channel", "sub_district"]
    search_fields = ["title", "text", "place"]
    exclude = ["author", "author_name"]  # the author is shown by the ledger's anonymity rule
    inlines = [OpinionEventInline]
    date_hierarchy = "received_on"


class MatterStepInline(admin.StackedInline):
    model = MatterStep
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "held_on",
        "participants",
        "minutes",
        "meeting",
        "eligible",
        "present",
        "votes_for",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Matter)
class MatterAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "community", "procedure", "status", "created_at"]
    list_filter = ["procedure", "status"]
    search_fields = ["title", "community__name"]
    inlines = [MatterStepInline]


@admin.register(CommunityProcedure)
class CommunityProcedureAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["community", "procedure"]
    list_filter = ["procedure"]
    search_fields = ["community__name"]
