"""API of the halls: rooms and their availability, bookings, check-in.

Residents see bookable rooms and their own bookings; workbench users see what their scope
allows (`visible_to`). Writes go through the services: a broken rule is 400 with its field, a
taken slot 409, a row out of scope 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.request import Request
from rest_framework.response import Response

from branches.models import Organization
from venues import services
from venues.availability import Slot, room_days
from venues.models import Booking, HallPhoto, Room, RoomPhoto


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    caption = serializers.CharField(read_only=True)
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def get_url(self, photo: RoomPhoto | HallPhoto) -> str:
        return self.context["request"].build_absolute_uri(photo.url)

    def get_thumbnail_url(self, photo: RoomPhoto | HallPhoto) -> str:
        return self.context["request"].build_absolute_uri(photo.thumbnail_url)


class RoomSerializer(serializers.ModelSerializer):
    hall_name = serializers.CharField(source="hall.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    hall_photos = PhotoSerializer(source="hall.photos", many=True, read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "name",
            "hall",
            "hall_name",
            "parent",
            "kind",
            "kind_display",
            "capacity",
            "equipment",
            "audience",
            "requires_approval",
            "slot_minutes",
            "min_minutes",
            "max_minutes",
            "advance_days",
            "cancel_hours",
            "weekly_limit",
            "buffer_minutes",
            "photos",
            "hall_photos",
        ]


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=["free", "taken", "past"])

    def to_representation(self, instance: Slot) -> dict[str, str]:
        # A week holds ~180 slots: DRF's field machinery per slot cost more than the rest of the
        # request. The output is the same as the declared fields give (tested).
        return {
            "starts_at": _iso_datetime(instance.starts_at),
            "ends_at": _iso_datetime(instance.ends_at),
            "state": instance.state,
        }


def _iso_datetime(value: dt.datetime) -> str:
    """What serializers.DateTimeField writes by default: ISO 8601 in the current time zone."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    opens = serializers.TimeField(allow_null=True)
    closes = serializers.TimeField(allow_null=True)
    closed_reason = serializers.CharField()
    bookable = serializers.BooleanField()
    slots = SlotSerializer(many=True)


class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    """Rooms: bookable ones for residents, the scope's rooms for workbench users."""

    serializer_class = RoomSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["hall", "kind"]
    search_fields = ["name", "hall__name"]

    def get_queryset(self) -> QuerySet[Room]:
        if getattr(self, "swagger_fake_view", False):
            return Room.objects.none()
        user = self.request.user
        rooms = Room.objects.visible_to(user) if user.uses_workbench else Room.objects.public()
        return (
            rooms.select_related("hall")
            .prefetch_related("photos", "hall__photos")
            .order_by("hall__name", "name")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="First day, YYYY-MM-DD (default today)"),
            OpenApiParameter("end", str, description="Last day, YYYY-MM-DD (at most 31 days)"),
        ],
        responses=DaySerializer(many=True),
    )
    @action(detail=True, pagination_class=None)
    def availability(self, request: Request, pk: str | None = None) -> Response:
        # The room alone: the photos the list and detail prefetch are not shown here.
        room = get_object_or_404(self.get_queryset().prefetch_related(None), pk=pk)
        try:
            start = (
                dt.date.fromisoformat(request.query_params.get("start") or "")
                if request.query_params.get("start")
                else timezone.localdate()
            )
            end = (
                dt.date.fromisoformat(request.query_params["end"])
                if request.query_params.get("end")
                else start + dt.timedelta(days=6)
            )
        except ValueError:
            return Response(
                {"detail": _("Dates are written YYYY-MM-DD.")}, status=status.HTTP_400_BAD_REQUEST
            )
        days = (end - start).days + 1
        if days < 1 or days > 31:
            return Response(
                {
                    "detail": _("Ask for 1 to 31 days at a time."),
                    "end": [_("Ask for 1 to 31 days at a time.")],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(DaySerializer(room_days(room, start, days), many=True).data)


class BookingRoomField(serializers.PrimaryKeyRelatedField):
    """The room of a new booking, read once with its hall and whether residents may book it,
    so that the view neither reads it again nor tells a missing room from a hidden one
    differently than before (missing: 400 on the field; not bookable by residents: 404)."""

    def get_queryset(self) -> QuerySet[Room]:
        return (
            Room.objects.select_related("hall")
            .annotate(is_public=Exists(Room.objects.public().filter(pk=OuterRef("pk"))))
            .order_by()
        )


class BookingSerializer(serializers.ModelSerializer):
    room = BookingRoomField(queryset=Room.objects.all())
    room_name = serializers.CharField(source="room.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "room",
            "room_name",
            "kind",
            "organization",
            "purpose",
            "attendees",
            "starts_at",
            "ends_at",
            "status",
            "status_display",
            "check_in_code",
            "hold_expires_at",
            "decision_reason",
            "checked_in_at",
            "created_at",
        ]
        read_only_fields = [
            "kind",
            "status",
            "check_in_code",
            "hold_expires_at",
            "decision_reason",
            "checked_in_at",
            "created_at",
        ]
        extra_kwargs = {"attendees": {"min_value": 1, "max_value": 1000}}


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8, min_length=8)


class BookingViewSet(viewsets.ReadOnlyModelViewSet):
    """Bookings: a resident's own, or those in the caller's scope. POST books a room (a
    resident for themselves; a secretary or staff for a branch with `organization`)."""

    serializer_class = BookingSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["room", "status", "kind"]
    ordering_fields = ["starts_at", "created_at"]
    ordering = ["starts_at"]

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        user = self.request.user
        if user.uses_workbench:
            rows = Booking.objects.visible_to(user)
        else:
            rows = Booking.objects.of_resident(user)
        return rows.select_related("room")

    def _require(self, perm: str) -> None:
        if not (self.request.user.uses_workbench and self.request.user.has_perm(perm)):
            raise PermissionDenied

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        organization = data.get("organization")
        if organization is not None:
            self._require("venues.add_booking")
            organization = get_object_or_404(
                Organization.objects.visible_to(user), pk=organization.pk
            )
            room = get_object_or_404(
                Room.objects.visible_to(user).select_related("hall"), pk=data["room"].pk
            )
            booking = services.book_internal(
                room=room,
                organization=organization,
                booked_by=user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                attendees=data["attendees"],
                purpose=data["purpose"],
            )
        else:
            room = data["room"]
            if not room.is_public:
                raise Http404
            booking = services.book_room(
                room=room,
                resident=user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                attendees=data["attendees"],
                purpose=data["purpose"],
            )
        return Response(self.get_serializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        user = request.user
        if (
            user.uses_workbench
            and not user.has_perm("venues.change_booking")
            and booking.kind != "internal"
        ):
            raise PermissionDenied
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        booking = services.cancel_booking(
            booking=booking, by=request.user, reason=reason.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(booking).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        self._require("venues.change_booking")
        booking = services.approve_booking(booking=self.get_object(), by=request.user)
        return Response(self.get_serializer(booking).data)

    @extend_schema(request=ReasonSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        self._require("venues.change_booking")
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        booking = services.reject_booking(
            booking=self.get_object(),
            by=request.user,
            reason=reason.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(booking).data)

    @extend_schema(request=CheckInSerializer, responses=BookingSerializer)
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in(self, request: Request) -> Response:
        self._require("venues.change_booking")
        payload = CheckInSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        booking = get_object_or_404(
            Booking.objects.visible_to(request.user),
            check_in_code=payload.validated_data["code"].strip().upper(),
        )
        booking = services.check_in(booking=booking, by=request.user)
        return Response(self.get_serializer(booking).data)
