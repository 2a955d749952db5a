from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin, labelled
from activities.elections import admin as elections_admin  # noqa: F401  (registers its admin)
from activities.forms import BranchChannelForm
from activities.minutes.verification import for_verification, verify
from activities.models import (
    Attachment,
    Attendance,
    BranchChannel,
    CadenceRule,
    CheckIn,
    LeaveRequest,
    LocalSettings,
    MakeUpTask,
    Meeting,
    MeetingRevision,
    Talk,
    TalkContact,
    Vote,
)


@admin.register(CadenceRule)
class CadenceRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """National rules are shown read-only; a sub-district may add or change its local ones."""

    list_display = [
        "kind",
        "lecture_kind",
        "applies_to",
        "granularity",
        "required",
        "is_local",
        "sub_district",
    ]
    list_filter = ["is_local", "kind", "sub_district"]
    search_fields = ["sub_district__name"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (not obj.is_local or obj.sub_district_id is None):
            return request.user.is_superuser and obj.is_local
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            obj is not None
            and obj.is_local
            and obj.sub_district_id is not None
            and super().has_delete_permission(request, obj)
        )


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    readonly_fields = ["member_name", "status", "reason", "entitled_to_vote"]
    exclude = ["member"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Vote._meta.fields if f.name not in ("id", "meeting")]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Meetings are recorded in the workbench (where the rules run); the admin reads them."""

    list_display = [
        "starts_at",
        "organization",
        "kind",
        "lecture_kind",
        "topic",
        "status",
        "signed_off_at",
        "minutes_state",
    ]
    list_filter = ["kind", "status", "organization__sub_district"]
    search_fields = ["topic", "organization__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["organization"]
    inlines = [AttendanceInline, VoteInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return for_verification(super().get_queryset(request))

    @admin.display(description=_("sealed minutes"))
    def minutes_state(self, obj: Meeting) -> str:
        """The chain recomputed (activities/minutes/verification.py): verified, or the first
        broken link."""
        result = verify(obj)
        if result.ok is None:
            return "—"
        return str(_("verified")) if result.ok else f"{_('broken at')} {result.link}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MeetingRevision)
class MeetingRevisionAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        labelled("meeting", _("meeting"), ordering="meeting"),
        "version",
        "reason",
        labelled("changed_by", _("changed by")),
        "created_at",
        "hash",
    ]
    search_fields = ["meeting__topic", "reason", "hash"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    list_select_related = ["meeting", "changed_by"]


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "original_name",
        labelled("meeting", _("meeting"), ordering="meeting"),
        "kind",
        "content_type",
        "size",
        "sha256",
        "created_at",
    ]
    list_select_related = ["meeting"]
    search_fields = ["original_name", "meeting__topic", "sha256"]
    list_filter = ["kind"]
    exclude = ["file"]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        labelled("meeting", _("meeting"), ordering="meeting"),
        labelled("member", _("member"), ordering="member"),
        "reason",
        "status",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["member__full_name", "meeting__topic"]
    list_select_related = ["meeting", "member"]


@admin.register(CheckIn)
class CheckInAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        labelled("meeting", _("meeting"), ordering="meeting"),
        labelled("member", _("member"), ordering="member"),
        "created_at",
    ]
    list_filter = ["created_at"]
    search_fields = ["member__full_name", "meeting__topic"]
    list_select_related = ["meeting", "member"]


@admin.register(MakeUpTask)
class MakeUpTaskAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        labelled("member", _("member"), ordering="member"),
        labelled("meeting", _("meeting"), ordering="meeting"),
        "due_on",
        "done_on",
    ]
    list_select_related = ["member", "meeting"]
    list_filter = ["done_on"]
    search_fields = ["member__full_name", "meeting__topic"]


@admin.register(LocalSettings)
class LocalSettingsAdmin(admin.ModelAdmin):
    list_display = ["sub_district", "warn_days_before_close", "make_up_days"]

    def get_queryset(self, request: HttpRequest) -> Any:
        from accounts.scope import scope_for

        scope = scope_for(request.user)
        qs = super().get_queryset(request)
        return qs if scope.everything else qs.filter(sub_district_id__in=scope.sub_district_ids)


@admin.register(BranchChannel)
class BranchChannelAdmin(admin.ModelAdmin):
    """The signing secret is typed in `BranchChannelForm` and never shown: the list says only
    whether the robot signs."""

    form = BranchChannelForm
    list_display = ["organization", "kind", "signs", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["organization__name"]
    # Webhook addresses are https; an address typed without a scheme gets it (Django 6 default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(boolean=True, description=_("Signed"))
    def signs(self, channel: BranchChannel) -> bool:
        return channel.signs

    def get_queryset(self, request: HttpRequest) -> Any:
        from branches.models import Organization

        return (
            super()
            .get_queryset(request)
            .filter(organization__in=Organization.objects.visible_to(request.user))
        )


@admin.register(Talk)
class TalkAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: talks are recorded on the workbench or through the API (the service checks
    both people were members of the branch that day and writes the audit entry)."""

    list_display = ["organization", "first", "second", "held_on", "form", "topic"]
    list_select_related = ["organization", "first", "second"]
    list_filter = ["form"]
    search_fields = ["first__full_name", "second__full_name", "topic"]
    date_hierarchy = "held_on"


@admin.register(TalkContact)
class TalkContactAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["member", "committee_member"]
    list_select_related = ["member", "committee_member"]
    search_fields = ["member__full_name", "committee_member__full_name"]
    list_filter = ["member__organization__sub_district"]
    autocomplete_fields = ["member", "committee_member"]
