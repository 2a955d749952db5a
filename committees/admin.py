"""Admin of branch committees: terms with their positions, read mostly; elections and
appointments are recorded on the organisation page (or the API), through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin
from committees.models import CommitteePosition, CommitteeTerm, TermExtension, TermLengthRule


class PositionInline(admin.TabularInline):
    model = CommitteePosition
    extra = 0
    readonly_fields = ["member", "position", "started_on"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExtensionInline(admin.TabularInline):
    model = TermExtension
    extra = 0
    fields = ["previous_end_on", "extended_to", "approved_by", "approved_on", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "started_on", "planned_end_on", "ended_on"]
    list_filter = ["ended_on", "organization__sub_district"]
    search_fields = ["organization__name"]
    date_hierarchy = "planned_end_on"
    list_select_related = ["organization"]
    # The planned end moves only by an approved extension (`extend_term`: one year at most) and
    # a term ends only by the next election or the organisation's archiving, so neither is
    # typed in here.
    readonly_fields = ["organization", "started_on", "planned_end_on", "ended_on"]
    inlines = [PositionInline, ExtensionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # elections are recorded on the organisation page


@admin.register(TermLengthRule)
class TermLengthRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The dated table of term lengths: the defaults (no sub-district) change only by a
    superuser; a sub-district adds its own rows (to confirm the 2022 rule, say)."""

    list_display = ["effective_from", "kind", "in_community", "years", "is_active", "sub_district"]
    list_filter = ["kind", "in_community", "is_active", "sub_district"]
    search_fields = ["source", "sub_district__name"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.sub_district_id is None:
            return request.user.is_superuser
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            obj is not None
            and obj.sub_district_id is not None
            and super().has_delete_permission(request, obj)
        )


@admin.register(TermExtension)
class TermExtensionAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: an extension is recorded on the organisation page or the API (`extend_term`),
    which moves the term's planned end with it."""

    list_display = ["term", "previous_end_on", "extended_to", "approved_by", "approved_on"]
    list_select_related = ["term", "term__organization"]
    search_fields = ["term__organization__name", "approved_by"]
    list_filter = ["approved_on"]
