"""The fast paths of the availability read: the busy-slot sweep agrees with checking every booking,
and the slot serializer writes what DRF's declared fields would."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from venues import availability
from venues.api import SlotSerializer
from venues.availability import Slot

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _naive_taken(spans, start, end) -> bool:
    return any(b_start < end and b_end > start for b_start, b_end in spans)


@pytest.mark.parametrize("seed", range(25))
def test_the_sweep_agrees_with_checking_every_booking(seed):
    rng = random.Random(seed)
    day = dt.datetime(2026, 11, 23, tzinfo=SHANGHAI)
    spans = []
    for _ in range(rng.randrange(0, 30)):  # overlapping, touching and nested bookings
        start = day + dt.timedelta(minutes=15 * rng.randrange(0, 96))
        spans.append((start, start + dt.timedelta(minutes=15 * rng.randrange(1, 12))))
    busy = availability._merged(spans)
    ends = [end for _start, end in busy]
    assert all(a[1] < b[0] for a, b in zip(busy, busy[1:], strict=False))  # disjoint, sorted
    for minutes in range(0, 24 * 60, 30):
        start = day + dt.timedelta(minutes=minutes)
        end = start + dt.timedelta(minutes=30)
        assert availability._overlaps(busy, ends, start, end) == _naive_taken(spans, start, end)


class _DeclaredSlotSerializer(serializers.Serializer):
    """The slot fields as declared, without the fast `to_representation`."""

    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=["free", "taken", "past"])


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
def test_the_slot_serializer_writes_what_drf_would(zone):
    slots = [
        Slot(
            dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI),
            dt.datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI),
            "free",
        ),
        Slot(
            dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.UTC),
            "taken",
        ),
        Slot(
            dt.datetime(2026, 11, 23, 9, 0, 30, 5, tzinfo=SHANGHAI),
            dt.datetime(2026, 11, 24, 0, 0, tzinfo=SHANGHAI),
            "past",
        ),
    ]
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        fast = SlotSerializer(slots, many=True).data
        declared = _DeclaredSlotSerializer(slots, many=True).data
    assert [dict(row) for row in fast] == [dict(row) for row in declared]
