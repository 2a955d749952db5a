"""A room divided into two: the whole blocks both parts and each part blocks the whole."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tests.venues.conftest import at
from tests.venues.factories import RoomFactory
from venues import services
from venues.rules import BookingConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def divided(hall):
    whole = RoomFactory(hall=hall, name="多功能厅", capacity=80)
    east = RoomFactory(hall=hall, name="多功能厅东", parent=whole, capacity=40)
    west = RoomFactory(hall=hall, name="多功能厅西", parent=whole, capacity=40)
    return whole, east, west


def book(room, phone, start=None, end=None):
    return services.book_room(
        room=room,
        resident=UserFactory(phone=phone),
        starts_at=start or at(1, 9),
        ends_at=end or at(1, 11),
        attendees=10,
        purpose="排练",
    )


def test_the_whole_blocks_each_part(divided):
    whole, east, west = divided
    book(whole, "13911111111")
    for part in (east, west):
        with pytest.raises(BookingConflict):
            book(part, f"1391111112{part.pk % 10}")


def test_a_part_blocks_the_whole_but_not_the_other_part(divided):
    whole, east, west = divided
    book(east, "13922222221")
    book(west, "13922222222")
    with pytest.raises(BookingConflict):
        book(whole, "13922222223")


def test_the_whole_is_free_again_once_the_part_is_cancelled(divided):
    whole, east, _ = divided
    booking = book(east, "13933333331")
    services.cancel_booking(booking=booking, by=booking.resident)
    assert book(whole, "13933333332").spans.count() == 2
