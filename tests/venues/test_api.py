from __future__ import annotations

import pytest

from tests.access import assert_access
from tests.venues.conftest import at
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues import services
from venues.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def snapshot():
    return list(Booking.objects.order_by("pk").values_list("pk", "status"))


def test_rooms_api_is_scoped(clients, room):
    RoomFactory(hall=ServiceHallFactory())  # another sub-district
    assert_access(
        clients,
        "/api/v1/rooms/",
        {"anonymous": 403, "resident": 200, "other_secretary": 200, "secretary": 200, "staff": 200},
    )
    staff_rooms = clients["staff"].get("/api/v1/rooms/").json()["results"]
    assert [r["id"] for r in staff_rooms] == [room.pk]


def test_availability_for_a_date_range(clients, room):
    start = at(1, 0).date()
    response = clients["resident"].get(
        f"/api/v1/rooms/{room.pk}/availability/",
        {"start": start.isoformat(), "end": start.isoformat()},
    )
    assert response.status_code == 200
    day = response.json()[0]
    assert day["opens"] == "08:00:00" and len(day["slots"]) == 26
    bad = clients["resident"].get(f"/api/v1/rooms/{room.pk}/availability/", {"start": "2026-13-01"})
    assert bad.status_code == 400


def test_booking_api_rule_is_400_with_field_and_conflict_is_409(clients, room):
    payload = {
        "room": room.pk,
        "starts_at": at(1, 9).isoformat(),
        "ends_at": at(1, 10).isoformat(),
        "attendees": 99,
        "purpose": "读书会",
    }
    response = clients["resident"].post(
        "/api/v1/bookings/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["attendees"] == ["该活动室最多容纳30人。"]
    payload["attendees"] = 2
    assert (
        clients["resident"]
        .post("/api/v1/bookings/", payload, content_type="application/json")
        .status_code
        == 201
    )
    again = clients["staff"].post("/api/v1/bookings/", payload, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["detail"] == "该时段已被预约，请选择其他时段或加入候补队列。"


def test_approve_and_check_in_api_access(clients, room, resident):
    room.requires_approval = True
    room.save()
    booking = services.book_room(
        room=room,
        resident=resident,
        starts_at=at(1, 9),
        ends_at=at(1, 10),
        attendees=1,
        purpose="x",
    )
    assert_access(
        clients,
        f"/api/v1/bookings/{booking.pk}/approve/",
        {"anonymous": 403, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
        method="post",
        snapshot=snapshot,
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    response = clients["staff"].post(
        "/api/v1/bookings/check-in/",
        {"code": booking.check_in_code},
        content_type="application/json",
    )
    assert response.status_code == 400  # too early: tomorrow
    assert "签到时间未到" in response.json()["detail"]


def test_bookings_list_shows_a_resident_only_their_own(clients, room, resident):
    services.book_room(
        room=room,
        resident=resident,
        starts_at=at(1, 9),
        ends_at=at(1, 10),
        attendees=1,
        purpose="x",
    )
    assert clients["resident"].get("/api/v1/bookings/").json()["count"] == 1
    assert clients["other_secretary"].get("/api/v1/bookings/").json()["count"] == 0
    assert clients["staff"].get("/api/v1/bookings/").json()["count"] == 1
