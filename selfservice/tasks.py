from __future__ import annotations

from celery import shared_task

from selfservice.checkin import prune_failures
from selfservice.notices import tell_members_of_reviews


@shared_task(name="selfservice.tasks.tell_members_of_reviews", time_limit=300)
def tell_members_of_reviews_scan() -> int:
    """Every five minutes: tell members of reviewed services; forget old wrong check-in codes."""
    prune_failures()
    return tell_members_of_reviews()
