"""Access matrices of the staff venues pages that had none: calendar, no-shows, utilisation,
blocks, internal bookings, suspensions. A refusal changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.access import assert_access
from tests.venues.conftest import at
from tests.venues.factories import ServiceHallFactory
from venues import services
from venues.models import Booking, Suspension

pytestmark = pytest.mark.django_db

EVERY_WORKBENCH_USER = {
    "anonymous": 302,
    "resident": 403,
    "other_secretary": 200,
    "secretary": 200,
    "staff": 200,
}
STAFF_ONLY = {
    "anonymous": 302,
    "resident": 403,
    "other_secretary": 403,
    "secretary": 403,
    "staff": 200,
}


def bookings():
    return list(Booking.objects.order_by("pk").values_list("pk", "status", "kind"))


def test_hall_calendar_access(clients, hall):
    assert_access(clients, f"/staff/venues/halls/{hall.pk}/", EVERY_WORKBENCH_USER)
    other = ServiceHallFactory()
    for role in ("secretary", "staff"):
        assert clients[role].get(f"/staff/venues/halls/{other.pk}/").status_code == 404


def test_calendar_hides_residents_names_from_secretaries(clients, room, resident):
    services.book_room(
        room=room,
        resident=resident,
        starts_at=at(1, 9),
        ends_at=at(1, 10),
        attendees=1,
        purpose="x",
    )
    day = at(1, 9).date().isoformat()
    secretary_page = clients["secretary"].get(f"/staff/venues/halls/{room.hall.pk}/?date={day}")
    staff_page = clients["staff"].get(f"/staff/venues/halls/{room.hall.pk}/?date={day}")
    assert resident.get_full_name() not in secretary_page.content.decode()
    assert resident.get_full_name() in staff_page.content.decode()


def test_no_shows_access(clients, hall):
    assert_access(clients, "/staff/venues/no-shows/", STAFF_ONLY)


def test_utilisation_access(clients, hall):
    assert_access(clients, "/staff/venues/utilisation/", STAFF_ONLY)
    assert_access(clients, "/staff/venues/utilisation/?month=2026-13", STAFF_ONLY)


def test_block_page_access_and_refused_posts_write_nothing(clients, room):
    url = "/staff/venues/blocks/new/"
    assert_access(clients, url, STAFF_ONLY)
    data = {
        "room": room.pk,
        "date": at(2, 9).date().isoformat(),
        "start": "09:00",
        "end": "10:00",
        "reason": "维修",
    }
    # assert_access counts any 3xx as a refusal, so the successful redirect is checked apart.
    assert_access(
        {**clients, "staff": clients["secretary"]},
        url,
        {**STAFF_ONLY, "staff": 403},
        method="post",
        data=data,
        snapshot=bookings,
    )
    assert bookings() == []
    assert clients["staff"].post(url, data).status_code == 302
    assert Booking.objects.get().kind == "block"


def test_internal_booking_page_access(clients, room, branch):
    url = "/staff/venues/internal/new/"
    assert_access(clients, url, EVERY_WORKBENCH_USER)
    data = {
        "room": room.pk,
        "organization": branch.pk,
        "date": at(2, 9).date().isoformat(),
        "start": "19:00",
        "end": "20:00",
        "attendees": 5,
        "purpose": "支部委员会会议",
    }
    # The other secretary may not book for this branch: the form refuses the choice (200).
    # Successful redirects are checked apart (assert_access counts 3xx as a refusal).
    assert_access(
        {**clients, "secretary": clients["other_secretary"], "staff": clients["other_secretary"]},
        url,
        {"anonymous": 302, "resident": 403, "other_secretary": 200, "secretary": 200, "staff": 200},
        method="post",
        data=data,
        snapshot=bookings,
    )
    assert bookings() == []
    assert clients["secretary"].post(url, data).status_code == 302
    assert Booking.objects.filter(organization=branch).count() == 1


def test_lift_suspension_access(clients, resident, sub_district):
    now = timezone.now()
    suspension = Suspension.objects.create(
        resident=resident,
        sub_district=sub_district,
        starts_at=now,
        ends_at=now + timezone.timedelta(days=30),
        reason="三次未到",
    )

    def lifted():
        return list(Suspension.objects.values_list("pk", "lifted_at"))

    assert_access(
        {**clients, "staff": clients["secretary"]},
        f"/staff/venues/suspensions/{suspension.pk}/lift/",
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 403},
        method="post",
        snapshot=lifted,
    )
    assert (
        clients["staff"].post(f"/staff/venues/suspensions/{suspension.pk}/lift/").status_code == 302
    )
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None


def test_booking_detail_access(clients, room, resident):
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
        f"/staff/venues/bookings/{booking.pk}/",
        {**STAFF_ONLY, "secretary": 404, "other_secretary": 404},
    )
