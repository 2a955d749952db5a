"""Admin of grid work: browse and search in scope. Roles, settings and campaigns are edited
here; households' phones, reports, disputes and visits are written through the services (the
pages), so the admin shows them read-only and never a whole phone."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin
from grids.models import (
    AssistancePairing,
    CareCampaign,
    CareVisit,
    ContactAssignment,
    Dispute,
    GridRole,
    GridSettings,
    Household,
    HouseholdVisit,
    ScreeningReport,
)


@admin.register(GridSettings)
class GridSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "sub_district",
        "contact_min_households",
        "contact_max_households",
        "visit_overdue_days",
        "follow_up_days",
        "escalation_days",
    ]


@admin.register(GridRole)
class GridRoleAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["grid", "kind", "person", "started_on", "ended_on"]
    list_filter = ["kind", "grid__community__sub_district"]
    search_fields = ["grid__name", "contact_name", "user__full_name"]
    list_select_related = ["grid__community", "user"]

    @admin.display(description=_("person"))
    def person(self, obj: GridRole) -> str:
        return obj.person_name


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["__str__", "grid", "contact_name", "phone_masked", *Household.TAG_FIELDS]
    list_filter = [*Household.TAG_FIELDS, "grid__community"]
    search_fields = ["address", "contact_name", "compound__name"]
    exclude = ["phone_encrypted"]
    list_select_related = ["grid__community", "compound", "building"]


@admin.register(ContactAssignment)
class ContactAssignmentAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["member", "household", "road_section", "started_on", "ended_on"]
    list_filter = ["household__grid__community"]
    search_fields = ["member__full_name", "road_section"]
    list_select_related = ["member", "household__compound", "household__building"]


@admin.register(AssistancePairing)
class AssistancePairingAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["member", "household", "tier", "started_on", "ended_on"]
    list_filter = ["tier"]
    search_fields = ["member__full_name"]
    list_select_related = ["member", "household__compound", "household__building"]


@admin.register(HouseholdVisit)
class HouseholdVisitAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["visited_on", "household", "member", "help_given"]
    list_filter = ["help_given", "household__grid__community"]
    search_fields = ["member__full_name", "household__address", "household__contact_name"]
    date_hierarchy = "visited_on"
    list_select_related = ["member", "household__compound", "household__building"]


@admin.register(ScreeningReport)
class ScreeningReportAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["day", "grid", "officer", "nothing_found"]
    list_filter = ["nothing_found", "grid__community"]
    search_fields = ["grid__name", "officer__full_name"]
    date_hierarchy = "day"
    list_select_related = ["grid__community", "officer"]


@admin.register(Dispute)
class DisputeAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["opened_on", "grid", "kind", "status", "escalated_at"]
    list_filter = ["kind", "status", "source"]
    search_fields = ["grid__name", "grid__community__name"]
    exclude = ["party_a", "party_b"]
    list_select_related = ["grid__community"]


@admin.register(CareCampaign)
class CareCampaignAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["name", "sub_district", "starts_on", "ends_on"]
    list_filter = ["sub_district"]
    search_fields = ["name"]


@admin.register(CareVisit)
class CareVisitAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "campaign",
        "community",
        "recipient",
        "visited_on",
        "visitors",
        "given",
        "amount",
        "fund",
    ]
    list_filter = ["campaign", "community", "fund"]
    search_fields = ["visitors", "given", "fund_note", "member__full_name", "household__address"]
    list_select_related = ["campaign", "community"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj: CareVisit) -> str:
        return str(obj.member or obj.household)
