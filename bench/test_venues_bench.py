"""Room availability for a week and booking throughput under parallel clients (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.parallel import run_parallel
from tests.accounts.factories import UserFactory
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues.availability import room_days
from venues.models import Booking, BookingSpan
from venues.services import book_room

CLIENTS = 8
DAYS = 2
HOURS = range(9, 21)  # hourly slots 09:00–21:00


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


def _overlaps() -> int:
    """Holding spans of one physical room that overlap another (must be none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM {BookingSpan._meta.db_table} a
            JOIN {BookingSpan._meta.db_table} b
              ON a.room_id = b.room_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            WHERE a.is_holding AND b.is_holding
            """  # noqa: S608 - table names from the model, no user input
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_room_week_availability(timer):
    hall = ServiceHallFactory()
    room = RoomFactory(hall=hall, advance_days=60, weekly_limit=1000, slot_minutes=30)
    others = [RoomFactory(hall=hall, advance_days=60, weekly_limit=1000) for _ in range(5)]
    resident = UserFactory(phone="13600000000")
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    booked_from = timezone.now() - dt.timedelta(days=1)
    # Two weeks of hourly bookings on every other hour, in the room and five more of the hall.
    for target in [room, *others]:
        for offset in range(14):
            day = monday + dt.timedelta(days=offset)
            for hour in range(9, 21, 2):
                book_room(
                    room=target,
                    resident=resident,
                    starts_at=_at(day, hour),
                    ends_at=_at(day, hour + 1),
                    attendees=2,
                    purpose="压测",
                    now=booked_from,
                )
    assert Booking.objects.count() == 6 * 14 * 6
    client = Client()
    client.force_login(resident)
    timer.measure("room_days(room, week)", lambda: room_days(room, monday, 7))
    timer.measure(
        "GET /venues/rooms/<pk>/?view=week",
        lambda: client.get(
            f"/venues/rooms/{room.pk}/", {"date": monday.isoformat(), "view": "week"}
        ),
    )
    timer.measure(
        "GET /api/v1/rooms/<pk>/availability/ (7 days)",
        lambda: client.get(
            f"/api/v1/rooms/{room.pk}/availability/",
            {"start": monday.isoformat(), "end": (monday + dt.timedelta(days=6)).isoformat()},
        ),
    )
    response = client.get(f"/api/v1/rooms/{room.pk}/availability/", {"start": monday.isoformat()})
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_booking_throughput_under_parallel_clients(timer):
    if connection.vendor != "postgresql":
        pytest.skip("throughput and the exclusion constraint are measured on PostgreSQL")
    hall = ServiceHallFactory()
    whole = RoomFactory(hall=hall, name="多功能活动室", advance_days=30, weekly_limit=1000)
    east = RoomFactory(hall=hall, parent=whole, advance_days=30, weekly_limit=1000)
    west = RoomFactory(hall=hall, parent=whole, advance_days=30, weekly_limit=1000)
    reading = RoomFactory(hall=hall, advance_days=30, weekly_limit=1000)
    first = timezone.localdate() + dt.timedelta(days=1)
    slots = [
        (room.pk, _at(first + dt.timedelta(days=d), h), _at(first + dt.timedelta(days=d), h + 1))
        for room in (whole, east, west, reading)
        for d in range(DAYS)
        for h in HOURS
    ]
    users = [UserFactory(phone=f"1360000{i:04d}") for i in range(CLIENTS)]

    def client_for(user, seed: int):
        def work() -> Counter:
            client = Client()
            client.force_login(user)
            mine = slots[:]
            random.Random(seed).shuffle(mine)  # noqa: S311 - bench order
            statuses: Counter = Counter()
            for room_id, starts_at, ends_at in mine:
                response = client.post(
                    "/api/v1/bookings/",
                    {
                        "room": room_id,
                        "starts_at": starts_at.isoformat(),
                        "ends_at": ends_at.isoformat(),
                        "attendees": 2,
                        "purpose": "压测",
                    },
                    content_type="application/json",
                )
                statuses[response.status_code] += 1
            return statuses

        return work

    seconds, results = run_parallel([client_for(u, i) for i, u in enumerate(users)])
    statuses = sum(results, Counter())
    requests = sum(statuses.values())
    created = Booking.objects.count()
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[201] == created
    assert _overlaps() == 0
    # Every hour of every room is taken once: by the whole room, or by its parts.
    assert created >= len(slots) // 2
    timer.record(
        f"POST /api/v1/bookings/ × {CLIENTS} clients",
        seconds=seconds,
        requests=requests,
        requests_per_s=requests / seconds,
        bookings=created,
        bookings_per_s=created / seconds,
        conflicts_409=statuses[409],
        overlaps=_overlaps(),
    )
