"""Admin for the organisation tree.

The admin browses, searches and edits descriptive fields. Founding, renaming, changing kind,
moving, merging, splitting and dissolving go through the workbench (or the API), because each is a
service that keeps the dated history; the admin shows those fields read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin, labelled
from branches.models import (
    Building,
    Community,
    Compound,
    CoveredUnit,
    District,
    Grid,
    Organization,
    OrganizationEvent,
    OrganizationPeriod,
    StructureSettings,
    SubDistrict,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(SubDistrict)
class SubDistrictAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


@admin.register(Community)
class CommunityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "sub_district"]
    list_filter = ["kind", "sub_district"]
    search_fields = ["name"]


@admin.register(Grid)
class GridAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "community", "leader_name"]
    list_filter = ["community__sub_district"]
    search_fields = ["name", "community__name", "leader_name"]
    list_select_related = ["community"]


@admin.register(Compound)
class CompoundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "community", "has_management"]
    list_filter = ["has_management", "community__sub_district"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community"]


@admin.register(Building)
class BuildingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "community", "address"]
    list_filter = ["community__sub_district"]
    search_fields = ["name", "address"]
    list_select_related = ["community"]


class CoveredUnitInline(admin.TabularInline):
    model = CoveredUnit
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "sub_district", "status", "founded_on", "ended_on"]
    list_filter = ["kind", "sector", "status", "is_joint", "is_temporary", "sub_district"]
    search_fields = ["name"]
    list_select_related = ["sub_district"]
    ordering = ["path"]
    readonly_fields = [
        "sub_district",
        "name",
        "kind",
        "founded_on",
        "status",
        "ended_on",
        "merged_into",
    ]
    fields = [
        *readonly_fields,
        "sector",
        "is_joint",
        "is_temporary",
        "ends_on",
        "communities",
        "buildings",
        "note",
    ]
    filter_horizontal = ["communities", "buildings"]
    inlines = [CoveredUnitInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # founded in the workbench, so the history starts with it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing is deleted: dissolve it in the workbench


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "occurred_on",
        labelled("organization", gettext_lazy("organisation"), ordering="organization__path"),
        "kind",
        "description",
        "recorded_by",
    ]
    list_filter = ["kind", "organization__sub_district"]
    search_fields = ["organization__name", "description"]
    date_hierarchy = "occurred_on"
    list_select_related = ["organization", "recorded_by"]


@admin.register(OrganizationPeriod)
class OrganizationPeriodAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        labelled("organization", gettext_lazy("organisation"), ordering="organization__path"),
        "name",
        "kind",
        labelled("parent", gettext_lazy("parent organisation")),
        "valid_from",
        "valid_to",
    ]
    list_filter = ["kind", "organization__sub_district"]
    search_fields = ["organization__name", "name"]
    list_select_related = ["organization", "parent"]


# --- Regional party building ---------------------------------------------------------------------


@admin.register(StructureSettings)
class StructureSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The local member figures of a general branch and a party committee."""

    list_display = [
        "sub_district",
        "general_branch_min_members",
        "general_branch_max_members",
        "committee_min_members",
    ]
