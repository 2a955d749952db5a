"""Staff and resident pages: access matrices, query counts, the booking flow by form."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.access import assert_access
from tests.accounts.factories import UserFactory
from tests.venues.conftest import at
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues import services
from venues.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(room, resident):
    room.requires_approval = True
    room.save()
    return services.book_room(
        room=room,
        resident=resident,
        starts_at=at(1, 9),
        ends_at=at(1, 10),
        attendees=2,
        purpose="读书会",
    )


def statuses():
    return list(Booking.objects.order_by("pk").values_list("pk", "status"))


def test_hall_list_access(clients, hall):
    assert_access(
        clients,
        "/staff/venues/",
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
    )


def test_hall_of_another_sub_district_is_404(clients):
    other = ServiceHallFactory()
    assert clients["staff"].get(f"/staff/venues/halls/{other.pk}/").status_code == 404


def test_approval_queue_access(clients, pending):
    assert_access(
        clients,
        "/staff/venues/approvals/",
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
    )


def test_approve_access_and_nothing_changes_on_refusal(clients, pending):
    url = f"/staff/venues/bookings/{pending.pk}/approve/"
    # assert_access counts any 3xx as a refusal, so the successful redirect is checked apart.
    assert_access(
        {**clients, "staff": clients["other_secretary"]},
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 403},
        method="post",
        snapshot=statuses,
    )
    staff_elsewhere = Client()
    staff_elsewhere.force_login(_staff_of_another_sub_district())
    assert staff_elsewhere.post(url).status_code == 404
    assert clients["staff"].post(url).status_code == 302
    pending.refresh_from_db()
    assert pending.status == BookingStatus.CONFIRMED


def _staff_of_another_sub_district():
    from accounts.roles import Role
    from tests.accounts.factories import RoleAssignmentFactory
    from tests.branches.factories import SubDistrictFactory

    user = UserFactory(username="staff_elsewhere")
    RoleAssignmentFactory(
        user=user, role=Role.SUB_DISTRICT_STAFF, sub_district=SubDistrictFactory()
    )
    return user


def test_check_in_page_finds_by_code_and_checks_in(clients, room, resident):
    booking = services.book_room(
        room=room,
        resident=resident,
        starts_at=at(1, 9),
        ends_at=at(1, 10),
        attendees=2,
        purpose="读书会",
    )
    response = clients["staff"].get(f"/staff/venues/check-in/?code={booking.check_in_code}")
    assert response.status_code == 200
    assert response.context["found"] == booking
    assert clients["secretary"].get("/staff/venues/check-in/").status_code == 403


def test_internal_booking_by_secretary_for_own_branch(clients, room, branch, other_branch):
    url = "/staff/venues/internal/new/"
    data = {
        "room": room.pk,
        "organization": branch.pk,
        "date": at(2, 9).date().isoformat(),
        "start": "19:00",
        "end": "21:00",
        "attendees": 12,
        "purpose": "支部党员大会",
    }
    response = clients["secretary"].post(url, data)
    assert response.status_code == 302
    booking = Booking.objects.get(organization=branch)
    assert booking.kind == "internal"
    # Another branch is not a choice for this secretary.
    response = clients["secretary"].post(
        url, {**data, "organization": other_branch.pk, "start": "09:00", "end": "10:00"}
    )
    assert response.status_code == 200
    assert Booking.objects.count() == 1


def test_block_refuses_hostile_and_missing_input(clients, room):
    url = "/staff/venues/blocks/new/"
    for bad in [
        {},
        {"room": room.pk, "date": "not-a-date", "start": "9", "end": "x", "reason": ""},
        {
            "room": room.pk,
            "date": "9999-01-01",
            "start": "10:00",
            "end": "09:00",
            "reason": "<script>",
        },
    ]:
        response = clients["staff"].post(url, bad)
        assert response.status_code == 200
    assert Booking.objects.count() == 0
    assert clients["secretary"].get(url).status_code == 403


def test_approval_queue_query_count_does_not_grow(clients, room, django_assert_max_num_queries):
    room.requires_approval = True
    room.save()
    for i in range(8):
        services.book_room(
            room=room,
            resident=UserFactory(phone=f"1360000{i:04d}"),
            starts_at=at(1, 8 + i),
            ends_at=at(1, 9 + i),
            attendees=1,
            purpose="x",
        )
    with django_assert_max_num_queries(12):
        assert clients["staff"].get("/staff/venues/approvals/").status_code == 200


def test_resident_books_through_the_form_and_sees_the_code(room, resident):
    client = Client()
    client.force_login(resident)
    assert client.get(f"/venues/rooms/{room.pk}/").status_code == 200
    day = at(1, 9).date().isoformat()
    response = client.post(
        f"/venues/rooms/{room.pk}/book/",
        {"date": day, "start": "09:00", "end": "10:00", "attendees": 3, "purpose": "读书会"},
    )
    booking = Booking.objects.get(resident=resident)
    assert response.status_code == 302
    page = client.get(f"/venues/my/{booking.pk}/")
    assert booking.check_in_code in page.content.decode()
    assert "<svg" in page.content.decode()
    # Someone else's booking of the same slot: 409 and the waiting-list button.
    other = Client()
    other.force_login(UserFactory(phone="13988888888"))
    taken = other.post(
        f"/venues/rooms/{room.pk}/book/",
        {"date": day, "start": "09:00", "end": "10:00", "attendees": 3, "purpose": "读书会"},
    )
    assert taken.status_code == 409
    assert "该时段已被预约" in taken.content.decode()
    assert 'data-testid="join-waitlist"' in taken.content.decode()


def test_a_resident_cannot_see_another_residents_booking(room, resident):
    booking = services.book_room(
        room=room,
        resident=resident,
        starts_at=at(1, 9),
        ends_at=at(1, 10),
        attendees=1,
        purpose="x",
    )
    other = Client()
    other.force_login(UserFactory(phone="13977777777"))
    assert other.get(f"/venues/my/{booking.pk}/").status_code == 404
    assert other.post(f"/venues/my/{booking.pk}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_room_ical_feed_lists_busy_times_without_names(room, resident):
    services.book_room(
        room=room,
        resident=resident,
        starts_at=at(1, 9),
        ends_at=at(1, 10),
        attendees=1,
        purpose="私人用途",
    )
    response = Client().get(f"/venues/rooms/{room.pk}/calendar.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "私人用途" not in body and resident.full_name not in body


def test_hall_pages_for_residents_query_count(room, django_assert_max_num_queries):
    for _ in range(5):
        RoomFactory(hall=room.hall)
    with django_assert_max_num_queries(6):
        assert Client().get("/venues/").status_code == 200
    with django_assert_max_num_queries(8):
        assert Client().get(f"/venues/rooms/{room.pk}/?view=week").status_code == 200
