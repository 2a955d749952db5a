"""A member's decided appraisal grades, for the member's record page (`members/timeline.py`).

Registered in `members.extensions` by `AppraisalConfig.ready()`: `members` sits below
`appraisal` and does not import it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from appraisal.models import Participant
from members.models import Member
from members.timeline import Event

POSITION = 35


def grades(member: Member, limit: int) -> list[Event]:
    rows = (
        Participant.objects.filter(member=member, campaign__decided_on__isnull=False)
        .select_related("campaign")
        .order_by("-campaign__year")[:limit]
    )
    events = []
    for row in rows:
        if row.is_graded:
            title = _("Democratic appraisal %(year)d: %(grade)s") % {
                "year": row.campaign.year,
                "grade": row.get_final_grade_display(),
            }
        else:
            title = _("Democratic appraisal %(year)d: took part (probationary, not graded)") % {
                "year": row.campaign.year
            }
        events.append(Event(row.campaign.decided_on, "appraisal", title))
    return events
