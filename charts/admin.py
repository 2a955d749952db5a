from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin
from charts.models import CodeEntry, DisplayScreen, ExportTemplate


@admin.register(DisplayScreen)
class DisplayScreenAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Screens are made on the staff page (the link is shown once there); here they are listed,
    renamed, re-timed and revoked."""

    list_display = ("name", "sub_district", "community", "created_at", "last_seen_at", "revoked_at")
    list_filter = ("sub_district", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "community__name")
    readonly_fields = ("sub_district", "community", "created_by", "created_at", "last_seen_at")
    fields = (
        "name",
        "sub_district",
        "community",
        "refresh_seconds",
        "revoked_at",
        *readonly_fields[2:],
    )
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the links of the selected screens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[DisplayScreen]) -> None:
        from charts.services import revoke_screen

        for screen in queryset.filter(revoked_at__isnull=True):
            revoke_screen(screen=screen, actor=request.user)


@admin.register(ExportTemplate)
class ExportTemplateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Versions are made on the staff pages (upload, mapping); here they are only listed."""

    list_display = ("name", "version", "roster", "sub_district", "is_current", "is_demo")
    list_filter = ("roster", "is_current", "is_demo", "sub_district")
    search_fields = ("name", "file_name")
    exclude = ("workbook",)
    readonly_fields = (
        "sub_district",
        "name",
        "roster",
        "version",
        "is_current",
        "is_demo",
        "file_name",
        "headers",
        "mapping",
        "created_by",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CodeEntry)
class CodeEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The code tables the export mappings read (education, ethnicity, gender → the upper
    system's codes), per sub-district."""

    list_display = ("table", "value", "code", "sub_district")
    list_filter = ("table", "sub_district")
    search_fields = ("value", "code")
