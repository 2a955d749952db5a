"""Every "at most N" rule holds when ten requests of one owner arrive at the same instant.

Each rule counts rows and then inserts; without a lock on the owner, all ten count the same
rows and all insert (issue 14: ten parallel wishes left four open where three are allowed).
Limits tested in parallel elsewhere: an activity's places (tests/volunteers/test_sign_up.py), one
seat per unit on a committee (tests/branches/test_regional_services.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import PhoneVerification
from accounts.services import send_verification_code
from branches.models import Community
from members.inservice import services as inservice
from members.models import NeedClaim
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory
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

# The services read the clock (hour windows, "needed by" dates): held at 10:00, never midnight.
pytestmark = pytest.mark.usefixtures("clock")


def open_wishes(request: pytest.FixtureRequest) -> Case:
    user = UserFactory()
    community = CommunityFactory()
    calls = [
        partial(post_wish, user=user, community=community, title=f"心愿{i}")
        for i in range(PARALLEL)
    ]
    return calls, Wish.objects.filter(posted_by=user).count, MAX_OPEN_WISHES


def weekly_bookings(request: pytest.FixtureRequest) -> Case:
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


def codes_per_hour(request: pytest.FixtureRequest) -> Case:
    settings = request.getfixturevalue("settings")
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.SMS_CODE_MAX_PER_HOUR = 3
    phone = "13812340000"
    calls = [
        partial(send_verification_code, phone=phone, purpose=PhoneVerification.Purpose.REGISTER)
        for _ in range(PARALLEL)
    ]
    return calls, PhoneVerification.objects.filter(phone=phone).count, 3


def places_of_a_need(request: pytest.FixtureRequest) -> Case:
    """Ten members claim a community need of three places (the need's row is the owner)."""
    sub_district = request.getfixturevalue("sub_district")
    branch = request.getfixturevalue("branch")
    other_branch = request.getfixturevalue("other_branch")
    secretary = request.getfixturevalue("secretary")
    other_secretary = request.getfixturevalue("other_secretary")
    community = Community.objects.create(sub_district=sub_district, name="联盟新城社区")
    branch.communities.add(community)
    today = timezone.localdate()
    need = inservice.post_need(
        actor=secretary,
        community=community,
        title="楼院清理",
        needed_by=today + dt.timedelta(days=7),
        slots=3,
    )
    registrations = [
        inservice.register_member(
            actor=other_secretary,
            member=MemberFactory(organization=other_branch),
            community=community,
            registered_on=today,
            employer_name="郑州市儿童医院",
        )
        for _ in range(PARALLEL)
    ]
    calls = [
        partial(inservice.claim_need, actor=other_secretary, need=need, registration=registration)
        for registration in registrations
    ]
    return calls, NeedClaim.objects.filter(need=need).count, need.slots


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", [open_wishes, weekly_bookings, codes_per_hour, places_of_a_need])
def test_limit_holds_under_parallel_requests(case, request):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    calls, count, limit = case(request)

    outcomes = run_together(calls)

    assert count() == limit
    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == PARALLEL - limit
    # Refused with a message a person can act on, not a deadlock or an integrity error.
    assert all(isinstance(o, DomainError) for o in refusals), refusals
