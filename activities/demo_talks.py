"""A year of heart-to-heart talks for 如意湖's branches (idempotent: skipped once the
sub-district has talks). Most required pairs have talked; every third branch is behind, so the
talks page lists missing pairs. Written in bulk."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from activities.models import Talk, TalkForm
from activities.talks import compliance_for
from branches.models import Organization, OrganizationKind
from members.models import Member

TOPICS = ["思想交流", "工作谈心", "生活困难了解", "学习体会交流", "社区工作意见征求"]


def seed() -> None:
    today = timezone.localdate()
    if today.timetuple().tm_yday < 3:
        return  # the year has barely begun: no talks yet
    branches = list(
        Organization.objects.active()
        .filter(sub_district__name="如意湖办事处", kind=OrganizationKind.BRANCH)
        .order_by("path")
    )
    if not branches or Talk.objects.filter(organization__in=branches).exists():
        return
    rng = random.Random(1717)  # noqa: S311  (demo data, reproducible)
    reports = compliance_for(branches, today.year, today)
    span = (today - dt.date(today.year, 1, 1)).days
    talks = []
    for index, branch in enumerate(branches):
        share = 0.6 if index % 3 == 2 else 0.95
        for pair in reports[branch.pk].missing_pairs:
            if rng.random() > share:
                continue
            talks.append(_talk(branch, pair.first, pair.second, today, span, rng))
        # Everyone with someone: a member no required pair covers talks with another member.
        covered = {pk for talk in talks for pk in (talk.first.pk, talk.second.pk)}
        others = reports[branch.pk].silent
        for member in others:
            if member.pk in covered or len(others) < 2 or rng.random() > share:
                continue
            partner = rng.choice([m for m in others if m.pk != member.pk])
            talks.append(_talk(branch, member, partner, today, span, rng))
            covered.update((member.pk, partner.pk))
    Talk.objects.bulk_create(talks, batch_size=1000)


def _talk(
    branch: Organization,
    first: Member,
    second: Member,
    today: dt.date,
    span: int,
    rng: random.Random,
) -> Talk:
    return Talk(
        organization=branch,
        first=first,
        second=second,
        held_on=dt.date(today.year, 1, 1) + dt.timedelta(days=rng.randint(0, span - 1)),
        form=rng.choice(TalkForm.values),
        topic=rng.choice(TOPICS),
    )
