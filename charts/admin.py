from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin
from charts.models import DisplayScreen


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
