"""The booking rules of a room, as pure functions: no ORM, each refusal with its own message.

The booking service gathers the facts (opening hours, closed dates, the resident's bookings that
week, a suspension) and calls these in a fixed order, so the person sees the first rule their
request breaks, phrased so they can fix it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils import formats
from django.utils.translation import gettext as _

from accounts.errors import Conflict, DomainError


class BookingRefused(DomainError):
    """A booking rule is broken (400 in the API, with the field to fix)."""


class BookingConflict(Conflict):
    """The slot is taken (409 in the API)."""


def already_booked() -> BookingConflict:
    return BookingConflict(
        _("This time is already booked. Please choose another slot or join the waiting list."),
        field="starts_at",
    )


def check_order(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise BookingRefused(_("The end must be after the start."), field="ends_at")


def check_not_past(starts_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at < now:
        raise BookingRefused(_("This time has already passed."), field="starts_at")


def check_slot_grid(starts_at: dt.datetime, ends_at: dt.datetime, slot_minutes: int) -> None:
    """Start and end fall on the room's slot grid, counted from local midnight."""
    for moment in (starts_at, ends_at):
        minutes = moment.hour * 60 + moment.minute
        if minutes % slot_minutes or moment.second or moment.microsecond:
            raise BookingRefused(
                _("Bookings of this room start and end on %(slot)s-minute slots.")
                % {"slot": slot_minutes},
                field="starts_at",
            )


def check_length(minutes: int, min_minutes: int, max_minutes: int) -> None:
    if minutes < min_minutes:
        raise BookingRefused(
            _("This room is booked for at least %(minutes)s minutes.") % {"minutes": min_minutes},
            field="ends_at",
        )
    if minutes > max_minutes:
        raise BookingRefused(
            _("A booking of this room may last at most %(minutes)s minutes.")
            % {"minutes": max_minutes},
            field="ends_at",
        )


def check_advance(day: dt.date, today: dt.date, advance_days: int) -> None:
    if (day - today).days > advance_days:
        raise BookingRefused(
            _("This room can be booked at most %(days)s days ahead.") % {"days": advance_days},
            field="starts_at",
        )


def closed_reason(day: dt.date, closed_periods: Iterable[tuple[dt.date, dt.date, str]]) -> str:
    for starts_on, ends_on, reason in closed_periods:
        if starts_on <= day <= ends_on:
            return reason
    return ""


def check_open_day(
    day: dt.date,
    hours: Mapping[int, tuple[dt.time, dt.time]],
    closed_periods: Iterable[tuple[dt.date, dt.date, str]],
) -> None:
    reason = closed_reason(day, closed_periods)
    if reason:
        raise BookingRefused(
            _("The hall is closed on %(day)s (%(reason)s).")
            % {"day": formats.date_format(day, "SHORT_DATE_FORMAT"), "reason": reason},
            field="starts_at",
        )
    if day.weekday() not in hours:
        raise BookingRefused(
            _("The hall is closed on %(day)s.") % {"day": formats.date_format(day, "l")},
            field="starts_at",
        )


MIDNIGHT = dt.time(0)


def closing_moment(day: dt.date, closes: dt.time, tz: dt.tzinfo | None) -> dt.datetime:
    """When a hall open on `day` closes. A closing time of 00:00 is the end of that day (24:00):
    no hall closes at the very start of the day it opens, so 00:00 is free to mean midnight,
    and a booking of the last half hour (23:30–00:00) fits a hall open until 24:00."""
    if closes == MIDNIGHT:
        return dt.datetime.combine(day + dt.timedelta(days=1), MIDNIGHT, tz)
    return dt.datetime.combine(day, closes, tz)


def closing_label(closes: dt.time) -> str:
    """A closing time as people write it: 24:00 for midnight."""
    return "24:00" if closes == MIDNIGHT else closes.strftime("%H:%M")


def opens_before_closing(opens: dt.time, closes: dt.time) -> bool:
    return closes == MIDNIGHT or opens < closes


def check_opening_hours(
    starts_at: dt.datetime, ends_at: dt.datetime, hours: Mapping[int, tuple[dt.time, dt.time]]
) -> None:
    """Both ends local; a booking stays within one day's opening hours (which may run to 24:00,
    written 00:00)."""
    day = starts_at.date()
    opens, closes = hours[day.weekday()]
    tz = starts_at.tzinfo
    if starts_at < dt.datetime.combine(day, opens, tz) or ends_at > closing_moment(day, closes, tz):
        raise BookingRefused(
            _("Outside opening hours: the hall is open %(opens)s–%(closes)s that day.")
            % {"opens": opens.strftime("%H:%M"), "closes": closing_label(closes)},
            field="starts_at",
        )


def check_capacity(attendees: int, capacity: int) -> None:
    if attendees < 1:
        raise BookingRefused(_("At least one person must come."), field="attendees")
    if attendees > capacity:
        raise BookingRefused(
            _("This room holds at most %(capacity)s people.") % {"capacity": capacity},
            field="attendees",
        )


def check_weekly_limit(count_that_week: int, weekly_limit: int) -> None:
    if count_that_week >= weekly_limit:
        raise BookingRefused(
            _(
                "You already have %(count)s bookings of this room that week; "
                "the limit is %(limit)s a week."
            )
            % {"count": count_that_week, "limit": weekly_limit},
            field="starts_at",
        )


def check_not_suspended(suspended_until: dt.datetime | None) -> None:
    if suspended_until is not None:
        raise BookingRefused(
            _(
                "Your booking is suspended until %(until)s because of repeated no-shows. "
                "Please contact the hall if you think this is wrong."
            )
            % {"until": formats.date_format(suspended_until, "SHORT_DATETIME_FORMAT")},
        )


def check_audience(audience: str, *, is_confirmed_member: bool) -> None:
    if audience == "staff":
        raise BookingRefused(_("This room is for internal bookings by staff only."), field="room")
    if audience == "members" and not is_confirmed_member:
        raise BookingRefused(
            _(
                "This room is reserved for party members. Ask the hall to confirm your "
                "membership in your profile."
            ),
            field="room",
        )


def check_buffer_free(has_neighbour_within_buffer: bool, buffer_minutes: int) -> None:
    if has_neighbour_within_buffer:
        raise BookingRefused(
            _(
                "This room needs %(minutes)s minutes between bookings for cleaning and "
                "set-up; please start later or end earlier."
            )
            % {"minutes": buffer_minutes},
            field="starts_at",
        )


def check_cancellable(starts_at: dt.datetime, now: dt.datetime, cancel_hours: int) -> None:
    if starts_at - now < dt.timedelta(hours=cancel_hours):
        raise BookingRefused(
            _(
                "Bookings of this room can be cancelled up to %(hours)s hours before the "
                "start. Please call the hall."
            )
            % {"hours": cancel_hours}
        )


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and the next Monday of the week holding `day` (the weekly limit's week)."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7)
