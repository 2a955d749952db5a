"""Every "at most N" rule holds when ten requests of one owner arrive at the same instant.

Each rule counts rows and then inserts; without a lock on the owner, all ten count the same
rows and all insert (issue 14: ten parallel wishes left four open where three are allowed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection

from accounts.errors import DomainError
from accounts.models import PhoneVerification
from accounts.services import send_verification_code
from tests.accounts.factories import UserFactory
from tests.parallel import run_together
from tests.venues.factories import RoomFactory
from tests.volunteers.factories import CommunityFactory
from venues.models import Booking
from venues.services import book_room
from volunteers.models import Wish
from volunteers.rules import MAX_OPEN_WISHES
from volunteers.services.wishes import post_wish

PARALLEL = 10
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A Monday early morning; the bookings below fall on the Tuesday of the same week.
NOW = dt.datetime(2030, 3, 4, 7, 0, tzinfo=SHANGHAI)

Case = tuple[list[Callable[[], Any]], Callable[[], int], int]


def open_wishes(settings: Any) -> Case:
    user = UserFactory()
    community = CommunityFactory()
    calls = [
        partial(post_wish, user=user, community=community, title=f"心愿{i}")
        for i in range(PARALLEL)
    ]
    return calls, Wish.objects.filter(posted_by=user).count, MAX_OPEN_WISHES


def weekly_bookings(settings: Any) -> Case:
    room = RoomFactory(weekly_limit=3, capacity=10)
    resident = UserFactory()
    calls = [
        partial(
            book_room,
            room=room,
            resident=resident,
            starts_at=NOW.replace(day=5, hour=9 + i),
            ends_at=NOW.replace(day=5, hour=10 + i),
            attendees=2,
            purpose="读书会",
            now=NOW,
        )
        for i in range(PARALLEL)
    ]
    return calls, Booking.objects.filter(resident=resident).count, room.weekly_limit


def codes_per_hour(settings: Any) -> Case:
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.SMS_CODE_MAX_PER_HOUR = 3
    phone = "13812340000"
    calls = [
        partial(send_verification_code, phone=phone, purpose=PhoneVerification.Purpose.REGISTER)
        for _ in range(PARALLEL)
    ]
    return calls, PhoneVerification.objects.filter(phone=phone).count, 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", [open_wishes, weekly_bookings, codes_per_hour])
def test_limit_holds_under_parallel_requests(case, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    calls, count, limit = case(settings)

    outcomes = run_together(calls)

    assert count() == limit
    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == PARALLEL - limit
    # Refused with a message a person can act on, not a deadlock or an integrity error.
    assert all(isinstance(o, DomainError) for o in refusals), refusals
