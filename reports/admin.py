from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin, labelled
from reports.models import ExportJob, ReportRecipient


@admin.register(ExportJob)
class ExportJobAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Jobs come from the workbench, the API, the command or the schedule; the admin reads them."""

    list_display = [
        labelled("scope_label", _("scope")),
        "year",
        "quarter",
        "format",
        "version",
        "status",
        "progress",
        "requested_by",
        "created_at",
        "download",
    ]
    list_filter = ["status", "format", "year", "quarter", "scheduled", "sub_district"]
    search_fields = ["scope_key", "requested_by__username", "error"]
    list_select_related = ["sub_district", "organization", "committee", "requested_by"]
    date_hierarchy = "created_at"
    exclude = ["figures", "file"]
    readonly_fields = [f.name for f in ExportJob._meta.fields if f.name not in ("figures", "file")]

    @admin.display(description=_("file"))
    def download(self, obj: ExportJob) -> str:
        if obj.status != "done":
            return "—"
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>', reverse("staff:report_download", args=[obj.pk]), _("Download")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportRecipient)
class ReportRecipientAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "email", "sub_district", "is_active"]
    list_filter = ["is_active", "sub_district"]
    search_fields = ["name", "email"]
