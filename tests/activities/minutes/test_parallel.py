"""Changes to signed-off minutes arriving at the same instant each seal their own version:
the meeting's row lock orders them, so the chain has no gap, no fork, and verifies."""

from __future__ import annotations

import pytest
from django.db import connection

from activities.minutes.verification import verify
from activities.models import Meeting, MeetingRevision
from activities.services import attach_file
from tests.activities.minutes.conftest import PNG, upload
from tests.parallel import run_together

PARALLEL = 5


@pytest.mark.django_db(transaction=True)
def test_parallel_attachments_to_signed_off_minutes_chain_one_after_another(signed, secretary):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")

    def attach(n: int):
        return attach_file(
            meeting=Meeting.objects.get(pk=signed.pk),
            upload=upload(f"照片{n}.png", PNG + bytes([n])),
            kind="photo",
            actor=secretary,
            change_reason=f"补交照片{n}",
        )

    outcomes = run_together([lambda n=n: attach(n) for n in range(PARALLEL)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    versions = list(
        MeetingRevision.objects.filter(meeting=signed)
        .order_by("version")
        .values_list("version", flat=True)
    )
    assert versions == list(range(1, PARALLEL + 2))
    last = MeetingRevision.objects.get(meeting=signed, version=PARALLEL + 1)
    assert len(last.snapshot["record"]["attachments"]) == PARALLEL + 1
    assert verify(Meeting.objects.get(pk=signed.pk), files=True).ok is True
