"""Workbench pages that set a hall up: photos, opening hours and closed dates, a room's
booking rules, the sub-district's booking policy. Sub-district staff only; every write goes
through `venues.configuration` or `venues.photos`, which refuse changes that would orphan
upcoming bookings and audit the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.scope import scope_for
from accounts.service_form import ServiceFormMixin, domain_errors_on
from branches.models import SubDistrict
from venues import configuration, photos, services
from venues.forms import (
    BookingPolicyForm,
    ClosedPeriodForm,
    OpeningHoursForm,
    PhotoEditForm,
    PhotoUploadForm,
    RoomRulesForm,
)
from venues.models import (
    BookingPolicy,
    ClosedPeriod,
    HallPhoto,
    Room,
    RoomPhoto,
    ServiceHall,
)


class HallPhotosView(StaffView, DetailView):
    """The photos of a hall and its rooms: upload (checked and re-encoded by
    `venues.photos`), caption and order, removal."""

    permission_required = ("venues.add_hallphoto", "venues.add_roomphoto")
    template_name = "staff/venues/photos.html"
    context_object_name = "hall"

    def get_queryset(self) -> QuerySet[ServiceHall]:
        return ServiceHall.objects.visible_to(self.request.user)

    def rooms(self) -> list[Room]:
        return list(self.object.rooms.prefetch_related("photos").order_by("name"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rooms = self.rooms()
        context.update(
            rooms=rooms,
            hall_photos=list(self.object.photos.all()),
            form=kwargs.get("form") or PhotoUploadForm(hall=self.object, rooms=rooms),
            max_mb=round(settings.VENUE_PHOTO_MAX_BYTES / 1_048_576, 1),
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = self.get_object()
        rooms = self.rooms()
        form = PhotoUploadForm(request.POST, request.FILES, hall=self.object, rooms=rooms)
        if form.is_valid():
            target = form.cleaned_data["target"]
            owner: ServiceHall | Room = self.object
            if target != "hall":
                owner = next(r for r in rooms if f"room:{r.pk}" == target)
            with domain_errors_on(form):
                photos.add_photo(
                    owner=owner,
                    upload=form.cleaned_data["file"],
                    caption=form.cleaned_data["caption"],
                    order=form.cleaned_data["order"],
                    actor=request.user,
                )
                messages.success(request, _("The photo is uploaded."))
                return redirect("staff:venues-hall-photos", pk=self.object.pk)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class _PhotoAction(StaffView, View):
    action = ""

    def get_permission_required(self) -> tuple[str, ...]:
        return (f"venues.{self.action}_{self.kwargs['owner']}photo",)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs.get("owner") not in ("hall", "room"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def photo(self, owner: str, pk: int) -> HallPhoto | RoomPhoto:
        model = HallPhoto if owner == "hall" else RoomPhoto
        related = "hall" if owner == "hall" else "room__hall"
        return get_object_or_404(
            model.objects.visible_to(self.request.user).select_related(related), pk=pk
        )

    def back(self, photo: HallPhoto | RoomPhoto) -> HttpResponse:
        hall_id = photo.hall_id if isinstance(photo, HallPhoto) else photo.room.hall_id
        return redirect("staff:venues-hall-photos", pk=hall_id)


class PhotoEditView(_PhotoAction):
    action = "change"

    def post(self, request: HttpRequest, owner: str, pk: int) -> HttpResponse:
        photo = self.photo(owner, pk)
        form = PhotoEditForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.back(photo)
        try:
            photos.update_photo(
                photo=photo,
                caption=form.cleaned_data["caption"],
                order=form.cleaned_data["order"],
                actor=request.user,
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The photo is saved."))
        return self.back(photo)


class PhotoDeleteView(_PhotoAction):
    action = "delete"

    def post(self, request: HttpRequest, owner: str, pk: int) -> HttpResponse:
        photo = self.photo(owner, pk)
        response = self.back(photo)
        photos.delete_photo(photo=photo, actor=request.user)
        messages.success(request, _("The photo is removed."))
        return response


def _managed_sub_districts(user: Any) -> QuerySet[SubDistrict]:
    scope = scope_for(user)
    rows = (
        SubDistrict.objects.all()
        if scope.everything
        else SubDistrict.objects.filter(pk__in=scope.sub_district_ids)
    )
    return rows.order_by("name")


class BookingPolicyView(StaffView, ServiceFormMixin, FormView):
    """The sub-district's local booking figures (no-shows, suspension, waiting list,
    reminders), editable by its staff; each save is audited with old and new values."""

    permission_required = ("venues.change_bookingpolicy", "venues.add_bookingpolicy")
    template_name = "staff/venues/policy.html"
    form_class = BookingPolicyForm
    success_message = gettext_lazy("The booking policy is saved.")

    def get_sub_district(self) -> SubDistrict:
        managed = _managed_sub_districts(self.request.user)
        pk = self.kwargs.get("pk")
        if pk is None:
            first = managed.first()
            if first is None:
                raise Http404
            return first
        return get_object_or_404(managed, pk=pk)

    def get_form_kwargs(self) -> dict[str, Any]:
        self.sub_district = self.get_sub_district()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = BookingPolicy.for_sub_district(self.sub_district.pk)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            sub_district=self.sub_district,
            sub_districts=_managed_sub_districts(self.request.user),
        )
        return context

    def perform(self, form: BookingPolicyForm) -> Any:
        return configuration.update_booking_policy(
            sub_district_id=self.sub_district.pk,
            values={name: form.cleaned_data[name] for name in configuration.POLICY_FIELDS},
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:venues-policy-of", args=[self.sub_district.pk])

    def form_invalid(self, form: BookingPolicyForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class RoomRulesView(StaffView, ServiceFormMixin, FormView):
    """A room's booking rules (length, lead time, weekly limit, buffer, approval, audience),
    edited by the hall's staff without the admin; saved and audited by
    `configuration.save_room`, which refuses closing a room that has upcoming bookings."""

    permission_required = "venues.change_room"
    template_name = "staff/venues/form.html"
    form_class = RoomRulesForm
    success_message = gettext_lazy("The room's rules are saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        self.room = get_object_or_404(
            Room.objects.visible_to(self.request.user).select_related("hall"), pk=self.kwargs["pk"]
        )
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.room
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Booking rules of %(room)s") % {
            "room": f"{self.room.hall.name} · {self.room.name}"
        }
        return context

    def perform(self, form: RoomRulesForm) -> Any:
        return configuration.save_room(
            room=form.instance, actor=self.request.user, changed=form.changed_data
        )

    def get_success_url(self) -> str:
        return reverse("staff:venues-hall-calendar", args=[self.room.hall_id])

    def form_invalid(self, form: RoomRulesForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class HallHoursView(StaffView, DetailView):
    """A hall's weekly opening hours and its closed dates, edited by its staff. Changes that
    would leave upcoming resident bookings outside the hours are refused
    (`configuration.set_opening_hours`, `add_closed_period`)."""

    permission_required = (
        "venues.change_openinghours",
        "venues.add_closedperiod",
        "venues.delete_closedperiod",
    )
    template_name = "staff/venues/hours.html"
    context_object_name = "hall"

    def get_queryset(self) -> QuerySet[ServiceHall]:
        return ServiceHall.objects.visible_to(self.request.user)

    def current(self) -> dict[int, tuple[dt.time, dt.time]]:
        return services.opening_hours(self.object.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("hours_form", OpeningHoursForm(current=self.current()))
        context.setdefault("closed_form", ClosedPeriodForm())
        context["closed_periods"] = self.object.closed_periods.filter(
            ends_on__gte=timezone.localdate()
        ).order_by("starts_on")
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = self.get_object()
        extra: dict[str, Any] = {}
        if "close" in request.POST:
            form = extra["closed_form"] = ClosedPeriodForm(request.POST)
            if form.is_valid():
                with domain_errors_on(form):
                    configuration.add_closed_period(
                        hall=self.object,
                        starts_on=form.cleaned_data["starts_on"],
                        ends_on=form.cleaned_data["ends_on"],
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                    messages.success(request, _("The closed dates are saved."))
                    return redirect("staff:venues-hall-hours", pk=pk)
        else:
            form = extra["hours_form"] = OpeningHoursForm(request.POST, current=self.current())
            if form.is_valid():
                with domain_errors_on(form):
                    configuration.set_opening_hours(
                        hall=self.object, hours=form.cleaned_data["hours"], actor=request.user
                    )
                    messages.success(request, _("The opening hours are saved."))
                    return redirect("staff:venues-hall-hours", pk=pk)
        response = self.render_to_response(self.get_context_data(**extra))
        response.status_code = 400
        return response


class ClosedPeriodDeleteView(StaffView, View):
    permission_required = "venues.delete_closedperiod"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        period = get_object_or_404(
            ClosedPeriod.objects.visible_to(request.user).select_related("hall"), pk=pk
        )
        hall_id = period.hall_id
        configuration.remove_closed_period(period=period, actor=request.user)
        messages.success(request, _("The hall is open on those dates again."))
        return redirect("staff:venues-hall-hours", pk=hall_id)
