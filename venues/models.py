"""Service halls (党群服务中心), their rooms, and bookings of the rooms.

The one invariant that matters: a physical room is never held twice for overlapping time. Each
booking writes one `BookingSpan` per physical part it occupies (a whole room that is divided
into two writes a span for each half), and PostgreSQL refuses overlapping holding spans of one
part with an exclusion constraint (migration 0002; see docs/adr/0004-room-booking-integrity.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from venues.querysets import (
    BookingQuerySet,
    HallChildQuerySet,
    HallPhotoQuerySet,
    RoomPhotoQuerySet,
    RoomQuerySet,
    ServiceHallQuerySet,
    SubDistrictOwnedQuerySet,
)


class BookingPolicy(models.Model):
    """The local figures of a sub-district's booking rules (RULES.md: local → a setting).

    One row per sub-district, edited by its staff in the admin; `for_sub_district` falls back
    to the defaults below when a sub-district has not saved its own.
    """

    sub_district = models.OneToOneField(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="booking_policy",
        verbose_name=_("sub-district"),
    )
    waitlist_hold_minutes = models.PositiveIntegerField(
        _("waiting-list hold (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text=_("How long a freed slot is held for the first resident on the waiting list."),
    )
    no_show_minutes = models.PositiveIntegerField(
        _("no-show after (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("A booking not checked in this long after its start is released."),
    )
    no_show_limit = models.PositiveIntegerField(
        _("no-shows before suspension"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    no_show_window_days = models.PositiveIntegerField(
        _("no-show window (days)"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )
    suspension_days = models.PositiveIntegerField(
        _("suspension (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    reminder_hours = models.PositiveIntegerField(
        _("reminder before a booking (hours)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubDistrictOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")

    def __str__(self) -> str:
        return str(self.sub_district)

    @classmethod
    def for_sub_district(cls, sub_district_id: int) -> BookingPolicy:
        policy = cls.objects.filter(sub_district_id=sub_district_id).first()
        return policy or cls(sub_district_id=sub_district_id)


class ServiceHall(models.Model):
    """A party-mass service centre (党群服务中心) run by a sub-district."""

    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.PROTECT,
        related_name="service_halls",
        verbose_name=_("sub-district"),
    )
    community = models.ForeignKey(
        "branches.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_halls",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    rules_text = models.TextField(_("house rules"), blank=True)
    is_active = models.BooleanField(_("open for booking"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ServiceHallQuerySet.as_manager()

    class Meta:
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")
        ordering = ["sub_district", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "name"], name="hall_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """When a hall is open on one weekday. A weekday without a row is a closed day."""

    hall = models.ForeignKey(
        ServiceHall, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("hall")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    objects = HallChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["hall", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "weekday"], name="opening_hours_one_per_day"),
            models.CheckConstraint(
                name="opening_hours_open_before_close",
                # A closing time of 00:00 is midnight, the end of the day (venues.rules).
                condition=Q(opens_at__lt=models.F("closes_at")) | Q(closes_at=dt.time(0)),
            ),
        ]

    def __str__(self) -> str:
        closes = "24:00" if self.closes_at == dt.time(0) else f"{self.closes_at:%H:%M}"
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{closes}"


class ClosedPeriod(models.Model):
    """Dates a hall is closed (holidays, maintenance), both ends included."""

    hall = models.ForeignKey(
        ServiceHall, on_delete=models.CASCADE, related_name="closed_periods", verbose_name=_("hall")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=100)

    objects = HallChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("closed dates")
        verbose_name_plural = _("closed dates")
        ordering = ["hall", "starts_on"]
        constraints = [
            models.CheckConstraint(
                name="closed_period_in_order", condition=Q(starts_on__lte=models.F("ends_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on} {self.reason}"


class RoomKind(models.TextChoices):
    MULTI_FUNCTION = "multi_function", _("Multi-function room")
    MEETING = "meeting", _("Meeting room")
    READING = "reading", _("Reading area")
    VIDEO_STUDY = "video_study", _("Video study area")
    DANCE = "dance", _("Dance room")
    CHILDREN = "children", _("Children's room")
    CLASSROOM = "classroom", _("Classroom")
    LEISURE = "leisure", _("Leisure bar")
    SPORTS = "sports", _("Sports area")
    RELAXATION = "relaxation", _("Decompression area")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Residents")
    MEMBERS = "members", _("Party members")
    STAFF = "staff", _("Staff only")


class Room(models.Model):
    """A bookable room with its own booking rules. `parent` makes it a part of a larger room:
    booking the whole blocks every part, and a part blocks the whole."""

    hall = models.ForeignKey(
        ServiceHall, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("hall")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    equipment = models.CharField(_("equipment"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("who may book"), max_length=10, choices=Audience.choices, default=Audience.RESIDENTS
    )
    requires_approval = models.BooleanField(_("bookings need approval"), default=False)
    slot_minutes = models.PositiveIntegerField(
        _("slot size (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    min_minutes = models.PositiveIntegerField(
        _("shortest booking (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    max_minutes = models.PositiveIntegerField(
        _("longest booking (minutes)"), default=240, validators=[MinValueValidator(5)]
    )
    advance_days = models.PositiveIntegerField(
        _("bookable days ahead"),
        default=14,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
    )
    cancel_hours = models.PositiveIntegerField(
        _("cancel up to (hours before)"), default=2, validators=[MaxValueValidator(24 * 14)]
    )
    weekly_limit = models.PositiveIntegerField(
        _("bookings per resident per week"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    buffer_minutes = models.PositiveIntegerField(
        _("gap between bookings (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    is_active = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["hall", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "name"], name="room_unique_name"),
            models.CheckConstraint(
                name="room_min_not_above_max", condition=Q(min_minutes__lte=models.F("max_minutes"))
            ),
            models.CheckConstraint(name="room_not_own_part", condition=~Q(parent=models.F("id"))),
        ]

    def __str__(self) -> str:
        return self.name


def photo_path(instance: Photo, filename: str) -> str:
    # A random name under MEDIA_ROOT: nothing of the uploader's file name or of the hall.
    return f"venues/photos/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """A photo as stored: re-encoded as JPEG without metadata, with a thumbnail
    (see venues/photos.py). Served by a view that checks who may see it, never by the web
    server from MEDIA_ROOT."""

    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MaxValueValidator(999)]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.caption or str(_("Photo"))

    owner_kind: str = ""

    @property
    def owner(self) -> models.Model:
        return getattr(self, self.owner_kind)

    @property
    def url(self) -> str:
        return reverse(
            "public:venues-photo", kwargs={"owner": self.owner_kind, "pk": self.pk, "size": "full"}
        )

    @property
    def thumbnail_url(self) -> str:
        return reverse(
            "public:venues-photo",
            kwargs={"owner": self.owner_kind, "pk": self.pk, "size": "thumbnail"},
        )


class HallPhoto(Photo):
    owner_kind = "hall"

    hall = models.ForeignKey(
        ServiceHall, on_delete=models.CASCADE, related_name="photos", verbose_name=_("hall")
    )

    objects = HallPhotoQuerySet.as_manager()

    class Meta(Photo.Meta):
        verbose_name = _("hall photo")
        verbose_name_plural = _("hall photos")
        indexes = [models.Index(fields=["hall", "order"])]


class RoomPhoto(Photo):
    owner_kind = "room"

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="photos", verbose_name=_("room")
    )

    objects = RoomPhotoQuerySet.as_manager()

    class Meta(Photo.Meta):
        verbose_name = _("room photo")
        verbose_name_plural = _("room photos")
        indexes = [models.Index(fields=["room", "order"])]


class BookingKind(models.TextChoices):
    RESIDENT = "resident", _("Resident booking")
    INTERNAL = "internal", _("Internal booking")
    BLOCK = "block", _("Blocked (maintenance)")


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held for you (waiting list)")
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")
    NO_SHOW = "no_show", _("No-show (released)")
    EXPIRED = "expired", _("Offer expired")


# Statuses in which a booking occupies its room.
HOLDING_STATUSES = frozenset(
    {BookingStatus.HELD, BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN}
)


def new_check_in_code() -> str:
    # No 0/O/1/I: read aloud or typed from a phone screen.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Booking(models.Model):
    """One booking of a room: a resident's, an internal one for a branch, or a block."""

    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=BookingKind.choices, default=BookingKind.RESIDENT
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name=_("resident"),
    )
    organization = models.ForeignKey(
        "branches.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name=_("branch"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveIntegerField(_("number of people"), default=1)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    check_in_code = models.CharField(
        _("check-in code"), max_length=8, unique=True, default=new_check_in_code, editable=False
    )
    hold_expires_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["resident", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="booking_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(
                name="booking_resident_has_resident",
                condition=~Q(kind="resident") | Q(resident__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class BookingSpan(models.Model):
    """The time one booking occupies one physical room part (buffer included).

    PostgreSQL's exclusion constraint on (part, time range) where `is_holding` is the guard
    against double booking; `is_holding` is cleared when the booking stops holding.
    """

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="spans", verbose_name=_("booking")
    )
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="spans", verbose_name=_("room part")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_holding = models.BooleanField(_("holding"), default=True)

    class Meta:
        verbose_name = _("booking span")
        verbose_name_plural = _("booking spans")
        indexes = [models.Index(fields=["room", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                name="span_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at}–{self.ends_at}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Offer expired")
    CANCELLED = "cancelled", _("Cancelled")


class WaitlistEntry(models.Model):
    """A resident queueing for a taken slot; when it frees, the first in line is offered it."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("room")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=_("resident"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveIntegerField(_("number of people"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offer = models.OneToOneField(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entry",
        verbose_name=_("held booking"),
    )
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    objects = HallChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "resident", "starts_at"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_live_entry_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"


class Suspension(models.Model):
    """A resident's booking right suspended after repeated no-shows."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="booking_suspensions",
        verbose_name=_("resident"),
    )
    sub_district = models.ForeignKey(
        "branches.SubDistrict",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sub-district"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SubDistrictOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking suspension")
        verbose_name_plural = _("booking suspensions")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.resident} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"
