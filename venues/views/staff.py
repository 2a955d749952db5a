"""Workbench pages for the halls: approvals, calendar, check-in, no-shows, blocks, internal
bookings and utilisation. Sub-district staff run their halls; secretaries see their
sub-district's halls read-only and book rooms for their own branch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.service_form import ServiceFormMixin
from branches.models import Organization
from venues import services
from venues.forms import (
    BlockForm,
    CheckInForm,
    InternalBookingForm,
    RejectForm,
)
from venues.models import (
    HOLDING_STATUSES,
    Booking,
    BookingKind,
    BookingStatus,
    Room,
    ServiceHall,
    Suspension,
)
from venues.reports import month_bounds, utilisation


def _parse_day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


class HallListView(StaffView, ListView):
    permission_required = "venues.view_servicehall"
    template_name = "staff/venues/hall_list.html"
    context_object_name = "halls"

    def get_queryset(self) -> QuerySet[ServiceHall]:
        return (
            ServiceHall.objects.visible_to(self.request.user)
            .select_related("sub_district", "community")
            .prefetch_related("rooms")
            .order_by("sub_district__name", "name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("venues.change_booking"):
            context["pending_count"] = (
                Booking.objects.visible_to(self.request.user)
                .filter(status=BookingStatus.PENDING)
                .count()
            )
        return context


class HallCalendarView(StaffView, DetailView):
    """A hall's week: rooms down, days across. Bookings outside the user's scope (residents'
    bookings, for a secretary) show as "booked" without names."""

    permission_required = "venues.view_servicehall"
    template_name = "staff/venues/hall_calendar.html"
    context_object_name = "hall"

    def get_queryset(self) -> QuerySet[ServiceHall]:
        return ServiceHall.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = _parse_day(self.request.GET.get("date"))
        monday = day - dt.timedelta(days=day.weekday())
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(monday, dt.time(), tz)
        end = start + dt.timedelta(days=7)
        rooms = list(self.object.rooms.prefetch_related("photos").order_by("name"))
        visible_ids = set(
            Booking.objects.visible_to(self.request.user)
            .filter(room__hall=self.object, starts_at__lt=end, ends_at__gt=start)
            .values_list("pk", flat=True)
        )
        bookings = (
            Booking.objects.filter(
                room__hall=self.object,
                status__in=HOLDING_STATUSES,
                starts_at__lt=end,
                ends_at__gt=start,
            )
            .select_related("resident", "organization")
            .order_by("starts_at")
        )
        grid: dict[tuple[int, dt.date], list[Booking]] = {}
        for booking in bookings:
            booking.visible = booking.pk in visible_ids
            grid.setdefault((booking.room_id, timezone.localdate(booking.starts_at)), []).append(
                booking
            )
        context.update(
            days=days,
            rows=[(room, [grid.get((room.pk, d), []) for d in days]) for room in rooms],
            previous=monday - dt.timedelta(days=7),
            next=monday + dt.timedelta(days=7),
            monday=monday,
            hall_photos=list(self.object.photos.all()),
        )
        return context


class ApprovalQueueView(StaffView, ListView):
    permission_required = "venues.change_booking"
    template_name = "staff/venues/approval_queue.html"
    context_object_name = "bookings"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Booking]:
        return (
            Booking.objects.visible_to(self.request.user)
            .filter(status=BookingStatus.PENDING)
            .select_related("room__hall", "resident")
            .order_by("starts_at")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reject_form"] = RejectForm()
        return context


class _BookingAction(StaffView, View):
    permission_required = "venues.change_booking"

    def booking(self, pk: int) -> Booking:
        return get_object_or_404(
            Booking.objects.visible_to(self.request.user).select_related("room__hall"), pk=pk
        )

    def back(self) -> HttpResponse:
        return redirect(self.request.POST.get("next") or "staff:venues-approvals")


class ApproveView(_BookingAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.approve_booking(booking=self.booking(pk), by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Booking approved; the resident is told."))
        return redirect("staff:venues-approvals")


class RejectView(_BookingAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = self.booking(pk)
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give the resident a reason."))
            return redirect("staff:venues-approvals")
        try:
            services.reject_booking(
                booking=booking, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Booking rejected; the resident is told."))
        return redirect("staff:venues-approvals")


class StaffCancelView(StaffView, View):
    """Staff cancel any booking in scope; a secretary cancels their branch's own bookings."""

    permission_required = "venues.view_booking"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = get_object_or_404(Booking.objects.visible_to(request.user), pk=pk)
        if not request.user.has_perm("venues.change_booking") and (
            booking.kind != BookingKind.INTERNAL
        ):
            raise PermissionDenied
        try:
            services.cancel_booking(
                booking=booking, by=request.user, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Booking cancelled."))
        return redirect("staff:venues-booking", pk=pk)


class BookingDetailView(StaffView, DetailView):
    permission_required = "venues.view_booking"
    template_name = "staff/venues/booking_detail.html"
    context_object_name = "booking"

    def get_queryset(self) -> QuerySet[Booking]:
        return Booking.objects.visible_to(self.request.user).select_related(
            "room__hall", "resident", "organization", "booked_by", "checked_in_by", "decided_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        booking = self.object
        context["can_cancel"] = booking.is_holding and (
            self.request.user.has_perm("venues.change_booking")
            or booking.kind == BookingKind.INTERNAL
        )
        return context


class CheckInView(StaffView, FormView):
    """Check in by code: typed, or from the resident's QR code (which opens this page with
    the code filled in). Finding shows the booking; the button checks it in."""

    permission_required = "venues.change_booking"
    template_name = "staff/venues/check_in.html"
    form_class = CheckInForm

    def get_initial(self) -> dict[str, Any]:
        return {"code": self.request.GET.get("code", "")}

    def find(self, code: str) -> Booking | None:
        return (
            Booking.objects.visible_to(self.request.user)
            .select_related("room__hall", "resident", "organization")
            .filter(check_in_code=code.strip().upper())
            .first()
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        code = self.request.GET.get("code", "").strip()
        if code:
            context["found"] = self.find(code)
            context["searched"] = True
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        context["today"] = (
            Booking.objects.visible_to(self.request.user)
            .filter(
                starts_at__gte=dt.datetime.combine(today, dt.time(), tz),
                starts_at__lt=dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tz),
                status__in=[BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN],
            )
            .exclude(kind=BookingKind.BLOCK)
            .select_related("room__hall", "resident", "organization")
            .order_by("starts_at")
        )
        return context

    def form_valid(self, form: CheckInForm) -> HttpResponse:
        return redirect(f"{self.request.path}?code={form.cleaned_data['code']}")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        booking_id = request.POST.get("booking")
        if not booking_id:
            return super().post(request, *args, **kwargs)
        booking = get_object_or_404(
            Booking.objects.visible_to(request.user), pk=booking_id if booking_id.isdigit() else 0
        )
        try:
            services.check_in(booking=booking, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Checked in."))
        return redirect(f"{request.path}?code={booking.check_in_code}")


class NoShowListView(StaffView, TemplateView):
    permission_required = "venues.change_booking"
    template_name = "staff/venues/no_shows.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        since = timezone.now() - dt.timedelta(days=90)
        context["no_shows"] = (
            Booking.objects.visible_to(self.request.user)
            .filter(status=BookingStatus.NO_SHOW, starts_at__gte=since)
            .select_related("room__hall", "resident")
            .order_by("-starts_at")[:200]
        )
        context["suspensions"] = (
            Suspension.objects.visible_to(self.request.user)
            .filter(ends_at__gt=timezone.now(), lifted_at=None)
            .select_related("resident")
        )
        return context


class LiftSuspensionView(StaffView, View):
    permission_required = "venues.change_suspension"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        suspension = get_object_or_404(Suspension.objects.visible_to(request.user), pk=pk)
        services.lift_suspension(suspension=suspension, by=request.user)
        messages.success(request, _("Suspension lifted."))
        return redirect("staff:venues-no-shows")


class BlockCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "venues.change_room"
    template_name = "staff/venues/form.html"
    form_class = BlockForm
    extra_context = {"title": _("Block a room for maintenance")}
    success_message = gettext_lazy("The room is blocked.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["rooms"] = Room.objects.visible_to(self.request.user)
        return kwargs

    def perform(self, form: BlockForm) -> Booking:
        data = form.cleaned_data
        return services.block_room(
            room=data["room"],
            booked_by=self.request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
        )

    def get_success_url(self) -> str:
        return reverse("staff:venues-booking", args=[self.result.pk])


class InternalBookingCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "venues.add_booking"
    template_name = "staff/venues/form.html"
    form_class = InternalBookingForm
    extra_context = {"title": _("Internal booking for a branch")}
    success_message = gettext_lazy("The room is booked for the branch.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["rooms"] = Room.objects.visible_to(self.request.user).filter(
            is_active=True, hall__is_active=True
        )
        kwargs["organizations"] = (
            Organization.objects.visible_to(self.request.user).active().order_by("path")
        )
        return kwargs

    def perform(self, form: InternalBookingForm) -> Booking:
        data = form.cleaned_data
        return services.book_internal(
            room=data["room"],
            organization=data["organization"],
            booked_by=self.request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            attendees=data["attendees"],
            purpose=data["purpose"],
        )

    def get_success_url(self) -> str:
        return reverse("staff:venues-booking", args=[self.result.pk])


class UtilisationView(StaffView, TemplateView):
    """Hours booked, hours used and no-shows per room and hall for a month."""

    permission_required = "venues.change_servicehall"
    template_name = "staff/venues/utilisation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        month = self.request.GET.get("month", "")
        try:
            first = dt.date.fromisoformat(f"{month}-01") if month else None
        except ValueError:
            first = None
        first = first or timezone.localdate().replace(day=1)
        start, end = month_bounds(first)
        halls = ServiceHall.objects.visible_to(self.request.user)
        context.update(
            report=utilisation(halls, first),
            month=first,
            previous=(start - dt.timedelta(days=1)).replace(day=1),
            next=end,
        )
        return context
