"""Admin of branch committees: terms with their positions, read mostly; elections and
appointments are recorded on the organisation page (or the API), through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ScopedAdminMixin
from committees.models import CommitteePosition, CommitteeTerm


class PositionInline(admin.TabularInline):
    model = CommitteePosition
    extra = 0
    readonly_fields = ["member", "position", "started_on"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "started_on", "planned_end_on", "ended_on"]
    list_filter = ["ended_on", "organization__sub_district"]
    search_fields = ["organization__name"]
    date_hierarchy = "planned_end_on"
    list_select_related = ["organization"]
    readonly_fields = ["organization", "started_on"]
    inlines = [PositionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # elections are recorded on the organisation page
