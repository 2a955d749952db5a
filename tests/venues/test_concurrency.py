"""Twenty residents race for one slot through the API: exactly one booking, nineteen 409s."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.venues.conftest import at
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues.models import Booking, BookingSpan

CLIENTS = 24


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_slot_leave_exactly_one_booking():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint under real concurrency needs PostgreSQL")
    room = RoomFactory(hall=ServiceHallFactory(), capacity=10)
    residents = [UserFactory(phone=f"1370000{i:04d}") for i in range(CLIENTS)]
    payload = {
        "room": room.pk,
        "starts_at": at(1, 9).isoformat(),
        "ends_at": at(1, 10).isoformat(),
        "attendees": 2,
        "purpose": "读书会",
    }
    barrier = threading.Barrier(CLIENTS)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def attempt(user):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post("/api/v1/bookings/", payload, content_type="application/json")
            with lock:
                results.append((response.status_code, response.json().get("detail", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (CLIENTS - 1)
    assert all(
        detail == "该时段已被预约，请选择其他时段或加入候补队列。"
        for status, detail in results
        if status == 409
    )
    assert Booking.objects.filter(room=room).count() == 1
    assert BookingSpan.objects.filter(room=room).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_overlapping_holding_spans():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    from django.db import IntegrityError, transaction

    from venues.models import BookingKind

    room = RoomFactory(hall=ServiceHallFactory())
    user = UserFactory(phone="13755555555")
    first = Booking.objects.create(
        room=room,
        kind=BookingKind.RESIDENT,
        resident=user,
        booked_by=user,
        purpose="x",
        starts_at=at(1, 9),
        ends_at=at(1, 10),
    )
    BookingSpan.objects.create(booking=first, room=room, starts_at=at(1, 9), ends_at=at(1, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingSpan.objects.create(
            booking=first, room=room, starts_at=at(1, 9, 30), ends_at=at(1, 10, 30)
        )
    # A released span no longer holds: the slot may be taken again.
    BookingSpan.objects.filter(booking=first).update(is_holding=False)
    BookingSpan.objects.create(booking=first, room=room, starts_at=at(1, 9, 30), ends_at=at(1, 10))
