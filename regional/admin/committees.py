"""Admin for regional committees, their member units, visits and pairings.

Joining and leaving a committee are dated rows, so the admin shows the history read-only where a
service keeps it (see HistoryAdminMixin).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.admin import ScopedAdminMixin
from accounts.models import User
from accounts.roles import Role
from branches.models import CoBuildingUnit
from regional.models import (
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    UnitVisit,
)


class HistoryAdminMixin:
    """Dated seats, appointments and pairings change only through the workbench or the API,
    whose services keep their rules (dates in order, one open row); the admin shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedManyToManyMixin:
    """Narrows the choices of scoped many-to-many fields (a committee's communities) too."""

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model._default_manager.all()
        if hasattr(related, "visible_to"):
            kwargs["queryset"] = related.visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class RegionalMembershipInline(HistoryAdminMixin, admin.TabularInline):
    model = RegionalMembership
    extra = 0
    fields = ["committee", "unit", "joined_on", "left_on"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .select_related("committee", "unit")
        )


class CommitteeMembershipInline(RegionalMembershipInline):
    fk_name = "committee"
    fields = ["unit", "joined_on", "left_on"]


class UnitMembershipInline(RegionalMembershipInline):
    fk_name = "unit"
    fields = ["committee", "joined_on", "left_on"]


class PartTimeMemberInline(HistoryAdminMixin, admin.TabularInline):
    model = PartTimeMember
    extra = 0
    fields = ["full_name", "unit", "title", "started_on", "ended_on"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).visible_to(request.user).select_related("unit")


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit_type", "sector", "leader_name", "liaison", "sub_district"]
    list_filter = ["unit_type", "sector", "sub_district"]
    search_fields = ["name", "party_organization_name", "leader_name", "address"]
    list_select_related = ["sub_district", "liaison"]
    inlines = [UnitMembershipInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "liaison":
            # Only people who hold the liaison role; the user admin itself is superusers only.
            kwargs["queryset"] = User.objects.filter(
                is_active=True,
                role_assignments__role=Role.UNIT_LIAISON,
                role_assignments__is_active=True,
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RegionalCommittee)
class RegionalCommitteeAdmin(ScopedManyToManyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "level", "founded_on", "sub_district"]
    list_filter = ["level", "sub_district"]
    search_fields = ["name", "communities__name", "units__name"]
    list_select_related = ["sub_district"]
    filter_horizontal = ["communities"]
    date_hierarchy = "founded_on"
    inlines = [CommitteeMembershipInline, PartTimeMemberInline]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, **kwargs)

        class CommitteeForm(form_class):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                founded_on = data.get("founded_on")
                sub_district = data.get("sub_district") or getattr(
                    self.instance, "sub_district", None
                )
                for community in data.get("communities") or ():
                    if sub_district is not None and community.sub_district_id != sub_district.pk:
                        self.add_error(
                            "communities",
                            _(
                                "A regional committee can only span communities of its own "
                                "sub-district."
                            ),
                        )
                        break
                if founded_on and self.instance.pk:
                    first = self.instance.memberships.order_by("joined_on").first()
                    if first is not None and first.joined_on < founded_on:
                        self.add_error(
                            "founded_on",
                            _("A unit cannot join before the committee was founded (%(day)s).")
                            % {"day": founded_on.isoformat()},
                        )
                return data

        return CommitteeForm


@admin.register(RegionalMembership)
class RegionalMembershipAdmin(HistoryAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "committee", "joined_on", "left_on"]
    list_filter = [
        "committee__level",
        ("left_on", admin.EmptyFieldListFilter),
        "committee__sub_district",
    ]
    search_fields = ["unit__name", "committee__name"]
    list_select_related = ["unit", "committee"]
    date_hierarchy = "joined_on"


@admin.register(PartTimeMember)
class PartTimeMemberAdmin(HistoryAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "title", "unit", "committee", "started_on", "ended_on"]
    fields = ["committee", "unit", "full_name", "title", "started_on", "ended_on"]
    list_filter = [("ended_on", admin.EmptyFieldListFilter), "committee__sub_district"]
    search_fields = ["full_name", "title", "unit__name", "committee__name"]
    list_select_related = ["unit", "committee"]


@admin.register(UnitVisit)
class UnitVisitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["visited_on", "unit", "visitors", "follow_up_done_on", "recorded_by"]
    list_filter = [("follow_up_done_on", admin.EmptyFieldListFilter), "unit__sub_district"]
    search_fields = ["unit__name", "visitors", "needs", "opinions", "follow_up"]
    list_select_related = ["unit", "recorded_by"]
    readonly_fields = ["recorded_by"]
    date_hierarchy = "visited_on"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Pairing)
class PairingAdmin(HistoryAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "community", "started_on", "ended_on"]
    fields = ["unit", "community", "started_on", "ended_on", "note"]
    list_filter = [("ended_on", admin.EmptyFieldListFilter), "community"]
    search_fields = ["unit__name", "community__name", "note"]
    list_select_related = ["unit", "community"]
