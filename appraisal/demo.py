"""The democratic appraisal of 如意湖's branches (idempotent: a branch with a campaign of that year
is left as it is): last year's, decided, from paper ballots, with one member graded 不合格 and
their follow-up; this year's for 联盟新城, open for voting, so the secretary can enter it."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from appraisal.errors import AppraisalRefused
from appraisal.models import AppraisalSettings, Campaign, FollowUp, Grade
from appraisal.rules import excellent_cap
from appraisal.services import campaigns
from branches.models import Organization, OrganizationKind

SELF_ASSESSMENTS = [
    "本年度认真学习党的理论，积极参加支部组织生活，按时交纳党费，参与社区志愿服务。",
    "能够发挥党员先锋模范作用，带头参加社区环境整治，但理论学习还不够系统。",
    "坚持参加“三会一课”，主动联系群众，今后要在帮扶困难群众方面多下功夫。",
]


def seed() -> None:
    today = timezone.localdate()
    branches = list(
        Organization.objects.active()
        .filter(sub_district__name="如意湖办事处", kind=OrganizationKind.BRANCH)
        .order_by("path")
    )
    rng = random.Random(2025)  # noqa: S311  (demo data, reproducible)
    last = today.year - 1
    placed = FollowUp.objects.filter(participant__campaign__year=last).exists()
    for branch in branches:
        if not Campaign.objects.filter(organization=branch, year=last).exists():
            placed = _decided(branch, last, rng, with_unqualified=not placed) or placed
    lianmeng = next((b for b in branches if b.name == "联盟新城社区党支部"), None)
    if lianmeng and not Campaign.objects.filter(organization=lianmeng, year=today.year).exists():
        opens_on = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=7))
        closes_on = max(opens_on, min(dt.date(today.year, 12, 31), today + dt.timedelta(days=14)))
        campaigns.open_campaign(
            organization=lianmeng,
            year=today.year,
            opens_on=opens_on,
            closes_on=closes_on,
            actor=None,
        )


def _decided(
    branch: Organization, year: int, rng: random.Random, *, with_unqualified: bool
) -> bool:
    """Last year's appraisal of `branch`, decided; True when it graded a member 不合格."""
    try:
        campaign = campaigns.open_campaign(
            organization=branch,
            year=year,
            opens_on=dt.date(year, 12, 1),
            closes_on=dt.date(year, 12, 15),
            actor=None,
        )
    except AppraisalRefused:
        return False  # a branch with no members then
    participants = list(
        campaign.participants.select_related("member").order_by("member__full_name")
    )
    for participant in participants[:3]:
        campaigns.record_self_assessment(
            participant=participant, text=rng.choice(SELF_ASSESSMENTS), actor=None
        )
    graded = [p for p in participants if p.is_graded]
    voters = sum(1 for p in participants if p.can_vote)
    ballots = max(voters - rng.randint(0, 2), 0)
    local = AppraisalSettings.for_sub_district(branch.sub_district_id)
    cap = excellent_cap(len(graded), local.excellent_numerator, local.excellent_denominator)
    unqualified = {graded[-1].pk} if with_unqualified and len(graded) >= 2 else set()
    # The member graded 不合格 is never also drawn as 优秀 (the draw would override the grade).
    others = [p for p in graded if p.pk not in unqualified]
    excellent = set(p.pk for p in rng.sample(others, min(cap, len(others) // 4)))
    counts = {}
    for participant in graded:
        if participant.pk in excellent:
            top = rng.randint(ballots // 2 + 1, ballots) if ballots else 0
            counts[participant.pk] = {Grade.EXCELLENT: top, Grade.QUALIFIED: ballots - top}
        elif participant.pk in unqualified:
            low = ballots // 2 + 1 if ballots else 0
            counts[participant.pk] = {
                Grade.UNQUALIFIED: low,
                Grade.BASICALLY_QUALIFIED: ballots - low,
            }
        else:
            some = rng.randint(0, ballots // 4) if ballots else 0
            counts[participant.pk] = {Grade.EXCELLENT: some, Grade.QUALIFIED: ballots - some}
    campaigns.record_paper_tally(campaign=campaign, ballots=ballots, counts=counts, actor=None)
    grades = {
        p.pk: Grade.EXCELLENT
        if p.pk in excellent
        else Grade.UNQUALIFIED
        if p.pk in unqualified
        else Grade.QUALIFIED
        for p in graded
    }
    campaigns.propose_grades(
        campaign=campaign, grades=grades, proposed_on=dt.date(year, 12, 18), actor=None
    )
    campaigns.decide_grades(
        campaign=campaign, grades=grades, decided_on=dt.date(year, 12, 25), actor=None
    )
    return bool(unqualified)
