"""The meetings a member attended, for the member's timeline (`members/timeline.py`).

Registered in `members.extensions` by `ActivitiesConfig.ready()`: `members` sits below
`activities` and does not import it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Attendance, AttendanceStatus
from members.models import Member
from members.timeline import Event

POSITION = 30


def meetings(member: Member, limit: int) -> list[Event]:
    """Meetings the member attended (present), from the attendance."""
    rows = (
        Attendance.objects.filter(member=member, status=AttendanceStatus.PRESENT)
        .select_related("meeting")
        .order_by("-meeting__starts_at")[:limit]
    )
    return [
        Event(
            row.meeting.held_on or timezone.localtime(row.meeting.starts_at).date(),
            "meeting",
            _("Attended: %(topic)s") % {"topic": row.meeting.topic},
            row.meeting.get_kind_display(),
        )
        for row in rows
    ]
