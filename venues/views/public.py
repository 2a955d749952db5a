"""Resident pages (mobile-first): halls, a room's availability, booking, my bookings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts.errors import Conflict, DomainError
from accounts.service_form import ServiceFormMixin
from venues import services
from venues.availability import next_free_day, room_days
from venues.calendar import room_calendar
from venues.forms import BookingForm
from venues.models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    HallPhoto,
    Room,
    RoomPhoto,
    ServiceHall,
    WaitlistEntry,
    WaitlistStatus,
)


def _parse_day(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        return today
    if abs((day - today).days) > 366:
        return today
    return day


class HallListView(ListView):
    template_name = "public/venues/hall_list.html"
    context_object_name = "halls"

    def get_queryset(self) -> QuerySet[ServiceHall]:
        return (
            ServiceHall.objects.public()
            .select_related("community", "sub_district")
            .prefetch_related(
                Prefetch("rooms", queryset=Room.objects.public().order_by("name")),
                "photos",
            )
            .order_by("sub_district__name", "name")
        )


class RoomDetailView(DetailView):
    """A room with its availability: a day on a phone, a week on request."""

    template_name = "public/venues/room_detail.html"
    context_object_name = "room"

    def get_queryset(self) -> QuerySet[Room]:
        return Room.objects.public().select_related("hall", "parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = _parse_day(self.request.GET.get("date"))
        week = self.request.GET.get("view") == "week"
        if week:
            day = day - dt.timedelta(days=day.weekday())
        now = timezone.now()
        days = room_days(self.object, day, 7 if week else 1, now=now)
        step = dt.timedelta(days=7 if week else 1)
        if not week and not days[0].has_free_slot:
            context["next_free"] = next_free_day(self.object, day, now=now)
        context.update(
            days=days,
            week=week,
            day=day,
            previous=day - step,
            next=day + step,
            today=timezone.localdate(now),
            parts=self.object.parts.filter(is_active=True),
            photos=list(self.object.photos.all()),
            hall_photos=list(self.object.hall.photos.all()),
        )
        return context


class BookView(LoginRequiredMixin, ServiceFormMixin, FormView):
    template_name = "public/venues/book.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.room = get_object_or_404(Room.objects.public().select_related("hall"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> BookingForm:
        return BookingForm(room=self.room, **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"attendees": 1}
        day = self.request.GET.get("date")
        start = self.request.GET.get("start")
        if day:
            initial["date"] = _parse_day(day)
        if start:
            try:
                start_time = dt.time.fromisoformat(start)
            except ValueError:
                return initial
            initial["start"] = start_time
            end = dt.datetime.combine(timezone.localdate(), start_time) + dt.timedelta(
                minutes=max(self.room.min_minutes, self.room.slot_minutes)
            )
            initial["end"] = end.time()
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["room"] = self.room
        return context

    def perform(self, form: BookingForm) -> Booking:
        data = form.cleaned_data
        return services.book_room(
            room=self.room,
            resident=self.request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            attendees=data["attendees"],
            purpose=data["purpose"],
        )

    def form_refused(self, form: BookingForm, refused: DomainError) -> HttpResponse:
        """A slot taken by someone else is a conflict (409): the page offers the waiting list."""
        response = super().form_refused(form, refused)
        if isinstance(refused, Conflict):
            response.context_data["can_wait"] = True
            response.status_code = 409
        return response

    def announce(self) -> None:
        if self.result.status == BookingStatus.PENDING:
            messages.info(self.request, _("Your booking was received and awaits approval."))
        else:
            messages.success(self.request, _("Your booking is confirmed."))

    def get_success_url(self) -> str:
        return reverse("public:venues-booking", args=[self.result.pk])


class WaitlistJoinView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        room = get_object_or_404(Room.objects.public().select_related("hall"), pk=pk)
        form = BookingForm(request.POST, room=room)
        if not form.is_valid():
            messages.error(request, _("Please correct the booking details first."))
            return redirect("public:venues-room", pk=room.pk)
        data = form.cleaned_data
        try:
            services.join_waitlist(
                room=room,
                resident=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                attendees=data["attendees"],
                purpose=data["purpose"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("public:venues-room", pk=room.pk)
        messages.success(
            request, _("You are on the waiting list. We will tell you if the slot frees up.")
        )
        return redirect("public:venues-my-bookings")


class MyBookingsView(LoginRequiredMixin, TemplateView):
    template_name = "public/venues/my_bookings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        mine = Booking.objects.of_resident(self.request.user).select_related("room__hall")
        context["upcoming"] = mine.filter(ends_at__gt=now, status__in=HOLDING_STATUSES).order_by(
            "starts_at"
        )
        context["past"] = mine.exclude(pk__in=context["upcoming"].values("pk")).order_by(
            "-starts_at"
        )[:30]
        context["waiting"] = WaitlistEntry.objects.filter(
            resident=self.request.user, status=WaitlistStatus.WAITING, starts_at__gt=now
        ).select_related("room__hall")
        return context


def check_in_qr_svg(request: HttpRequest, booking: Booking) -> str:
    """The QR code staff scan at the door: their check-in page with the code filled in."""
    url = request.build_absolute_uri(
        reverse("staff:venues-check-in") + f"?code={booking.check_in_code}"
    )
    return segno.make(url, error="m").svg_inline(scale=5, border=2)


class BookingDetailView(LoginRequiredMixin, DetailView):
    """The confirmation: what, where, when, and the check-in code with its QR code."""

    template_name = "public/venues/booking_detail.html"
    context_object_name = "booking"

    def get_queryset(self) -> QuerySet[Booking]:
        return Booking.objects.of_resident(self.request.user).select_related("room__hall")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        booking = self.object
        if booking.status in (BookingStatus.CONFIRMED, BookingStatus.PENDING):
            # segno's own markup of a URL we built: no user input reaches it unescaped.
            context["qr_svg"] = mark_safe(check_in_qr_svg(self.request, booking))  # noqa: S308
        context["can_cancel"] = booking.is_holding and booking.starts_at > timezone.now()
        return context


class CancelView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = get_object_or_404(Booking.objects.of_resident(request.user), pk=pk)
        try:
            services.cancel_booking(booking=booking, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("public:venues-booking", pk=pk)
        messages.success(request, _("Your booking is cancelled."))
        return redirect("public:venues-my-bookings")


class AcceptOfferView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = get_object_or_404(Booking.objects.of_resident(request.user), pk=pk)
        try:
            services.accept_offer(booking=booking, resident=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("public:venues-my-bookings")
        messages.success(request, _("The slot is yours."))
        return redirect("public:venues-booking", pk=pk)


class LeaveWaitlistView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        updated = WaitlistEntry.objects.filter(
            pk=pk, resident=request.user, status=WaitlistStatus.WAITING
        ).update(status=WaitlistStatus.CANCELLED)
        if not updated:
            raise Http404
        messages.success(request, _("You left the waiting list."))
        return redirect("public:venues-my-bookings")


def room_ical(request: HttpRequest, pk: int) -> HttpResponse:
    """An iCalendar feed of the room's busy times (no names: residents' privacy)."""
    room = get_object_or_404(Room.objects.public().select_related("hall"), pk=pk)
    response = HttpResponse(room_calendar(room), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="room-{room.pk}.ics"'
    return response


PHOTO_MODELS = {"hall": HallPhoto, "room": RoomPhoto}


def photo_file(request: HttpRequest, owner: str, pk: int, size: str) -> FileResponse:
    """A hall or room photo. Photos of what residents may see (an open hall, a bookable room)
    are public; any other is shown only to workbench users whose scope holds the hall, and is
    a 404 to everyone else, as if it did not exist."""
    model = PHOTO_MODELS.get(owner)
    if model is None or size not in ("full", "thumbnail"):
        raise Http404
    photo = model.objects.public().filter(pk=pk).first()
    is_public = photo is not None
    user = request.user
    if (
        photo is None
        and user.is_authenticated
        and user.uses_workbench
        and user.has_perm("venues.view_servicehall")
    ):
        photo = model.objects.visible_to(user).filter(pk=pk).first()
    if photo is None:
        raise Http404
    field = photo.image if size == "full" else photo.thumbnail
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = f"{'public' if is_public else 'private'}, max-age=3600"
    return response
