from __future__ import annotations

import datetime as dt

import pytest

#: The day the dues tests stand on: the middle of a month, far from any boundary.
TODAY = dt.date(2030, 6, 15)


@pytest.fixture
def today(clock):
    clock.set(TODAY)
    return TODAY
