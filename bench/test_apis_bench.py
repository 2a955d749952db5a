"""The booking and availability APIs in process, each beside its floor served through the same
middleware (`bench/floor_urls.py`: the same statements by hand, no DRF, rules or
notifications), alternated A B A B (`BENCH_API_ROUNDS`, default 30) and reported as the median
of the per-round ratios, with the statements each request ran. The room has two weeks of
bookings every other hour (its availability reads them); each booking round takes a new slot,
the page's in one room and the floor's in a twin room."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.test_uncached_pages_bench import alternate
from tests.accounts.factories import UserFactory
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues.services import book_room

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


def test_booking_and_availability_apis_beside_their_floors(timer, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the floors are PostgreSQL")
    settings.ROOT_URLCONF = "bench.floor_urls"
    rounds = int(os.environ.get("BENCH_API_ROUNDS", "30"))
    hall = ServiceHallFactory()
    rules = {"advance_days": 60, "weekly_limit": 1000, "max_minutes": 240}
    room = RoomFactory(hall=hall, name="基准活动室", **rules)
    twin = RoomFactory(hall=hall, name="基准活动室（对照）", **rules)
    resident = UserFactory(phone="13600000001")
    first = timezone.localdate() + dt.timedelta(days=1)
    earlier = timezone.now() - dt.timedelta(hours=1)
    for target in (room, twin):  # two weeks of hourly bookings on the odd hours
        for offset in range(14):
            for hour in range(9, 21, 2):
                day = first + dt.timedelta(days=offset)
                book_room(
                    room=target,
                    resident=resident,
                    starts_at=_at(day, hour),
                    ends_at=_at(day, hour + 1),
                    attendees=2,
                    purpose="基准",
                    now=earlier,
                )
    client = Client()
    client.force_login(resident)
    free = itertools.product(range(50), range(10, 20, 2))  # the even hours, day after day

    def payload(target) -> dict:
        offset, hour = next(free)
        day = first + dt.timedelta(days=offset)
        return {
            "room": target.pk,
            "starts_at": _at(day, hour).isoformat(),
            "ends_at": _at(day, hour + 1).isoformat(),
            "attendees": 2,
            "purpose": "基准",
        }

    def post(url: str, target) -> None:
        response = client.post(url, payload(target), content_type="application/json")
        assert response.status_code == 201, response.content

    def book() -> None:
        post("/api/v1/bookings/", room)

    def book_floor() -> None:
        post("/bench/floor-booking/", twin)

    week = {"start": first.isoformat(), "end": (first + dt.timedelta(days=6)).isoformat()}

    def availability() -> None:
        assert client.get(f"/api/v1/rooms/{room.pk}/availability/", week).status_code == 200

    def availability_floor() -> None:
        response = client.get(f"/bench/floor-availability/{room.pk}/", week)
        assert response.status_code == 200

    counts = {}
    for label, call in [
        ("booking", book),
        ("booking floor", book_floor),
        ("availability", availability),
        ("availability floor", availability_floor),
    ]:
        with CaptureQueriesContext(connection) as captured:
            call()
        counts[label] = len(captured.captured_queries)
    timer.record("statements per request", **counts)
    booking = alternate(book, book_floor, rounds)
    timer.record("POST /api/v1/bookings/", **booking, load_average=os.getloadavg()[0])
    week_read = alternate(availability, availability_floor, rounds)
    timer.record(
        "GET /api/v1/rooms/<pk>/availability/ (7 days)",
        **week_read,
        load_average=os.getloadavg()[0],
    )
