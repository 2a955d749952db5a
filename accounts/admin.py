from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.admin import AccessAttemptAdmin
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AuditEntry,
    OutgoingEmail,
    OutgoingSms,
    ResidentProfile,
    RoleAssignment,
    User,
)
from accounts.services import grant_role, record_audit, revoke_role

admin.site.site_header = _("Sub-district Party Building Portal")
admin.site.site_title = _("Sub-district Party Building Portal")
admin.site.index_title = _("Administration")


def labelled(name: str, label: Any, *, ordering: str | None = None) -> Callable[[Any], Any]:
    """A changelist column showing `obj.<name>` under a translated header: for fields whose
    model gives no verbose name (a foreign key named after its model) and for properties."""

    @admin.display(description=label, ordering=ordering)
    def column(obj: Any) -> Any:
        return getattr(obj, name)

    column.__name__ = f"{name}_column"
    return column


def _speak_chinese(
    app_label: str, app_name: Any, models: dict[str, tuple[Any, Any, dict[str, Any]]]
) -> None:
    """Names for the admin of a third-party app whose own names are English or untranslated:
    the app, each model (singular, plural) and its fields. Only what is shown changes: the
    migration state reads a model's original options and a field's original verbose name."""
    config = apps.get_app_config(app_label)
    config.verbose_name = app_name
    for model_name, (singular, plural, fields) in models.items():
        meta = config.get_model(model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural
        for field_name, label in fields.items():
            meta.get_field(field_name).verbose_name = label


# Strings axes marks for translation but ships no Chinese for; listed so that they are extracted
# into our catalogue, which translates them where axes shows them.
AXES_STRINGS = (_("Attempt Remaining"), _("Locked Out"), _("Not set"))
AccessAttemptAdmin.status.short_description = _("status")  # type: ignore[attr-defined]

_ACCESS_FIELDS = {
    "attempt_time": _("attempt time"),
    "ip_address": _("IP address"),
    "user_agent": _("browser"),
    "username": _("username"),
    "path_info": _("path"),
}
_speak_chinese(
    "axes",
    _("Sign-in lockout"),
    {
        "accessattempt": (
            _("failed sign-in attempt"),
            _("failed sign-in attempts"),
            {**_ACCESS_FIELDS, "failures_since_start": _("failed sign-ins")},
        ),
        "accesslog": (
            _("sign-in record"),
            _("sign-in records"),
            {**_ACCESS_FIELDS, "logout_time": _("sign-out time")},
        ),
        "accessfailurelog": (
            _("failed sign-in record"),
            _("failed sign-in records"),
            {**_ACCESS_FIELDS, "locked_out": _("locked out")},
        ),
    },
)
_DEVICE_FIELDS = {
    "user": _("user"),
    "name": _("name"),
    "created_at": _("created at"),
    "last_used_at": _("last used at"),
    "confirmed": _("confirmed"),
}
_speak_chinese(
    "otp_totp",
    _("Two-factor sign-in: authenticator apps"),
    {"totpdevice": (_("authenticator app"), _("authenticator apps"), _DEVICE_FIELDS)},
)
_speak_chinese(
    "otp_static",
    _("Two-factor sign-in: backup codes"),
    {
        "staticdevice": (_("backup code set"), _("backup code sets"), _DEVICE_FIELDS),
        "statictoken": (_("backup code"), _("backup codes"), {"device": _("backup code set")}),
    },
)


class AuditedAdminMixin:
    """Every add, change and delete made in the admin also writes an audit entry."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record_audit(actor=request.user, action="admin.added", target=obj)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record_audit(
            actor=request.user, action="admin.changed", target=obj, data={"change": message}
        )
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            record_audit(actor=request.user, action="admin.deleted", target=obj)
        return super().log_deletions(request, queryset)  # type: ignore[misc]


class ScopedAdminMixin(AuditedAdminMixin):
    """Narrows an admin's rows, and the choices of its scoped foreign keys, to
    `visible_to(request.user)`: the same scope as every page."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model._default_manager.all()
        if hasattr(related, "visible_to"):
            kwargs["queryset"] = related.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["sub_district", "organization", "unit"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("full_name", "phone")}),
    )
    list_display = ["username", "full_name", "email", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]
    actions = ["reset_two_factor", "unlock_sign_in"]

    @admin.action(description=_("Remove two-factor devices (the user enrols again)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from accounts.two_factor import reset_two_factor

        for user in queryset:
            reset_two_factor(user=user, actor=request.user)
        self.message_user(
            request, _("Two-factor devices removed for %(n)d users.") % {"n": len(queryset)}
        )

    @admin.action(description=_("Unlock sign-in after too many wrong passwords"))
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from accounts.lockout import unlock_username

        unlocked = sum(
            1 for user in queryset if unlock_username(username=user.username, actor=request.user)
        )
        self.message_user(
            request, _("%(n)d users were unlocked.") % {"n": unlocked}, messages.SUCCESS
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # Only superusers manage accounts; nobody else sees the user list at all.
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.none()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        # Roles go through the services, so a grant sets admin access and is audited.
        for assignment in formset.save(commit=False):
            if assignment.pk is None:
                grant_role(
                    user=assignment.user,
                    role=assignment.role,
                    sub_district=assignment.sub_district,
                    organization=assignment.organization,
                    unit=assignment.unit,
                    granted_by=request.user,
                )
            elif not assignment.is_active:
                revoke_role(assignment=assignment, revoked_by=request.user)
            else:
                assignment.save()
        for assignment in formset.deleted_objects:
            revoke_role(assignment=assignment, revoked_by=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only for superusers; staff read their scope on the workbench's audit page.
    Nobody can add, change or delete an entry here (only the retention task deletes)."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    list_display = ["created_at", "action", "actor", "target_label", "ip_address"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["action", "target_label", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["subject", "last_error"]
    exclude = ["body"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(OutgoingSms)
class OutgoingSmsAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "sensitive", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["last_error"]
    exclude = ["body", "to"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(ResidentProfile)
class ResidentProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "community", "is_party_member", "phone_verified_at"]
    list_filter = ["is_party_member"]
    search_fields = ["user__full_name", "user__phone"]
    raw_id_fields = ["user"]
    readonly_fields = ["phone_verified_at"]
    list_select_related = ["user", "community"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
