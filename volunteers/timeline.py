"""A member's credited volunteer service, for the member's timeline (`members/timeline.py`).

Registered in `members.extensions` by `VolunteersConfig.ready()`: `members` sits below
`volunteers` and does not import it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from members.timeline import Event
from volunteers.models import Enrollment

POSITION = 50


def volunteer_service(member: Member, limit: int) -> list[Event]:
    return [
        Event(
            timezone.localtime(enrollment.activity.starts_at).date(),
            "volunteer",
            _("Volunteer service: %(title)s") % {"title": enrollment.activity.title},
            f"{enrollment.activity.team.name} · {enrollment.total_minutes / 60:.1f} h",
        )
        for enrollment in (
            Enrollment.objects.credited()
            .filter(volunteer__member=member)
            .select_related("activity", "activity__team")
            .order_by("-activity__starts_at")[:limit]
        )
    ]
