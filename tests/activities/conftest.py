from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """Django's clock held at today 10:00 (tests/conftest.py): 'half an hour ago', 'today' and
    'this month' mean the same whenever the suite runs."""
    return clock
