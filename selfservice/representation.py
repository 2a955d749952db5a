"""Which year-end assessments (述职评议) an account represents, and which wait for its ballot:
read by the ballot pages and by the /me/ home page's link."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from assessment.models import AssessmentRound


def rating_open(assessment_round: AssessmentRound) -> bool:
    today = timezone.localdate()
    return (
        assessment_round.decided_on is None
        and assessment_round.opens_on <= today <= assessment_round.closes_on
    )


def represented_by(user: Any) -> QuerySet[AssessmentRound]:
    """The rounds `user` is a representative of, newest first."""
    return (
        AssessmentRound.objects.filter(representatives__user=user)
        .select_related("sub_district")
        .order_by("-year", "sub_district__name")
    )


def rounds_to_rate(user: Any) -> int:
    """How many rounds wait for `user`'s ballot (open, not yet rated): the link on /me/."""
    today = timezone.localdate()
    return (
        represented_by(user)
        .filter(decided_on__isnull=True, opens_on__lte=today, closes_on__gte=today)
        .exclude(turnout__voter=user)
        .count()
    )
