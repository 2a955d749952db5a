from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.venues.factories import RoomFactory, ServiceHallFactory


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """Django's clock held at today 10:00 (tests/conftest.py): `at(1, 9)`, 'the next slot' and
    the booking horizon mean the same whenever the suite runs."""
    return clock


@pytest.fixture
def hall(sub_district):
    return ServiceHallFactory(sub_district=sub_district, name="联盟新城社区党群服务中心")


@pytest.fixture
def room(hall):
    return RoomFactory(hall=hall, name="多功能活动室", capacity=30)


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A local time `days` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())
