from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin, labelled
from members import rules, services
from members.errors import DuplicateIdNumber, InvalidMemberData
from members.identity import hash_id_number
from members.models import (
    ActivistReview,
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    CorrectionRequest,
    Development,
    DevelopmentReminder,
    FeedbackLetter,
    ImportJob,
    Member,
    MemberBinding,
    MemberChange,
    MemberSettings,
    NeedClaim,
    Sanction,
    Transfer,
)


class MemberAdminForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID-card number"),
        required=False,
        help_text=_("Write-only: leave blank to keep the number on record."),
    )

    class Meta:
        model = Member
        fields = [
            "organization",
            "party_group",
            "full_name",
            "gender",
            "ethnicity",
            "birth_date",
            "phone",
            "education",
            "occupation",
            "work_unit",
            "address",
            "community",
            "status",
            "category",
            "joined_on",
            "confirmed_on",
            "in_hardship",
            "out_of_contact_since",
            "photo",
            "note",
        ]

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number") or ""
        if not value:
            if self.instance.pk is None:
                raise forms.ValidationError(_("This field is required."))
            return ""
        try:
            number = rules.validate_id_number(value)
        except rules.InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None
        clash = Member.objects.filter(id_number_hash=hash_id_number(number))
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This ID-card number is already on another record."))
        return number


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Writes go through the services, so the history, the audit and the rules stay the same as
    on the pages. The full ID number is never shown here."""

    form = MemberAdminForm
    list_display = [
        "full_name",
        "organization",
        "status",
        "category",
        "id_number_masked",
        "phone_masked",
        "state",
    ]
    list_filter = ["status", "category", "state", "in_hardship"]
    search_fields = ["full_name", "id_number_masked"]
    list_select_related = ["organization"]
    readonly_fields = ["id_number_masked", "is_demo_id", "state", "state_changed_on"]
    autocomplete_fields: list[str] = []
    show_full_result_count = False

    @admin.display(description=_("phone"))
    def phone_masked(self, obj: Member) -> str:
        return obj.phone_masked

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The branch changes only through a transfer.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "organization"] if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: Member, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {k: v for k, v in data.items() if k in services.EDITABLE_FIELDS}
        try:
            if change:
                saved = services.update_member(
                    member=Member.objects.get(pk=obj.pk),
                    actor=request.user,
                    fields=fields,
                    id_number=data.get("id_number") or None,
                )
            else:
                saved = services.create_member(
                    actor=request.user,
                    fields={**fields, "organization": data["organization"]},
                    id_number=data["id_number"],
                )
        except (InvalidMemberData, DuplicateIdNumber) as exc:
            from django.core.exceptions import ValidationError

            raise ValidationError(exc.message) from None
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(MemberChange)
class MemberChangeAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["created_at", "member", "action", "summary", "actor"]
    list_filter = ["action"]
    search_fields = ["member__full_name"]
    list_select_related = ["member", "actor"]


@admin.register(MemberBinding)
class MemberBindingAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: bindings are asked, approved, invited and ended through the services (the
    workbench's member accounts page), which keep one account per member and audit each step."""

    list_display = ["member", "user", "status", "created_at", "decided_at", "ended_at"]
    list_filter = ["status"]
    search_fields = ["member__full_name", "user__username"]
    list_select_related = ["member", "user"]
    exclude = ["invite_token_hash"]


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["member", "field", "proposed", "status", "created_at", "decided_by"]
    list_filter = ["status", "field"]
    search_fields = ["member__full_name"]
    list_select_related = ["member", "decided_by"]


@admin.register(MemberSettings)
class MemberSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["sub_district", "transfer_validity_days", "quarterly_service_quota"]


@admin.register(Sanction)
class SanctionAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: a sanction is recorded on the member's page or through the API (the service
    dates it, takes an expelled member off the roll and writes the audit entry)."""

    list_display = ["member", "kind", "started_on", "ended_on", "decided_by", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["member__full_name", "document_number"]
    list_select_related = ["member", "recorded_by"]
    date_hierarchy = "started_on"


@admin.register(Transfer)
class TransferAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: transfers change state only through the services (row lock, audit)."""

    list_display = ["number", "member", "kind", "from_organization", "to_organization", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["number", "member__full_name"]
    list_select_related = ["member", "from_organization", "to_organization"]


class ActivistReviewInline(admin.TabularInline):
    model = ActivistReview
    extra = 0
    can_delete = False
    readonly_fields = ["reviewed_on", "note", "created_by"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Development)
class DevelopmentAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: every step goes through `members.joining` (the rules, the member record)."""

    list_display = ["full_name", "organization", "stage", "applied_on", "probation_ends_on"]
    list_filter = ["stage"]
    search_fields = ["full_name"]
    list_select_related = ["organization"]
    inlines = [ActivistReviewInline]


@admin.register(DevelopmentReminder)
class DevelopmentReminderAdmin(ReadOnlyAdmin):
    list_display = ["development", "kind", "due_on", "sent_at"]
    list_select_related = ["development"]
    search_fields = ["development__full_name"]
    list_filter = ["kind", ("due_on", admin.DateFieldListFilter)]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Large imports, for support: state and counts. The file and the error list (which may
    name members) stay on the requester's own page."""

    list_display = [
        labelled("pk", _("number"), ordering="pk"),
        "kind",
        "status",
        "requested_by",
        "created_at",
        "created_count",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["requested_by__username", "requested_by__full_name"]
    list_select_related = ["requested_by"]
    exclude = ["file", "errors", "params"]


# --- In-service members in communities: read-only, writes go through members.inservice.services


@admin.register(CommunityRegistration)
class CommunityRegistrationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "member",
        "community",
        "employer_name",
        "employer_organization",
        "registered_on",
        "ended_on",
    ]
    list_filter = ["preferred_service", ("ended_on", admin.EmptyFieldListFilter)]
    search_fields = ["member__full_name", "employer_name"]
    list_select_related = ["member", "community", "employer_organization"]
    show_full_result_count = False


@admin.register(CommunityNeed)
class CommunityNeedAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["title", "community", "needed_by", "slots", "claimed_count", "is_closed"]
    list_filter = ["is_closed"]
    search_fields = ["title"]
    list_select_related = ["community"]


@admin.register(NeedClaim)
class NeedClaimAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["need", "registration", "created_at"]
    search_fields = ["need__title", "registration__member__full_name"]
    list_filter = ["registration__community"]
    list_select_related = ["need", "registration__member", "registration__community"]


@admin.register(CommunityService)
class CommunityServiceAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["served_on", "member", "community", "hours", "status"]
    list_filter = ["status"]
    search_fields = ["member__full_name", "description"]
    list_select_related = ["member", "community"]


@admin.register(FeedbackLetter)
class FeedbackLetterAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["member", "year", "quarter", "services", "hours", "met_quota", "built_at"]
    list_filter = ["year", "quarter", "met_quota"]
    search_fields = ["member__full_name"]
    list_select_related = ["member"]
    exclude = ["file"]  # the file downloads only through the permission-checked staff view
