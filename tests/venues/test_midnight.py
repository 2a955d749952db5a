"""A hall may stay open until midnight: a closing time of 00:00 is 24:00, the end of that day,
so the last half hour (23:30–00:00) can be booked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from accounts.errors import DomainError
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues import configuration, rules, services
from venues.availability import room_days
from venues.models import BookingStatus, OpeningHours
from venues.reports import opening_hours_between

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
MIDNIGHT = dt.time(0)
EVERY_DAY_TO_MIDNIGHT = {weekday: (dt.time(8), MIDNIGHT) for weekday in range(7)}


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


@pytest.fixture
def late_room(sub_district):
    hall = ServiceHallFactory(sub_district=sub_district, open_every_day=False)
    for weekday in range(7):
        OpeningHours.objects.create(
            hall=hall, weekday=weekday, opens_at=dt.time(8), closes_at=MIDNIGHT
        )
    return RoomFactory(hall=hall)


# --- the rule -----------------------------------------------------------------------------

DAY = dt.date(2026, 12, 9)  # a Wednesday


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (local(DAY, 23, 30), local(DAY + dt.timedelta(days=1), 0)),
        (local(DAY, 8), local(DAY, 9)),
        (local(DAY, 22), local(DAY + dt.timedelta(days=1), 0)),
    ],
)
def test_a_hall_open_until_midnight_takes_bookings_ending_at_midnight(start, end):
    rules.check_opening_hours(start, end, EVERY_DAY_TO_MIDNIGHT)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (local(DAY, 23, 30), local(DAY + dt.timedelta(days=1), 0, 30)),  # past midnight
        (local(DAY, 7, 30), local(DAY, 8, 30)),  # before opening
        (local(DAY, 23), local(DAY + dt.timedelta(days=1), 8, 30)),  # into the next day's hours
    ],
)
def test_a_hall_open_until_midnight_refuses_beyond_it(start, end):
    with pytest.raises(rules.BookingRefused) as refused:
        rules.check_opening_hours(start, end, EVERY_DAY_TO_MIDNIGHT)
    assert "08:00–24:00" in str(refused.value.message)


def test_a_hall_closing_at_23_59_still_refuses_the_last_half_hour():
    hours = {weekday: (MIDNIGHT, dt.time(23, 59)) for weekday in range(7)}
    with pytest.raises(rules.BookingRefused):
        rules.check_opening_hours(local(DAY, 23, 30), local(DAY + dt.timedelta(days=1), 0), hours)


def test_closing_moment_and_label():
    assert rules.closing_moment(DAY, MIDNIGHT, TZ) == local(DAY + dt.timedelta(days=1), 0)
    assert rules.closing_moment(DAY, dt.time(21), TZ) == local(DAY, 21)
    assert rules.closing_label(MIDNIGHT) == "24:00"
    assert rules.opens_before_closing(dt.time(8), MIDNIGHT)
    assert rules.opens_before_closing(MIDNIGHT, MIDNIGHT)  # open all day
    assert not rules.opens_before_closing(dt.time(9), dt.time(8))


# --- the database, the service, the slots --------------------------------------------------


def test_the_database_accepts_midnight_and_still_refuses_a_backward_day(late_room):
    row = OpeningHours.objects.filter(hall=late_room.hall).first()
    row.closes_at = dt.time(7)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    assert str(OpeningHours.objects.filter(hall=late_room.hall).first()).endswith("08:00–24:00")


def test_a_resident_books_the_last_half_hour_before_midnight(late_room, resident, clock):
    clock.set(clock.today + dt.timedelta(days=1), 23, 10)
    start = local(clock.today, 23, 30)
    booking = services.book_room(
        room=late_room,
        resident=resident,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        attendees=2,
        purpose="夜读",
    )
    assert booking.status == BookingStatus.CONFIRMED


def test_the_last_slot_before_midnight_is_offered(late_room, clock):
    day = clock.today + dt.timedelta(days=1)
    slots = room_days(late_room, day, 1)[0].slots
    assert slots[-1].starts_at == local(day, 23, 30)
    assert slots[-1].ends_at == local(day + dt.timedelta(days=1), 0)
    assert slots[-1].is_free
    assert len(slots) == 32  # 08:00–24:00 in half hours


def test_opening_hours_to_midnight_count_sixteen_hours(late_room):
    hours = opening_hours_between([late_room.hall], DAY, DAY + dt.timedelta(days=1))
    assert hours[late_room.hall.pk] == 16.0


# --- setting the hours ---------------------------------------------------------------------


def _hours_post(closes: str) -> dict[str, str]:
    data = {}
    for day in range(7):
        data.update({f"open_{day}": "on", f"opens_{day}": "08:00", f"closes_{day}": closes})
    return data


def test_staff_set_a_hall_open_until_midnight(clients, hall):
    response = clients["staff"].post(f"/staff/venues/halls/{hall.pk}/hours/", _hours_post("00:00"))
    assert response.status_code == 302
    assert set(OpeningHours.objects.filter(hall=hall).values_list("closes_at", flat=True)) == {
        MIDNIGHT
    }
    page = clients["staff"].get(f"/staff/venues/halls/{hall.pk}/hours/").content.decode()
    assert "00:00 表示营业至午夜（24:00）" in page


def test_opening_until_midnight_leaves_an_evening_booking_inside(room, resident, clock):
    start = local(clock.today + dt.timedelta(days=1), 20)
    services.book_room(
        room=room,
        resident=resident,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        attendees=2,
        purpose="读书会",
    )
    configuration.set_opening_hours(hall=room.hall, hours=EVERY_DAY_TO_MIDNIGHT, actor=None)
    assert OpeningHours.objects.filter(hall=room.hall, closes_at=MIDNIGHT).count() == 7


def test_closing_earlier_than_midnight_is_refused_over_the_last_booking(late_room, resident, clock):
    start = local(clock.today + dt.timedelta(days=1), 23, 30)
    services.book_room(
        room=late_room,
        resident=resident,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        attendees=2,
        purpose="夜读",
    )
    earlier = {weekday: (dt.time(8), dt.time(23)) for weekday in range(7)}
    with pytest.raises(DomainError):
        configuration.set_opening_hours(hall=late_room.hall, hours=earlier, actor=None)
    assert OpeningHours.objects.filter(hall=late_room.hall, closes_at=MIDNIGHT).count() == 7
