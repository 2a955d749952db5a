"""Every write of the venues app: booking, deciding, cancelling, checking in, blocking.

Invariant: a physical room part is never held twice for overlapping time. Each booking writes
one `BookingSpan` per physical part it occupies; on PostgreSQL an exclusion constraint refuses
an overlapping holding span, on SQLite the transaction is serialised by taking the write lock
first. Either way the loser gets `BookingConflict` and nothing of its booking is written.
See docs/adr/0004-room-booking-integrity.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.locks import lock_owner
from accounts.models import ResidentProfile, User
from accounts.services import notify_user, record_audit
from venues import rules
from venues.models import (
    HOLDING_STATUSES,
    Booking,
    BookingKind,
    BookingPolicy,
    BookingSpan,
    BookingStatus,
    ClosedPeriod,
    OpeningHours,
    Room,
    Suspension,
    WaitlistEntry,
    WaitlistStatus,
)
from venues.rules import BookingConflict, BookingRefused, already_booked

EXCLUSION_VIOLATION = "23P01"


# --- facts the rules need ---------------------------------------------------------------


def physical_parts(room: Room) -> list[int]:
    """The physical parts a booking of `room` occupies: its parts if divided, else itself."""
    parts = sorted(Room.objects.filter(parent_id=room.pk).order_by().values_list("pk", flat=True))
    return parts or [room.pk]


def opening_hours(hall_id: int) -> dict[int, tuple[dt.time, dt.time]]:
    # order_by(): the models' default ordering would join the hall and its sub-district.
    return {
        weekday: (opens, closes)
        for weekday, opens, closes in OpeningHours.objects.filter(hall_id=hall_id)
        .order_by()
        .values_list("weekday", "opens_at", "closes_at")
    }


def closed_periods(
    hall_id: int, first: dt.date, last: dt.date
) -> list[tuple[dt.date, dt.date, str]]:
    return list(
        ClosedPeriod.objects.filter(hall_id=hall_id, starts_on__lte=last, ends_on__gte=first)
        .order_by("starts_on", "pk")
        .values_list("starts_on", "ends_on", "reason")
    )


def active_suspension(user: User, sub_district_id: int, now: dt.datetime) -> Suspension | None:
    return _suspensions(user, sub_district_id, now).first()


def _suspensions(user: User, sub_district_id: int, now: dt.datetime) -> Any:
    return Suspension.objects.filter(
        resident=user,
        sub_district_id=sub_district_id,
        starts_at__lte=now,
        ends_at__gt=now,
        lifted_at=None,
    ).order_by("-ends_at")


@dataclass(frozen=True)
class BookingFacts:
    """What the rules of one resident's request read from the database, in one query: the
    hall's hours on the requested weekday, why the hall is closed that day, whether the
    resident is a confirmed member, their suspension, and whether the room is divided."""

    hours: dict[int, tuple[dt.time, dt.time]]
    closed: list[tuple[dt.date, dt.date, str]]
    is_member: bool
    suspended_until: dt.datetime | None
    divided: bool


def booking_facts(room: Room, resident: User, day: dt.date, now: dt.datetime) -> BookingFacts:
    """One statement of scalar subqueries (each an index lookup), instead of one query per
    rule. `room.hall` must be loaded (the callers fetch the room with its hall)."""
    hours = OpeningHours.objects.filter(hall_id=room.hall_id, weekday=day.weekday()).order_by()
    closed = ClosedPeriod.objects.filter(
        hall_id=room.hall_id, starts_on__lte=day, ends_on__gte=day
    ).order_by("starts_on", "pk")
    row = (
        Room.objects.filter(pk=room.pk)
        .order_by()
        .values(
            opens=Subquery(hours.values("opens_at")[:1]),
            closes=Subquery(hours.values("closes_at")[:1]),
            closed_reason=Subquery(closed.values("reason")[:1]),
            is_member=Exists(
                ResidentProfile.objects.filter(user_id=resident.pk, is_party_member=True)
            ),
            suspended_until=Subquery(
                _suspensions(resident, room.hall.sub_district_id, now).values("ends_at")[:1]
            ),
            divided=Exists(Room.objects.filter(parent_id=OuterRef("pk"))),
        )
        .get()
    )
    return BookingFacts(
        hours={day.weekday(): (row["opens"], row["closes"])} if row["opens"] is not None else {},
        closed=[(day, day, row["closed_reason"])] if row["closed_reason"] else [],
        is_member=row["is_member"],
        suspended_until=row["suspended_until"],
        divided=row["divided"],
    )


def _check_times(
    room: Room,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    now: dt.datetime,
    facts: BookingFacts,
) -> None:
    """The rules about the requested time alone, in the order a person would fix them."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    rules.check_order(start, end)
    rules.check_not_past(start, now)
    rules.check_slot_grid(start, end, room.slot_minutes)
    rules.check_length(int((end - start).total_seconds() // 60), room.min_minutes, room.max_minutes)
    rules.check_advance(start.date(), timezone.localdate(now), room.advance_days)
    rules.check_open_day(start.date(), facts.hours, facts.closed)
    rules.check_opening_hours(start, end, facts.hours)


# --- the integrity core -----------------------------------------------------------------


def _serialise(parts: list[int]) -> None:
    """On SQLite, take the database write lock before reading, so that the check below and
    the insert form one serialised step. PostgreSQL relies on its exclusion constraint."""
    if connection.vendor == "sqlite":
        Room.objects.filter(pk__in=parts).update(is_active=F("is_active"))


def _holding_near(
    room: Room, parts: list[int], starts_at: dt.datetime, ends_at: dt.datetime
) -> tuple[Any, Any]:
    """(taken, near): whether a holding span of the parts overlaps the request, and whether
    one lies within the room's buffer of it, as `Exists` expressions for one statement.
    Existing spans already carry their own buffer; ours extends past our end."""
    buffer = dt.timedelta(minutes=room.buffer_minutes)
    near = BookingSpan.objects.filter(
        room_id__in=parts,
        is_holding=True,
        starts_at__lt=ends_at + buffer,
        ends_at__gt=starts_at,
    )
    taken = near.filter(booking__starts_at__lt=ends_at, booking__ends_at__gt=starts_at)
    return Exists(taken), Exists(near)


def _refuse_if_not_free(room: Room, taken: bool, near: bool) -> None:
    if taken:
        raise already_booked()
    if near:
        rules.check_buffer_free(True, room.buffer_minutes)


def _check_free(room: Room, parts: list[int], starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Refuse a taken slot ("already booked") or one too close to a neighbour (buffer).

    One statement, so both answers come from the same snapshot: under READ COMMITTED a
    second query could see a booking committed in between and give the wrong message.
    """
    taken, near = _holding_near(room, parts, starts_at, ends_at)
    row = Room.objects.filter(pk=room.pk).order_by().values(taken=taken, near=near).get()
    _refuse_if_not_free(room, row["taken"], row["near"])


def _write_spans(booking: Booking, parts: list[int], buffer_minutes: int) -> None:
    """Occupy every physical part; the exclusion constraint refuses a lost race."""
    end = booking.ends_at + dt.timedelta(minutes=buffer_minutes)
    # No savepoint of its own: every caller runs in a transaction that a conflict ends (the
    # waiting list's offer has its own `atomic` around the whole booking).
    try:
        BookingSpan.objects.bulk_create(
            BookingSpan(booking=booking, room_id=part, starts_at=booking.starts_at, ends_at=end)
            for part in parts
        )
    except IntegrityError as exc:
        cause = getattr(exc, "__cause__", None)
        if getattr(cause, "pgcode", None) == EXCLUSION_VIOLATION or connection.vendor == "sqlite":
            raise already_booked() from exc
        raise


def _release(booking: Booking) -> None:
    BookingSpan.objects.filter(booking=booking).update(is_holding=False)


def _create_booking(
    *,
    room: Room,
    parts: list[int],
    status: str,
    **fields: Any,
) -> Booking:
    booking = Booking(room=room, status=status, **fields)
    booking.save()
    _write_spans(booking, parts, room.buffer_minutes)
    return booking


# --- resident bookings ------------------------------------------------------------------


def book_room(
    *,
    room: Room,
    resident: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    attendees: int,
    purpose: str,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a room for a resident, under every rule of the room and the hall.

    Pending when the room needs approval, else confirmed. Raises `BookingRefused` for a broken
    rule and `BookingConflict` when the slot is taken (also when another request won a race).
    """
    now = now or timezone.now()
    if not room.is_active or not room.hall.is_active:
        raise BookingRefused(_("This room is not open for booking."), field="room")
    facts = booking_facts(room, resident, timezone.localdate(starts_at), now)
    rules.check_audience(room.audience, is_confirmed_member=facts.is_member)
    _check_times(room, starts_at, ends_at, now, facts)
    rules.check_capacity(attendees, room.capacity)
    parts = physical_parts(room) if facts.divided else [room.pk]
    with transaction.atomic():
        _serialise(parts)
        # One resident's bookings are checked one at a time (weekly limit): the count below
        # is a statement after the lock, so it sees what the previous holder committed.
        lock_owner(resident)
        rules.check_not_suspended(facts.suspended_until)
        week_start, week_end = rules.week_bounds(timezone.localdate(starts_at))
        tz = timezone.get_current_timezone()
        in_week = (
            Booking.objects.of_resident(resident)
            .filter(room_id=room.pk, status__in=HOLDING_STATUSES)
            .filter(
                starts_at__gte=dt.datetime.combine(week_start, dt.time(), tz),
                starts_at__lt=dt.datetime.combine(week_end, dt.time(), tz),
            )
            .order_by()
            .values("resident_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        taken, near = _holding_near(room, parts, starts_at, ends_at)
        row = (
            Room.objects.filter(pk=room.pk)
            .order_by()
            .values(in_week=Coalesce(Subquery(in_week), 0), taken=taken, near=near)
            .get()
        )
        rules.check_weekly_limit(row["in_week"], room.weekly_limit)
        _refuse_if_not_free(room, row["taken"], row["near"])
        status = BookingStatus.PENDING if room.requires_approval else BookingStatus.CONFIRMED
        booking = _create_booking(
            room=room,
            parts=parts,
            status=status,
            kind=BookingKind.RESIDENT,
            resident=resident,
            booked_by=resident,
            starts_at=starts_at,
            ends_at=ends_at,
            attendees=attendees,
            purpose=purpose,
        )
        record_audit(actor=resident, action="booking.created", target=booking)
        _notify(booking, "pending" if status == BookingStatus.PENDING else "confirmed")
    return booking


def book_internal(
    *,
    room: Room,
    organization: Any,
    booked_by: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    attendees: int,
    purpose: str,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a room for a branch (a meeting, a lecture): confirmed at once.

    Staff know their halls, so opening hours, lead time and the weekly limit do not apply;
    the room's capacity, the past, and of course other bookings do.
    """
    now = now or timezone.now()
    rules.check_order(starts_at, ends_at)
    rules.check_not_past(starts_at, now)
    rules.check_capacity(attendees, room.capacity)
    parts = physical_parts(room)
    with transaction.atomic():
        _serialise(parts)
        _check_free(room, parts, starts_at, ends_at)
        booking = _create_booking(
            room=room,
            parts=parts,
            status=BookingStatus.CONFIRMED,
            kind=BookingKind.INTERNAL,
            organization=organization,
            booked_by=booked_by,
            starts_at=starts_at,
            ends_at=ends_at,
            attendees=attendees,
            purpose=purpose,
        )
        record_audit(actor=booked_by, action="booking.internal_created", target=booking)
    return booking


def block_room(
    *,
    room: Room,
    booked_by: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
) -> Booking:
    """Take a room out of use (maintenance, cleaning). Existing bookings must be cancelled
    first, so that nobody loses a booking without being told."""
    now = now or timezone.now()
    rules.check_order(starts_at, ends_at)
    rules.check_not_past(ends_at, now)
    parts = physical_parts(room)
    with transaction.atomic():
        _serialise(parts)
        _check_free(room, parts, starts_at, ends_at)
        booking = _create_booking(
            room=room,
            parts=parts,
            status=BookingStatus.CONFIRMED,
            kind=BookingKind.BLOCK,
            booked_by=booked_by,
            starts_at=starts_at,
            ends_at=ends_at,
            attendees=1,
            purpose=reason,
        )
        record_audit(actor=booked_by, action="booking.blocked", target=booking)
    return booking


# --- decisions --------------------------------------------------------------------------


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("room__hall").get(pk=booking.pk)


def approve_booking(*, booking: Booking, by: User) -> Booking:
    """Confirm a pending booking. The slot is already held, so approval cannot double-book."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.PENDING:
            raise BookingRefused(_("Only a booking awaiting approval can be approved."))
        if booking.starts_at <= timezone.now():
            raise BookingRefused(_("This booking has already started; it cannot be approved."))
        booking.status = BookingStatus.CONFIRMED
        booking.decided_by, booking.decided_at = by, timezone.now()
        booking.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        record_audit(actor=by, action="booking.approved", target=booking)
        _notify(booking, "approved")
    return booking


def reject_booking(*, booking: Booking, by: User, reason: str) -> Booking:
    """Refuse a pending booking with a reason the resident reads; the slot is freed."""
    reason = reason.strip()
    if not reason:
        raise BookingRefused(_("Please give the resident a reason."), field="reason")
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.PENDING:
            raise BookingRefused(_("Only a booking awaiting approval can be rejected."))
        booking.status = BookingStatus.REJECTED
        booking.decided_by, booking.decided_at = by, timezone.now()
        booking.decision_reason = reason[:300]
        booking.save(
            update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
        )
        _release(booking)
        record_audit(actor=by, action="booking.rejected", target=booking, data={"reason": reason})
        _notify(booking, "rejected")
        offer_freed_slot(room=booking.room, starts_at=booking.starts_at, ends_at=booking.ends_at)
    return booking


def cancel_booking(
    *, booking: Booking, by: User, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    """Cancel a booking. A resident cancels their own within the room's cancel deadline;
    staff (who passed the scope check) may cancel any holding booking. The slot goes to the
    waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status not in HOLDING_STATUSES:
            raise BookingRefused(_("This booking is no longer active."))
        by_owner = booking.resident_id == by.pk and booking.kind == BookingKind.RESIDENT
        if by_owner:
            if booking.status == BookingStatus.CHECKED_IN or booking.starts_at <= now:
                raise BookingRefused(_("This booking has already started."))
            if booking.status != BookingStatus.HELD:
                rules.check_cancellable(booking.starts_at, now, booking.room.cancel_hours)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.decision_reason = reason.strip()[:300]
        booking.save(update_fields=["status", "cancelled_at", "decision_reason", "updated_at"])
        _release(booking)
        WaitlistEntry.objects.filter(offer=booking).update(status=WaitlistStatus.CANCELLED)
        record_audit(actor=by, action="booking.cancelled", target=booking, data={"reason": reason})
        if not by_owner and booking.kind == BookingKind.RESIDENT:
            _notify(booking, "cancelled_by_staff")
        if booking.ends_at > now:
            offer_freed_slot(
                room=booking.room, starts_at=max(booking.starts_at, now), ends_at=booking.ends_at
            )
    return booking


CHECK_IN_EARLY = dt.timedelta(minutes=30)


def check_in(*, booking: Booking, by: User, now: dt.datetime | None = None) -> Booking:
    """Record that the people of a confirmed booking arrived (from 30 minutes before the start
    until the end); a checked-in booking is never released as a no-show."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == BookingStatus.CHECKED_IN:
            raise BookingRefused(
                _("Already checked in at %(time)s.")
                % {"time": formats.time_format(timezone.localtime(booking.checked_in_at), "H:i")}
            )
        if booking.status == BookingStatus.PENDING:
            raise BookingRefused(_("This booking is still awaiting approval."))
        if booking.status != BookingStatus.CONFIRMED:
            raise BookingRefused(
                _("This booking cannot be checked in: it is %(status)s.")
                % {"status": booking.get_status_display()}
            )
        if now < booking.starts_at - CHECK_IN_EARLY:
            raise BookingRefused(_("Too early: check-in opens 30 minutes before the start."))
        if now >= booking.ends_at:
            raise BookingRefused(_("This booking is over."))
        booking.status = BookingStatus.CHECKED_IN
        booking.checked_in_at, booking.checked_in_by = now, by
        booking.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
        record_audit(actor=by, action="booking.checked_in", target=booking)
    return booking


# --- waiting list -----------------------------------------------------------------------


def join_waitlist(
    *,
    room: Room,
    resident: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    attendees: int,
    purpose: str,
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    """Queue for a taken slot. The slot must be valid and actually taken (else: just book)."""
    now = now or timezone.now()
    facts = booking_facts(room, resident, timezone.localdate(starts_at), now)
    rules.check_audience(room.audience, is_confirmed_member=facts.is_member)
    _check_times(room, starts_at, ends_at, now, facts)
    rules.check_capacity(attendees, room.capacity)
    parts = physical_parts(room) if facts.divided else [room.pk]
    with transaction.atomic():
        rules.check_not_suspended(facts.suspended_until)
        try:
            _check_free(room, parts, starts_at, ends_at)
        except BookingConflict:
            pass
        else:
            raise BookingRefused(_("This slot is free: you can book it directly."))
        if WaitlistEntry.objects.filter(
            room=room,
            resident=resident,
            starts_at=starts_at,
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
        ).exists():
            raise BookingRefused(_("You are already on the waiting list for this slot."))
        entry = WaitlistEntry.objects.create(
            room=room,
            resident=resident,
            starts_at=starts_at,
            ends_at=ends_at,
            attendees=attendees,
            purpose=purpose,
        )
        record_audit(actor=resident, action="waitlist.joined", target=entry)
    return entry


def offer_freed_slot(*, room: Room, starts_at: dt.datetime, ends_at: dt.datetime) -> list[Booking]:
    """Offer a freed time to the waiting list, first in line first: each entry that now fits
    gets the slot held for the policy's hold time and is told. Runs inside the caller's
    transaction; an entry that still does not fit keeps its place."""
    now = timezone.now()
    family = Room.objects.family_ids(room)
    entries = (
        WaitlistEntry.objects.filter(
            room_id__in=family,
            status=WaitlistStatus.WAITING,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
            starts_at__gt=now,
        )
        .select_related("room__hall", "resident")
        .order_by("created_at", "id")
    )
    offers = []
    for entry in entries:
        policy = BookingPolicy.for_sub_district(entry.room.hall.sub_district_id)
        parts = physical_parts(entry.room)
        try:
            with transaction.atomic():
                _check_free(entry.room, parts, entry.starts_at, entry.ends_at)
                booking = _create_booking(
                    room=entry.room,
                    parts=parts,
                    status=BookingStatus.HELD,
                    kind=BookingKind.RESIDENT,
                    resident=entry.resident,
                    booked_by=entry.resident,
                    starts_at=entry.starts_at,
                    ends_at=entry.ends_at,
                    attendees=entry.attendees,
                    purpose=entry.purpose,
                    hold_expires_at=now + dt.timedelta(minutes=policy.waitlist_hold_minutes),
                )
        except (BookingConflict, BookingRefused):
            continue
        entry.status, entry.offer = WaitlistStatus.OFFERED, booking
        entry.save(update_fields=["status", "offer"])
        record_audit(actor=None, action="waitlist.offered", target=booking)
        _notify(booking, "offered")
        offers.append(booking)
    return offers


def accept_offer(*, booking: Booking, resident: User, now: dt.datetime | None = None) -> Booking:
    """The resident takes the held slot: it becomes an ordinary booking (pending approval
    when the room needs it)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        if booking.resident_id != resident.pk or booking.status != BookingStatus.HELD:
            raise BookingRefused(_("This offer is no longer open."))
        if booking.hold_expires_at and booking.hold_expires_at <= now:
            raise BookingRefused(_("This offer has expired; the slot went to the next in line."))
        room = booking.room
        booking.status = (
            BookingStatus.PENDING if room.requires_approval else BookingStatus.CONFIRMED
        )
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "hold_expires_at", "updated_at"])
        WaitlistEntry.objects.filter(offer=booking).update(status=WaitlistStatus.ACCEPTED)
        record_audit(actor=resident, action="waitlist.accepted", target=booking)
        _notify(booking, "pending" if booking.status == BookingStatus.PENDING else "confirmed")
    return booking


def expire_offer(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """Release a held slot nobody confirmed in time and pass it to the next in line.
    Claimed by a conditional update, so two scans never expire it twice."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Booking.objects.filter(
            pk=booking_id, status=BookingStatus.HELD, hold_expires_at__lte=now
        ).update(status=BookingStatus.EXPIRED, released_at=now, updated_at=now)
        if claimed != 1:
            return False
        booking = Booking.objects.select_related("room__hall").get(pk=booking_id)
        _release(booking)
        WaitlistEntry.objects.filter(offer=booking).update(status=WaitlistStatus.EXPIRED)
        record_audit(actor=None, action="waitlist.expired", target=booking)
        offer_freed_slot(room=booking.room, starts_at=booking.starts_at, ends_at=booking.ends_at)
    return True


# --- no-shows and reminders -------------------------------------------------------------


def release_no_show(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """Release a confirmed booking nobody checked in for within the policy's minutes; after
    K no-shows in the window the resident's booking is suspended. Safe to run twice."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("room__hall").filter(pk=booking_id).first()
    if booking is None:
        return False
    policy = BookingPolicy.for_sub_district(booking.room.hall.sub_district_id)
    cutoff = now - dt.timedelta(minutes=policy.no_show_minutes)
    with transaction.atomic():
        claimed = (
            Booking.objects.filter(
                pk=booking_id,
                status=BookingStatus.CONFIRMED,
                checked_in_at=None,
                starts_at__lte=cutoff,
            )
            .exclude(kind=BookingKind.BLOCK)
            .update(status=BookingStatus.NO_SHOW, released_at=now, updated_at=now)
        )
        if claimed != 1:
            return False
        booking.refresh_from_db()
        _release(booking)
        record_audit(actor=None, action="booking.no_show", target=booking)
        if booking.kind == BookingKind.RESIDENT and booking.resident_id:
            _notify(booking, "no_show")
            _suspend_if_due(booking, policy, now)
    return True


def _suspend_if_due(booking: Booking, policy: BookingPolicy, now: dt.datetime) -> None:
    sub_district_id = booking.room.hall.sub_district_id
    recent = Booking.objects.filter(
        resident_id=booking.resident_id,
        kind=BookingKind.RESIDENT,
        status=BookingStatus.NO_SHOW,
        room__hall__sub_district_id=sub_district_id,
        starts_at__gte=now - dt.timedelta(days=policy.no_show_window_days),
    ).count()
    if recent < policy.no_show_limit:
        return
    resident = booking.resident
    if active_suspension(resident, sub_district_id, now) is not None:
        return
    suspension = Suspension.objects.create(
        resident=resident,
        sub_district_id=sub_district_id,
        starts_at=now,
        ends_at=now + dt.timedelta(days=policy.suspension_days),
        reason=_("%(count)s no-shows in %(days)s days")
        % {"count": recent, "days": policy.no_show_window_days},
    )
    record_audit(actor=None, action="booking.suspended", target=resident)
    notify_user(
        user=resident,
        subject=str(_("Booking suspended")),
        body=str(
            _("After %(count)s bookings without showing up, you cannot book rooms until %(until)s.")
            % {
                "count": recent,
                "until": formats.date_format(
                    timezone.localtime(suspension.ends_at), "SHORT_DATETIME_FORMAT"
                ),
            }
        ),
    )


def lift_suspension(*, suspension: Suspension, by: User) -> None:
    with transaction.atomic():
        Suspension.objects.filter(pk=suspension.pk, lifted_at=None).update(lifted_at=timezone.now())
        record_audit(actor=by, action="booking.suspension_lifted", target=suspension.resident)


def send_reminder(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """Remind the resident of a confirmed booking once (claimed by a conditional update)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Booking.objects.filter(
            pk=booking_id,
            status=BookingStatus.CONFIRMED,
            kind=BookingKind.RESIDENT,
            reminder_sent_at=None,
            starts_at__gt=now,
        ).update(reminder_sent_at=now)
        if claimed != 1:
            return False
        booking = Booking.objects.select_related("room__hall", "resident").get(pk=booking_id)
        _notify(booking, "reminder")
    return True


def due_for_reminder(now: dt.datetime) -> list[int]:
    """Confirmed resident bookings starting within their sub-district's reminder window."""
    ids = []
    candidates = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        kind=BookingKind.RESIDENT,
        reminder_sent_at=None,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=72),
    ).values_list("pk", "starts_at", "room__hall__sub_district_id")
    hours: dict[int, int] = {}
    for pk, starts_at, sub_district_id in candidates:
        if sub_district_id not in hours:
            hours[sub_district_id] = BookingPolicy.for_sub_district(sub_district_id).reminder_hours
        if starts_at <= now + dt.timedelta(hours=hours[sub_district_id]):
            ids.append(pk)
    return ids


def due_no_shows(now: dt.datetime) -> list[int]:
    """Confirmed bookings whose start passed more than the shortest no-show grace (5 min);
    `release_no_show` applies each sub-district's own figure."""
    return list(
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            checked_in_at=None,
            starts_at__lte=now - dt.timedelta(minutes=5),
        )
        .exclude(kind=BookingKind.BLOCK)
        .filter(Q(ends_at__gt=now - dt.timedelta(days=1)))
        .values_list("pk", flat=True)[:1000]
    )


# --- notifications ----------------------------------------------------------------------


def _notify(booking: Booking, event: str) -> None:
    """Tell the resident about their booking through the outbox (email, SMS), after commit."""
    if booking.kind != BookingKind.RESIDENT or booking.resident is None:
        return
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    when = f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} {start:%H:%M}–{end:%H:%M}"
    place = f"{booking.room.hall.name} {booking.room.name}"
    details = {"place": place, "when": when, "code": booking.check_in_code}
    messages = {
        "confirmed": (
            _("Booking confirmed"),
            _("%(place)s, %(when)s. Your check-in code is %(code)s.") % details,
        ),
        "pending": (
            _("Booking received"),
            _("%(place)s, %(when)s is awaiting approval; we will tell you the decision.") % details,
        ),
        "approved": (
            _("Booking approved"),
            _("%(place)s, %(when)s is approved. Your check-in code is %(code)s.") % details,
        ),
        "rejected": (
            _("Booking rejected"),
            _("%(place)s, %(when)s was not approved: %(reason)s")
            % {**details, "reason": booking.decision_reason},
        ),
        "cancelled_by_staff": (
            _("Booking cancelled"),
            _("The hall cancelled your booking of %(place)s, %(when)s. %(reason)s")
            % {**details, "reason": booking.decision_reason},
        ),
        "reminder": (
            _("Booking reminder"),
            _("Reminder: %(place)s, %(when)s. Check in with code %(code)s.") % details,
        ),
        "offered": (
            _("A slot you waited for is free"),
            _(
                "%(place)s, %(when)s is held for you until %(until)s. Confirm it in "
                "My bookings, or it passes to the next in line."
            )
            % {
                **details,
                "until": timezone.localtime(booking.hold_expires_at).strftime("%H:%M")
                if booking.hold_expires_at
                else "",
            },
        ),
        "no_show": (
            _("Booking released"),
            _("Nobody checked in for %(place)s, %(when)s, so the room was released.") % details,
        ),
    }
    subject, body = messages[event]
    notify_user(user=booking.resident, subject=str(subject), body=str(body))
