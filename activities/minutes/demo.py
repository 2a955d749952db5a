"""Demo of sealed minutes: 联盟新城社区党支部's general meetings are signed off by its secretary,
so the demo shows the chain, the verify page and the printed minutes with their hash."""

from __future__ import annotations

from accounts.models import User
from activities.models import Meeting, MeetingKind, MeetingStatus
from activities.services import sign_off_meeting
from branches.models import SubDistrict

BRANCH = "联盟新城社区党支部"
SECRETARY = "lianmeng_secretary"


def seal(sub_district: SubDistrict) -> None:
    """Sign off (and so seal) the branch's held general meetings: a handful, through the
    service, so each gets its first sealed version as a secretary's sign-off would."""
    meetings = Meeting.objects.filter(
        organization__sub_district=sub_district,
        organization__name=BRANCH,
        kind=MeetingKind.GENERAL_MEETING,
        status=MeetingStatus.HELD,
        signed_off_at__isnull=True,
    ).order_by("held_on")
    actor = User.objects.filter(username=SECRETARY).first()
    for meeting in meetings:
        sign_off_meeting(meeting=meeting, actor=actor)
