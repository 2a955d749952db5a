"""What a booking and an availability read cost in SQL statements (issue 16: fast without the
cache). The counts are exact, so a new per-rule query shows up here first.

A resident's booking, after the request's own reads (session, user, and for the API the roles
its throttle reads): the room with its hall (once), the rules' facts (hours that weekday,
closed dates, membership, suspension, whether the room is divided: one statement), then in
the transaction the lock on the resident, the weekly count with the taken/buffer check (one
statement after the lock), the booking, its span, the audit entry and the two notifications.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from tests.venues.conftest import at
from tests.venues.factories import RoomFactory
from venues import services
from venues.models import Booking, BookingSpan, ClosedPeriod

pytestmark = pytest.mark.django_db

# Inside the test's own transaction every `atomic` is a savepoint: two statements that a
# request in autocommit mode does not count (its BEGIN and COMMIT are not logged).
SAVEPOINT = 2
REQUEST = 2  # session, user
THROTTLE_ROLES = 1  # the API's throttle reads the user's roles
BOOKING = 9  # room, facts, lock, count/taken/buffer, booking, span, audit, email, SMS
# SQLite (`make run`, a local `make test`) takes the database's write lock first with an UPDATE
# of the room (venues.services: it has no row locks); PostgreSQL needs no such statement.
BOOKING += 1 if connection.vendor == "sqlite" else 0


def _payload(room, day: int, hour: int) -> dict:
    return {
        "room": room.pk,
        "starts_at": at(day, hour).isoformat(),
        "ends_at": at(day, hour + 1).isoformat(),
        "attendees": 2,
        "purpose": "读书会",
    }


def test_api_booking_statements(clients, room, django_assert_num_queries):
    client = clients["resident"]
    client.get("/api/v1/rooms/")  # the session is read; its first write is not the booking's
    with django_assert_num_queries(REQUEST + THROTTLE_ROLES + BOOKING + SAVEPOINT):
        response = client.post(
            "/api/v1/bookings/", _payload(room, 1, 9), content_type="application/json"
        )
    assert response.status_code == 201


def test_page_booking_statements(clients, room, django_assert_num_queries):
    client = clients["resident"]
    day = at(1, 0).date().isoformat()
    form = {"date": day, "start": "11:00", "end": "12:00", "attendees": 2, "purpose": "读书会"}
    client.get(f"/venues/rooms/{room.pk}/book/")
    with django_assert_num_queries(REQUEST + BOOKING + SAVEPOINT):
        response = client.post(f"/venues/rooms/{room.pk}/book/", form)
    assert response.status_code == 302


def test_a_divided_room_reads_its_parts_once_more(clients, room, django_assert_num_queries):
    RoomFactory(hall=room.hall, parent=room)
    RoomFactory(hall=room.hall, parent=room)
    client = clients["resident"]
    client.get("/api/v1/rooms/")
    with django_assert_num_queries(REQUEST + THROTTLE_ROLES + BOOKING + 1 + SAVEPOINT):
        response = client.post(
            "/api/v1/bookings/", _payload(room, 1, 9), content_type="application/json"
        )
    assert response.status_code == 201
    assert BookingSpan.objects.filter(booking_id=response.json()["id"]).count() == 2


def test_refusals_come_from_the_same_statements(clients, room, resident):
    """The rules read from one statement still refuse with their own messages."""
    ClosedPeriod.objects.create(
        hall=room.hall, starts_on=at(2, 0).date(), ends_on=at(2, 0).date(), reason="消杀"
    )
    client = clients["resident"]

    def post(day, hour):
        return client.post(
            "/api/v1/bookings/", _payload(room, day, hour), content_type="application/json"
        )

    closed = post(2, 9)
    assert closed.status_code == 400 and "消杀" in closed.json()["starts_at"][0]
    late = post(1, 22)
    assert late.status_code == 400 and "starts_at" in late.json()
    for hour in (9, 11, 13):
        assert post(3, hour).status_code == 201
    limit = post(3, 15)
    assert limit.status_code == 400 and "3" in limit.json()["starts_at"][0]
    missing = client.post(
        "/api/v1/bookings/",
        {**_payload(room, 1, 9), "room": 999999},
        content_type="application/json",
    )
    assert missing.status_code == 400 and "room" in missing.json()
    staff_only = RoomFactory(hall=room.hall, audience="staff")
    hidden = client.post(
        "/api/v1/bookings/", _payload(staff_only, 1, 9), content_type="application/json"
    )
    assert hidden.status_code == 404
    assert Booking.objects.count() == 3


def _availability(client, room, days: int):
    start = at(1, 0).date()
    end = start + dt.timedelta(days=days - 1)
    return client.get(
        f"/api/v1/rooms/{room.pk}/availability/",
        {"start": start.isoformat(), "end": end.isoformat()},
    )


def test_availability_statements_do_not_grow_with_days_slots_or_bookings(
    clients, room, resident, django_assert_num_queries
):
    """Session, user, roles, the room with its hall, then one statement each for the hall's
    opening hours, its closed dates and the holding spans of the window: 7, for one day or 31,
    an empty room or a busy one, a whole room or one divided into parts."""
    client = clients["resident"]
    client.get("/api/v1/rooms/")
    with django_assert_num_queries(7):
        assert _availability(client, room, 1).status_code == 200
    room.weekly_limit = 50
    room.save()
    now = timezone.now() - dt.timedelta(hours=1)
    for day in range(1, 8):
        for hour in (9, 11, 14, 16):
            services.book_room(
                room=room,
                resident=resident,
                starts_at=at(day, hour),
                ends_at=at(day, hour + 1),
                attendees=1,
                purpose="x",
                now=now,
            )
    ClosedPeriod.objects.create(
        hall=room.hall, starts_on=at(9, 0).date(), ends_on=at(10, 0).date(), reason="检修"
    )
    with django_assert_num_queries(7):
        response = _availability(client, room, 31)
    days = response.json()
    assert len(days) == 31 and days[8]["closed_reason"] == "检修"
    taken = sum(slot["state"] == "taken" for day in days for slot in day["slots"])
    assert taken == 7 * 4 * 2  # four one-hour bookings a day, two slots each
    RoomFactory(hall=room.hall, parent=room)
    with django_assert_num_queries(7):
        assert _availability(client, room, 31).status_code == 200
