"""Changing how a hall is set up: a room's division and whether it is open, a hall closing,
and the sub-district's booking policy.

The invariant kept here: no holding booking is orphaned by a change of set-up. A booking's
`BookingSpan` rows name the physical parts it occupied when it was made; if a room is later
divided, joined to a whole, moved or taken apart while upcoming bookings exist, those spans no
longer match what a new booking occupies, and the exclusion constraint could no longer see the
overlap. So such a change is refused while the rooms concerned hold upcoming bookings, and the
message says which and until when; the bookings are cancelled through the booking services
first (residents are told), then the change is made. Closing a room or a hall is refused the
same way, so that nobody arrives to a closed door with a confirmed booking.

A booking written at the very instant of such a change is not excluded on PostgreSQL (bookings
do not lock room rows); set-up changes are rare admin work, and the check runs again on save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from accounts.services import record_audit
from venues import rules
from venues.models import (
    HOLDING_STATUSES,
    Booking,
    BookingPolicy,
    BookingSpan,
    ClosedPeriod,
    OpeningHours,
    Room,
    ServiceHall,
    Weekday,
)

POLICY_FIELDS = (
    "waitlist_hold_minutes",
    "no_show_minutes",
    "no_show_limit",
    "no_show_window_days",
    "suspension_days",
    "reminder_hours",
)


class SetupChangeRefused(DomainError):
    """A change of a hall's set-up would orphan upcoming bookings, or makes no sense."""


def upcoming_bookings(room_ids: Iterable[int], now: dt.datetime | None = None) -> Any:
    """Holding bookings not yet over that are of one of the rooms or occupy one of them."""
    ids = {pk for pk in room_ids if pk}
    now = now or timezone.now()
    occupying = BookingSpan.objects.filter(
        room_id__in=ids, is_holding=True, ends_at__gt=now
    ).values("booking_id")
    return Booking.objects.filter(
        Q(room_id__in=ids) | Q(pk__in=occupying),
        status__in=HOLDING_STATUSES,
        ends_at__gt=now,
    ).order_by("starts_at")


def _refuse_if_booked(bookings: Any, message: str, field: str) -> None:
    first = bookings.first()
    if first is None:
        return
    raise SetupChangeRefused(
        message
        % {
            "count": bookings.count(),
            "first": formats.date_format(timezone.localtime(first.starts_at), "Y-m-d H:i"),
        },
        field=field,
    )


def check_room_change(*, room: Room, now: dt.datetime | None = None) -> None:
    """Refuse a room's new values (not yet saved) when they break the set-up or would orphan
    upcoming bookings. Called by the admin form, then again by `save_room`."""
    parent = room.parent if room.parent_id else None
    if parent is not None:
        if room.pk and parent.pk == room.pk:
            raise SetupChangeRefused(_("A room cannot be a part of itself."), field="parent")
        if parent.hall_id != room.hall_id:
            raise SetupChangeRefused(
                _("A room can only be a part of a room in the same hall."), field="parent"
            )
        if parent.parent_id:
            raise SetupChangeRefused(
                _("%(room)s is itself a part; a part cannot be divided further.")
                % {"room": parent.name},
                field="parent",
            )
        if room.pk and Room.objects.filter(parent_id=room.pk).exists():
            raise SetupChangeRefused(
                _("This room is divided into parts, so it cannot be a part of another room."),
                field="parent",
            )
    old = Room.objects.filter(pk=room.pk).first() if room.pk else None
    if old is None:
        # A new part divides its whole: the whole's upcoming bookings do not cover it.
        if parent is not None:
            _refuse_if_booked(
                upcoming_bookings([parent.pk], now),
                _(
                    "%(count)s upcoming bookings (the first on %(first)s) hold the whole room; "
                    "a new part would not be covered by them. Cancel or wait out those bookings "
                    "before dividing the room."
                ),
                "parent",
            )
        return
    if old.parent_id != room.parent_id or old.hall_id != room.hall_id:
        parts = Room.objects.filter(parent_id=room.pk).values_list("pk", flat=True)
        _refuse_if_booked(
            upcoming_bookings([room.pk, old.parent_id, room.parent_id, *parts], now),
            _(
                "%(count)s upcoming bookings (the first on %(first)s) hold this room or the "
                "room it is part of. Cancel them or wait until they are over before changing "
                "how the room is divided."
            ),
            "parent" if old.parent_id != room.parent_id else "hall",
        )
    if old.is_active and not room.is_active:
        _refuse_if_booked(
            upcoming_bookings([room.pk], now).filter(room_id=room.pk),
            _(
                "This room has %(count)s upcoming bookings (the first on %(first)s). Cancel "
                "them first (the residents are told), then close the room for booking."
            ),
            "is_active",
        )


def check_room_removal(*, room: Room, now: dt.datetime | None = None) -> None:
    parts = Room.objects.filter(parent_id=room.pk).values_list("pk", flat=True)
    _refuse_if_booked(
        upcoming_bookings([room.pk, room.parent_id, *parts], now),
        _(
            "%(count)s upcoming bookings (the first on %(first)s) hold this room or the room it "
            "is part of; it cannot be deleted before they are cancelled or over."
        ),
        "room",
    )


def check_hall_change(*, hall: ServiceHall, now: dt.datetime | None = None) -> None:
    old = ServiceHall.objects.filter(pk=hall.pk).first() if hall.pk else None
    if old is not None and old.is_active and not hall.is_active:
        rooms = Room.objects.filter(hall_id=hall.pk).values_list("pk", flat=True)
        _refuse_if_booked(
            upcoming_bookings(rooms, now),
            _(
                "The hall's rooms have %(count)s upcoming bookings (the first on %(first)s). "
                "Cancel them first (the residents are told), then close the hall for booking."
            ),
            "is_active",
        )


def _lock_rooms(ids: Iterable[int]) -> None:
    ids = sorted({pk for pk in ids if pk})
    list(Room.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


@transaction.atomic
def save_room(*, room: Room, actor: User | None, changed: Iterable[str] = ()) -> Room:
    """Save a room's new values after `check_room_change`, audited."""
    is_new = room.pk is None
    _lock_rooms([room.pk, room.parent_id])
    check_room_change(room=room)
    room.save()
    record_audit(
        actor=actor,
        action="venues.room_created" if is_new else "venues.room_changed",
        target=room,
        data={"fields": sorted(changed)} if changed else None,
    )
    return room


@transaction.atomic
def delete_room(*, room: Room, actor: User | None) -> None:
    """Delete a room that holds no upcoming bookings; its photos' files go after commit
    (venues/receivers.py)."""
    _lock_rooms([room.pk, room.parent_id])
    check_room_removal(room=room)
    record_audit(actor=actor, action="venues.room_deleted", target=room)
    room.delete()


def check_hours_change(
    *,
    hall: ServiceHall,
    hours: dict[int, tuple[dt.time, dt.time] | None] | None = None,
    closed: tuple[dt.date, dt.date] | None = None,
) -> None:
    """Refuse new opening hours or a new closed period that would leave upcoming resident
    bookings outside (the admin's inlines call this; the pages go through the services)."""
    if hours is not None:
        _refuse_outside(
            _resident_bookings_outside(hall, hours, None),
            _(
                "%(count)s upcoming bookings (the first on %(first)s) would fall outside the new "
                "opening hours. Cancel them first (the residents are told), then change the "
                "hours."
            ),
            None,
        )
    if closed is not None:
        _refuse_outside(
            _resident_bookings_outside(hall, None, closed),
            _(
                "%(count)s upcoming bookings (the first on %(first)s) fall on these dates. "
                "Cancel them first (the residents are told), then close the hall."
            ),
            "starts_on",
        )


@transaction.atomic
def save_hall(*, hall: ServiceHall, actor: User | None, changed: Iterable[str] = ()) -> ServiceHall:
    is_new = hall.pk is None
    if not is_new:
        ServiceHall.objects.select_for_update().filter(pk=hall.pk).first()
    check_hall_change(hall=hall)
    hall.save()
    record_audit(
        actor=actor,
        action="venues.hall_created" if is_new else "venues.hall_changed",
        target=hall,
        data={"fields": sorted(changed)} if changed else None,
    )
    return hall


@transaction.atomic
def update_booking_policy(
    *, sub_district_id: int, values: dict[str, int], actor: User | None
) -> BookingPolicy:
    """Save a sub-district's local booking figures (RULES.md: local → editable), validated by
    the model's ranges, with the old and new values in the audit entry."""
    policy = BookingPolicy.objects.select_for_update().filter(
        sub_district_id=sub_district_id
    ).first() or BookingPolicy(sub_district_id=sub_district_id)
    before = {name: getattr(policy, name) for name in POLICY_FIELDS}
    for name in POLICY_FIELDS:
        if name in values:
            setattr(policy, name, values[name])
    try:
        policy.full_clean(exclude=["sub_district"])
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise SetupChangeRefused(errors[0], field=field) from None
    after = {name: getattr(policy, name) for name in POLICY_FIELDS}
    policy.save()
    record_audit(
        actor=actor,
        action="venues.booking_policy_changed",
        target=policy,
        data={
            name: {"from": before[name], "to": after[name]}
            for name in POLICY_FIELDS
            if before[name] != after[name]
        },
    )
    return policy


# --- opening hours and closed dates ------------------------------------------------------


def _resident_bookings_outside(
    hall: ServiceHall,
    hours: dict[int, tuple[dt.time, dt.time] | None],
    closed: tuple[dt.date, dt.date] | None,
    now: dt.datetime | None = None,
) -> list[Booking]:
    """Upcoming resident bookings that new hours or a new closed period would leave outside.
    Internal bookings and blocks are the staff's own and do not follow opening hours."""
    upcoming = (
        Booking.objects.filter(
            room__hall=hall,
            kind="resident",
            status__in=HOLDING_STATUSES,
            ends_at__gt=now or timezone.now(),
        )
        .only("starts_at", "ends_at")
        .order_by("starts_at")
    )
    outside = []
    for booking in upcoming:
        start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
        if closed is not None and closed[0] <= start.date() <= closed[1]:
            outside.append(booking)
            continue
        if hours is None:
            continue
        day = hours.get(start.weekday())
        if (
            day is None
            or start.time() < day[0]
            or end > rules.closing_moment(start.date(), day[1], start.tzinfo)
        ):
            outside.append(booking)
    return outside


def _refuse_outside(outside: list[Booking], message: str, field: str | None) -> None:
    if outside:
        first = formats.date_format(timezone.localtime(outside[0].starts_at), "Y-m-d H:i")
        raise SetupChangeRefused(message % {"count": len(outside), "first": first}, field=field)


@transaction.atomic
def set_opening_hours(
    *,
    hall: ServiceHall,
    hours: dict[int, tuple[dt.time, dt.time] | None],
    actor: User | None,
) -> None:
    """Replace a hall's weekly opening hours (a weekday mapped to None is closed). Refused
    while upcoming resident bookings would fall outside the new hours."""
    ServiceHall.objects.select_for_update().filter(pk=hall.pk).first()
    for weekday, span in hours.items():
        if span is not None and not rules.opens_before_closing(*span):
            raise SetupChangeRefused(
                _("On %(day)s the hall must open before it closes.")
                % {"day": Weekday(weekday).label},
                field=f"opens_{weekday}",
            )
    check_hours_change(hall=hall, hours=hours)
    OpeningHours.objects.filter(hall=hall).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(hall=hall, weekday=weekday, opens_at=span[0], closes_at=span[1])
        for weekday, span in sorted(hours.items())
        if span is not None
    )
    record_audit(
        actor=actor,
        action="venues.opening_hours_changed",
        target=hall,
        data={
            str(weekday): f"{span[0]:%H:%M}-{rules.closing_label(span[1])}" if span else None
            for weekday, span in sorted(hours.items())
        },
    )


@transaction.atomic
def add_closed_period(
    *, hall: ServiceHall, starts_on: dt.date, ends_on: dt.date, reason: str, actor: User | None
) -> ClosedPeriod:
    """Close a hall on some dates (a holiday, maintenance). Refused while upcoming resident
    bookings fall on those dates, so nobody finds a closed door."""
    ServiceHall.objects.select_for_update().filter(pk=hall.pk).first()
    if ends_on < starts_on:
        raise SetupChangeRefused(_("The last day cannot be before the first."), field="ends_on")
    check_hours_change(hall=hall, closed=(starts_on, ends_on))
    period = ClosedPeriod.objects.create(
        hall=hall, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )
    record_audit(
        actor=actor,
        action="venues.closed_period_added",
        target=hall,
        data={"from": starts_on.isoformat(), "until": ends_on.isoformat(), "reason": period.reason},
    )
    return period


@transaction.atomic
def remove_closed_period(*, period: ClosedPeriod, actor: User | None) -> None:
    hall = period.hall
    data = {"from": period.starts_on.isoformat(), "until": period.ends_on.isoformat()}
    period.delete()
    record_audit(actor=actor, action="venues.closed_period_removed", target=hall, data=data)
