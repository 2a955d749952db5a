from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin
from accounts.errors import DomainError
from accounts.service_form import validation_error_from
from venues import configuration, photos, services
from venues.models import (
    Booking,
    BookingPolicy,
    ClosedPeriod,
    HallPhoto,
    OpeningHours,
    Room,
    RoomPhoto,
    ServiceHall,
    Suspension,
    WaitlistEntry,
)


class PhotoInlineForm(forms.ModelForm):
    """A photo row: a new one needs a file, checked by content here (so the error shows on
    the row) and stored by `photos.add_photo` from `save_formset`."""

    upload = forms.FileField(
        label=_("Photo file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        fields = ["caption", "order"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if self.instance.pk is None and self.has_changed():
            if not upload:
                raise ValidationError({"upload": _("Choose a photo to upload.")})
            try:
                photos.process_photo(upload)
            except photos.PhotoRefused as refused:
                raise ValidationError({"upload": refused.message}) from None
        return cleaned


class _PhotoInline(admin.TabularInline):
    form = PhotoInlineForm
    extra = 1
    fields = ["preview", "upload", "caption", "order"]
    readonly_fields = ["preview"]

    @admin.display(description=_("Photo"))
    def preview(self, obj: HallPhoto | RoomPhoto) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" height="60"></a>',
            obj.url,
            obj.thumbnail_url,
            obj.caption,
        )


class HallPhotoInline(_PhotoInline):
    model = HallPhoto


class RoomPhotoInline(_PhotoInline):
    model = RoomPhoto


class PhotoFormsetMixin:
    """Photo rows are written through `venues.photos` (checked, re-encoded, audited)."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model not in (HallPhoto, RoomPhoto):
            return super().save_formset(request, form, formset, change)  # type: ignore[misc]
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            photo = row.instance
            if photo.pk and formset.can_delete and formset._should_delete_form(row):
                photos.delete_photo(photo=photo, actor=request.user)
                formset.deleted_objects.append(photo)
            elif photo.pk is None and row.has_changed():
                created = photos.add_photo(
                    owner=formset.instance,
                    upload=row.cleaned_data["upload"],
                    caption=row.cleaned_data.get("caption", ""),
                    order=row.cleaned_data.get("order") or 0,
                    actor=request.user,
                )
                formset.new_objects.append(created)
            elif photo.pk and row.has_changed():
                photos.update_photo(
                    photo=photo,
                    caption=row.cleaned_data.get("caption", ""),
                    order=row.cleaned_data.get("order") or 0,
                    actor=request.user,
                )
                formset.changed_objects.append((photo, row.changed_data))
        return None


class ServiceHallAdminForm(forms.ModelForm):
    class Meta:
        model = ServiceHall
        fields = [
            "sub_district",
            "community",
            "name",
            "address",
            "contact_name",
            "contact_phone",
            "description",
            "rules_text",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and "is_active" in cleaned:
            candidate = ServiceHall(pk=self.instance.pk, is_active=cleaned["is_active"])
            try:
                configuration.check_hall_change(hall=candidate)
            except configuration.SetupChangeRefused as refused:
                raise validation_error_from(self, refused) from None
        return cleaned


class RoomAdminForm(forms.ModelForm):
    """Refuses a division, a move or a closing that would orphan upcoming bookings, with the
    message of `configuration.check_room_change` on the field concerned."""

    class Meta:
        model = Room
        fields = [
            "hall",
            "parent",
            "name",
            "kind",
            "capacity",
            "equipment",
            "description",
            "audience",
            "requires_approval",
            "is_active",
            "slot_minutes",
            "min_minutes",
            "max_minutes",
            "advance_days",
            "cancel_hours",
            "weekly_limit",
            "buffer_minutes",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        hall = cleaned.get("hall") or (self.instance.hall if self.instance.hall_id else None)
        if hall is None:
            return cleaned
        candidate = Room(
            pk=self.instance.pk,
            hall=hall,
            parent=cleaned.get("parent"),
            is_active=cleaned.get("is_active", self.instance.is_active),
        )
        try:
            configuration.check_room_change(room=candidate)
        except configuration.SetupChangeRefused as refused:
            raise validation_error_from(self, refused) from None
        return cleaned


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """Refuses a week that would leave upcoming resident bookings outside the hours."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.pk is None or not self.has_changed():
            return
        hours: dict[int, tuple[Any, Any] | None] = {day: None for day in range(7)}
        for row in self.forms:
            data = getattr(row, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("weekday") is None:
                continue
            if data.get("opens_at") and data.get("closes_at"):
                hours[int(data["weekday"])] = (data["opens_at"], data["closes_at"])
        try:
            configuration.check_hours_change(hall=self.instance, hours=hours)
        except DomainError as refused:
            raise ValidationError(refused.message) from None


class ClosedPeriodFormSet(forms.BaseInlineFormSet):
    """Refuses closed dates over upcoming resident bookings."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        for row in self.forms:
            data = getattr(row, "cleaned_data", None)
            if not data or data.get("DELETE") or not row.has_changed():
                continue
            first, last = data.get("starts_on"), data.get("ends_on")
            if first and last:
                try:
                    configuration.check_hours_change(hall=self.instance, closed=(first, last))
                except DomainError as refused:
                    raise ValidationError(refused.message) from None


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0


class ClosedPeriodInline(admin.TabularInline):
    model = ClosedPeriod
    formset = ClosedPeriodFormSet
    extra = 0


@admin.register(ServiceHall)
class ServiceHallAdmin(PhotoFormsetMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = ServiceHallAdminForm
    list_display = ["name", "sub_district", "community", "address", "is_active"]
    list_filter = ["is_active", "sub_district"]
    search_fields = ["name", "address"]
    inlines = [OpeningHoursInline, ClosedPeriodInline, HallPhotoInline]
    list_select_related = ["sub_district", "community"]

    def save_model(self, request: HttpRequest, obj: ServiceHall, form: Any, change: bool) -> None:
        configuration.save_hall(hall=obj, actor=request.user, changed=form.changed_data)


@admin.register(Room)
class RoomAdmin(PhotoFormsetMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = RoomAdminForm
    inlines = [RoomPhotoInline]
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

    def save_model(self, request: HttpRequest, obj: Room, form: Any, change: bool) -> None:
        configuration.save_room(room=obj, actor=request.user, changed=form.changed_data)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        room = self.get_object(request, object_id)
        if request.method == "POST" and room is not None:
            try:
                configuration.check_room_removal(room=room)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return redirect("admin:venues_room_change", room.pk)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: Room) -> None:
        configuration.delete_room(room=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Room]) -> None:
        for room in queryset:
            try:
                configuration.delete_room(room=room, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{room}: {exc.message}", messages.ERROR)


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
    search_fields = ["resident__full_name", "resident__username", "reason"]
    list_filter = ["sub_district", ("starts_at", admin.DateFieldListFilter)]
    raw_id_fields = ["resident"]
    list_select_related = ["resident", "sub_district"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "room", "resident", "starts_at", "status"]
    list_filter = ["status", "room__hall"]
    search_fields = ["room__name", "resident__full_name", "purpose"]
    list_select_related = ["room", "resident"]
    readonly_fields = [f.name for f in WaitlistEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
