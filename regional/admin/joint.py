"""Admin for joint meetings, the three lists and evaluations (imported by branches.admin).

Claims, closing and publication go through the services (workbench or API): the admin shows the
claim fields read-only, so the exclusive claim and its audit trail cannot be bypassed here.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin import ScopedAdminMixin
from accounts.scope import scope_for
from regional.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    JointMeeting,
    JointSettings,
    ListSnapshot,
    Need,
    ProgressNote,
    Project,
    Resolution,
    Resource,
    TopicSubmission,
    UnitEvaluation,
    WorkReport,
)


class _SubDistrictOwnedAdmin(admin.ModelAdmin):
    """Rows without a scoped queryset, narrowed by the sub-district they hang off."""

    sub_district_path = "sub_district_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.everything:
            return qs
        return qs.filter(**{f"{self.sub_district_path}__in": scope.sub_district_ids})


@admin.register(JointSettings)
class JointSettingsAdmin(_SubDistrictOwnedAdmin):
    list_display = [
        "sub_district",
        "meetings_per_year",
        "topic_deadline_days",
        "meeting_reminder_days",
        "action_reminder_days",
    ]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(JointMeeting)
class JointMeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["scheduled_on", "committee", "topic", "status"]
    list_filter = ["status", "year", "quarter"]
    search_fields = ["topic", "committee__name"]
    list_select_related = ["committee"]
    readonly_fields = ["year", "quarter", "reminder_sent_at"]
    inlines = [AgendaInline, AttendanceInline]


@admin.register(TopicSubmission)
class TopicSubmissionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "meeting", "submitted_at"]
    list_select_related = ["unit", "meeting__committee"]
    search_fields = ["title"]
    list_filter = ["meeting__committee"]
    readonly_fields = ["submitted_by"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "position", "title"]
    list_select_related = ["meeting__committee"]
    search_fields = ["title"]
    list_filter = ["meeting__committee"]


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "unit", "status", "attendee", "reason"]
    list_filter = ["status", "meeting__committee"]
    search_fields = ["unit__name", "attendee"]
    list_select_related = ["meeting__committee", "unit"]


@admin.register(Resolution)
class ResolutionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "text"]
    list_select_related = ["meeting__committee"]
    search_fields = ["text"]
    list_filter = ["meeting__committee"]


@admin.register(ActionItem)
class ActionItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner_unit", "owner_community", "deadline", "status"]
    list_filter = ["status", "resolution__meeting__committee"]
    search_fields = ["title", "owner_unit__name", "owner_community__name"]
    list_select_related = ["owner_unit", "owner_community"]
    readonly_fields = ["reminder_sent_at", "overdue_reminder_sent_at"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(_SubDistrictOwnedAdmin):
    list_display = ["created_at", "action_item", "project", "text"]
    search_fields = ["text", "action_item__title", "project__title"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    readonly_fields = ["written_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = admin.ModelAdmin.get_queryset(self, request)
        scope = scope_for(request.user)
        if scope.everything:
            return qs
        ids = scope.sub_district_ids
        return qs.filter(
            action_item__resolution__meeting__committee__sub_district_id__in=ids
        ) | qs.filter(project__committee__sub_district_id__in=ids)


@admin.register(Need)
class NeedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "community", "wanted_by", "scale", "status", "claimed_by"]
    list_filter = ["status", "source"]
    search_fields = ["title"]
    list_select_related = ["community", "claimed_by"]
    readonly_fields = ["status", "claimed_by", "claimed_at"]


@admin.register(Resource)
class ResourceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "status", "claimed_by"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    list_select_related = ["unit", "claimed_by"]
    readonly_fields = ["status", "claimed_by", "claimed_at"]


@admin.register(Project)
class ProjectAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "community", "deadline", "status"]
    list_filter = ["status", "committee"]
    search_fields = ["title", "unit__name", "community__name"]
    list_select_related = ["unit", "community"]
    readonly_fields = [
        "need",
        "resource",
        "status",
        "confirmed_done_at",
        "confirmed_by",
        "released_need",
        "released_resource",
        "released_at",
        "release_reason",
    ]


@admin.register(ListSnapshot)
class ListSnapshotAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "published_at"]
    search_fields = ["meeting__topic"]
    list_filter = ["meeting__committee"]
    readonly_fields = ["meeting", "data", "published_at"]


@admin.register(UnitEvaluation)
class UnitEvaluationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["year", "unit", "committee", "score", "commended", "failed_duties"]
    list_filter = ["year", "commended", "failed_duties"]
    search_fields = ["unit__name", "committee__name"]
    list_select_related = ["unit", "committee"]


@admin.register(WorkReport)
class WorkReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Drafts are written on the workbench (which reassembles the figures); here the report is
    read, and a draft's narrative may be corrected. A submitted report is read-only."""

    list_display = ["year", "committee", "status", "dated", "submitted_at"]
    list_filter = ["status", "year"]
    list_select_related = ["committee"]
    search_fields = ["committee__name"]
    readonly_fields = [
        "committee",
        "year",
        "status",
        "figures",
        "created_by",
        "submitted_by",
        "submitted_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WorkReport | None = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: WorkReport | None = None) -> bool:
        return False
