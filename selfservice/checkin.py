"""Check-in with a lockout on wrong codes.

A six-digit code rotating every minute is hard to guess, but not impossible to brute-force from
a script. Every wrong code a member types is counted (`CheckInFailure`, the only row a refused
check-in writes); CHECKIN_MAX_WRONG_CODES of one member at one meeting, or
CHECKIN_MAX_WRONG_CODES_PER_IP from one address (one phone trying codes for several accounts),
within CHECKIN_WRONG_CODE_WINDOW_MINUTES lock check-in until the oldest of them leaves the
window. While locked even the right code is refused and nothing is written, so the lockout cannot
be probed. The count and the insert run under the member's row lock, so parallel wrong codes of
one member cannot slip past the limit.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.locks import lock_owner
from activities import participation
from activities.models import CheckIn, Meeting
from members.models import Member
from selfservice.models import CheckInFailure

if TYPE_CHECKING:
    from accounts.models import User


class CheckInLocked(participation.ParticipationRefused):
    """Too many wrong codes lately: check-in is refused until the window moves on."""


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CHECKIN_WRONG_CODE_WINDOW_MINUTES)


def locked_for(
    *, meeting: Meeting, member: Member, ip_address: str | None, now: dt.datetime | None = None
) -> dt.timedelta | None:
    """How long check-in stays locked for this member at this meeting from this address, or
    None when it is not. Two queries at most."""
    now = now or timezone.now()
    since = now - _window()
    recent = CheckInFailure.objects.filter(created_at__gt=since)
    counters = [
        (recent.filter(member=member, meeting=meeting), settings.CHECKIN_MAX_WRONG_CODES),
    ]
    if ip_address:
        counters.append(
            (recent.filter(ip_address=ip_address), settings.CHECKIN_MAX_WRONG_CODES_PER_IP)
        )
    longest: dt.timedelta | None = None
    for failures, limit in counters:
        times = list(failures.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(times) < limit:
            continue
        # the limit-th most recent failure leaves the window first and unlocks
        left = times[-1] + _window() - now
        if longest is None or left > longest:
            longest = left
    return longest


def _locked_message(left: dt.timedelta) -> str:
    minutes = max(1, math.ceil(int(left.total_seconds()) / 60))
    return _(
        "Too many wrong codes. Check-in is locked for %(minutes)d minutes; ask the secretary "
        "to mark you present if the meeting ends before then."
    ) % {"minutes": minutes}


def check_in_limited(
    *, meeting: Meeting, member: Member, code: str, actor: User, ip_address: str | None
) -> CheckIn:
    """`participation.check_in` behind the wrong-code lockout (see the module)."""
    wrong: participation.ParticipationRefused | None = None
    with transaction.atomic():
        lock_owner(member)
        now = timezone.now()
        left = locked_for(meeting=meeting, member=member, ip_address=ip_address, now=now)
        if left is not None:
            raise CheckInLocked(_locked_message(left), field="code")
        try:
            return participation.check_in(meeting=meeting, member=member, code=code, actor=actor)
        except participation.ParticipationRefused as refused:
            if refused.field != "code":
                raise
            CheckInFailure.objects.create(
                meeting=meeting, member=member, ip_address=ip_address, created_at=now
            )
            wrong = refused
    raise wrong


def prune_failures(*, now: dt.datetime | None = None) -> int:
    """Forget wrong codes older than a day (the window is at most four hours)."""
    now = now or timezone.now()
    deleted, _rows = CheckInFailure.objects.filter(
        created_at__lt=now - dt.timedelta(days=1)
    ).delete()
    return deleted
