"""Admin of the democratic appraisal: the local settings (editable by the sub-district), the
campaigns and follow-ups read-only (every step goes through the services on the workbench).
Neither the turnout nor the votes have an admin page: nobody browses the ballots."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin
from appraisal.models import AppraisalSettings, Campaign, FollowUp, Participant


@admin.register(AppraisalSettings)
class AppraisalSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "sub_district",
        "excellent_numerator",
        "excellent_denominator",
        "rectification_months",
    ]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["member", "is_graded", "can_vote", "proposed_grade", "final_grade"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["organization", "year", "opens_on", "closes_on", "decided_on"]
    list_filter = ["year"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]
    inlines = [ParticipantInline]


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["participant", "deadline", "closed_on"]
    list_select_related = ["participant__member", "participant__campaign__organization"]
    list_filter = ["closed_on"]
    search_fields = ["participant__member__full_name"]
