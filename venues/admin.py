from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin
from accounts.errors import DomainError
from venues import services
from venues.models import (
    Booking,
    BookingPolicy,
    ClosedPeriod,
    OpeningHours,
    Room,
    ServiceHall,
    Suspension,
    WaitlistEntry,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosedPeriodInline(admin.TabularInline):
    model = ClosedPeriod
    extra = 0


@admin.register(ServiceHall)
class ServiceHallAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "sub_district", "community", "address", "is_active"]
    list_filter = ["is_active", "sub_district"]
    search_fields = ["name", "address"]
    inlines = [OpeningHoursInline, ClosedPeriodInline]
    list_select_related = ["sub_district", "community"]


@admin.register(Room)
class RoomAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "hall",
        "parent",
        "kind",
        "capacity",
        "audience",
        "requires_approval",
        "is_active",
    ]
    list_filter = ["kind", "audience", "requires_approval", "is_active"]
    search_fields = ["name", "hall__name"]
    list_select_related = ["hall", "parent"]
    fieldsets = (
        (
            None,
            {"fields": ("hall", "parent", "name", "kind", "capacity", "equipment", "description")},
        ),
        (_("Who may book"), {"fields": ("audience", "requires_approval", "is_active")}),
        (
            _("Booking rules"),
            {
                "fields": (
                    "slot_minutes",
                    "min_minutes",
                    "max_minutes",
                    "advance_days",
                    "cancel_hours",
                    "weekly_limit",
                    "buffer_minutes",
                )
            },
        ),
    )


@admin.register(Booking)
class BookingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Bookings are made and changed through the services (pages, API); the admin looks and
    cancels, so every rule and notification still applies."""

    list_display = ["starts_at", "room", "kind", "resident", "organization", "status"]
    list_filter = ["status", "kind", "room__hall"]
    search_fields = ["purpose", "room__name", "resident__full_name", "check_in_code"]
    date_hierarchy = "starts_at"
    list_select_related = ["room", "resident", "organization"]
    actions = ["cancel_selected"]
    readonly_fields = [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Cancel the selected bookings"), permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        done = 0
        for booking in queryset:
            try:
                services.cancel_booking(
                    booking=booking, by=request.user, reason=str(_("Cancelled by the hall"))
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{booking}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(count)s bookings cancelled.") % {"count": done})


@admin.register(BookingPolicy)
class BookingPolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "sub_district",
        "waitlist_hold_minutes",
        "no_show_minutes",
        "no_show_limit",
        "no_show_window_days",
        "suspension_days",
        "reminder_hours",
    ]


@admin.register(Suspension)
class SuspensionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["resident", "sub_district", "starts_at", "ends_at", "lifted_at", "reason"]
    raw_id_fields = ["resident"]
    list_select_related = ["resident", "sub_district"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "room", "resident", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["room", "resident"]
    readonly_fields = [f.name for f in WaitlistEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
