"""Admin for every volunteers model, scoped like the pages.

Places, sign-ins and hours change only through the services (the workbench, the leader's pages
or the API), so the admin shows those fields read-only: a counter edited by hand would oversell
an activity, and hours edited by hand would escape the cap and the correction log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ScopedAdminMixin
from volunteers.models import (
    Award,
    Certificate,
    Enrollment,
    Evaluation,
    GoodDeed,
    HourCorrection,
    ServiceActivity,
    TeamMembership,
    Training,
    Volunteer,
    VolunteerSettings,
    VolunteerTeam,
    Wish,
)


@admin.register(VolunteerSettings)
class VolunteerSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["sub_district", "certificate_prefix", "issuing_body"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    fields = ["volunteer", "status", "requested_at", "decided_at", "decided_by"]
    readonly_fields = ["requested_at", "decided_at", "decided_by"]
    autocomplete_fields = ["volunteer"]


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "community", "leader", "is_active"]
    list_filter = ["kind", "is_active", "community__sub_district"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community", "leader"]
    autocomplete_fields = ["leader"]
    inlines = [TeamMembershipInline]


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "sub_district", "phone", "user", "member", "registered_on"]
    list_filter = ["sub_district", "gender"]
    search_fields = ["full_name", "phone"]
    list_select_related = ["sub_district", "user", "member"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["member"]
    inlines = [TrainingInline, AwardInline, EvaluationInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["volunteer", "team", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["volunteer__full_name", "team__name"]
    list_select_related = ["volunteer", "team"]
    readonly_fields = ["team", "volunteer", "requested_at", "decided_at", "decided_by"]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    can_delete = False
    fields = [
        "volunteer",
        "status",
        "signed_in_at",
        "signed_out_at",
        "credit_minutes",
        "honour_minutes",
        "is_no_show",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceActivity)
class ServiceActivityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "team", "starts_at", "capacity", "signed_up_count", "status"]
    list_filter = ["status", "audience", "team__community__sub_district"]
    search_fields = ["title", "team__name", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["team"]
    readonly_fields = [
        "signed_up_count",
        "sign_in_code",
        "code_rotated_at",
        "no_shows_marked_at",
        "created_by",
    ]
    inlines = [EnrollmentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Capacity and status change through the services once the activity exists.
        extra = ["capacity", "status", "team"] if obj is not None else []
        return [*self.readonly_fields, *extra]

    def save_model(
        self, request: HttpRequest, obj: ServiceActivity, form: Any, change: bool
    ) -> None:
        if not change:
            from volunteers.services.activities import new_sign_in_code

            obj.sign_in_code = new_sign_in_code()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class HourCorrectionInline(admin.TabularInline):
    model = HourCorrection
    extra = 0
    can_delete = False
    readonly_fields = ["previous_minutes", "honour_minutes", "reason", "corrected_by", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "volunteer",
        "activity",
        "status",
        "signed_in_at",
        "signed_out_at",
        "credit_minutes",
        "honour_minutes",
        "is_no_show",
    ]
    list_filter = ["status", "is_no_show"]
    search_fields = ["volunteer__full_name", "activity__title"]
    list_select_related = ["volunteer", "activity"]
    readonly_fields = [
        "activity",
        "volunteer",
        "status",
        "signed_up_at",
        "queued_at",
        "withdrawn_at",
        "signed_in_at",
        "signed_out_at",
        "credit_minutes",
        "honour_minutes",
        "is_no_show",
    ]
    inlines = [HourCorrectionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(GoodDeed)
class GoodDeedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The resident's rating closes a deed through `close_good_deed` (leader's page, API) only."""

    list_display = ["done_on", "team", "beneficiary", "rating", "closed_at"]
    list_filter = ["team__community__sub_district"]
    search_fields = ["beneficiary", "description", "team__name"]
    date_hierarchy = "done_on"
    list_select_related = ["team"]
    filter_horizontal = ["volunteers"]
    readonly_fields = ["closed_at", "closed_by", "rating", "comment"]


@admin.register(Wish)
class WishAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "community", "posted_by", "status", "claimed_at", "rating"]
    list_filter = ["status", "community__sub_district"]
    search_fields = ["title", "description"]
    list_select_related = ["community", "posted_by"]
    readonly_fields = [
        "status",
        "posted_by",
        "claimed_by_volunteer",
        "claimed_by_team",
        "claimed_at",
        "done_at",
        "confirmed_at",
        "rating",
        "feedback",
    ]


@admin.register(Training, Award, Evaluation)
class VolunteerRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "volunteer"]
    search_fields = ["volunteer__full_name"]
    list_filter = ["volunteer__sub_district"]
    autocomplete_fields = ["volunteer"]


@admin.register(Certificate)
class CertificateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "volunteer", "period_start", "period_end", "minutes", "status"]
    list_filter = ["status", "year", "sub_district"]
    search_fields = ["number", "volunteer__full_name"]
    list_select_related = ["volunteer"]
    readonly_fields = [
        "volunteer",
        "sub_district",
        "year",
        "serial",
        "number",
        "period_start",
        "period_end",
        "minutes",
        "issuing_body",
        "status",
        "file",
        "error",
        "attempts",
        "next_attempt_at",
        "requested_by",
        "issued_on",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
