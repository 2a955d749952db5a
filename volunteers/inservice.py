"""Credited volunteer service as an in-service member's quarterly quota counts it
(`members/inservice/services.py`: `with_progress`, `behind`, `member_quarter`).

Registered in `members.extensions` by `VolunteersConfig.ready()`: `members` sits below
`volunteers` and does not import it."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet

from config.periods import Period
from members.extensions import VolunteerCredit
from volunteers.models import Enrollment
from volunteers.querysets import services_for_member


def per_member(period: Period) -> QuerySet[Any]:
    """Credited volunteer service in `period`, as `services_for_member` counts it, per member."""
    return (
        Enrollment.objects.credited()
        .between(period.start, period.end)
        .filter(volunteer__member_id=OuterRef("member_id"))
        .values("volunteer__member_id")
    )


CREDIT = VolunteerCredit(per_member=per_member, for_member=services_for_member)
