from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """Django's clock held at today 10:00 Asia/Shanghai (tests/conftest.py): 'today', 'this
    quarter' and 'an hour ago' mean the same whenever the suite runs (issue 14)."""
    return clock
