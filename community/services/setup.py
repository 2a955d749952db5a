"""Setting up community life on the workbench: schools, terms, courses (optionally with their
sessions booked), award campaigns with their categories, jury scores.

Each service saves in one transaction with its audit entry. Scope is the caller's: views find
rows through `managed_by(user)` and forms offer only managed choices; the services keep the
rules that hold whoever calls them (a course's schedule all or nothing, a category with
nominations kept, jury scores only where and when a jury scores).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import record_audit
from community.errors import NominationRefused
from community.models import (
    Campaign,
    Category,
    Course,
    JuryScore,
    Nomination,
    NominationStatus,
    ResultRule,
    School,
    Term,
)
from community.services.courses import schedule_sessions


def _save(instance: Any, *, actor: Any, noun: str, data: dict[str, Any] | None = None) -> None:
    created = instance.pk is None
    instance.save()
    record_audit(
        actor=actor,
        action=f"{noun}.{'created' if created else 'changed'}",
        target=instance,
        data=data or {},
    )


def save_school(*, school: School, actor: Any) -> School:
    """Create or change a school."""
    with transaction.atomic():
        _save(school, actor=actor, noun="school")
    return school


def save_term(*, term: Term, actor: Any) -> Term:
    """Create or change a term of a school."""
    with transaction.atomic():
        _save(term, actor=actor, noun="term")
    return term


def save_course(
    *, course: Course, actor: Any, schedule: bool = False, now: dt.datetime | None = None
) -> int:
    """Create or change a course; with `schedule`, book its term's sessions in the room in the
    same transaction, so a collision (`ScheduleConflict`, naming the date and the reason) leaves
    neither the course nor any booking written. Returns the number of sessions booked."""
    with transaction.atomic():
        _save(course, actor=actor, noun="course")
        return schedule_sessions(course=course, actor=actor, now=now) if schedule else 0


def save_campaign(
    *,
    campaign: Campaign,
    categories: list[tuple[str, int]],
    actor: Any,
    jurors: list[Any] | None = None,
) -> Campaign:
    """Create or change a campaign and make its categories the ones listed (name, winners), and
    its jury the users given (None: unchanged). A category that already has nominations cannot
    be removed; the refusal writes nothing."""
    with transaction.atomic():
        _save(campaign, actor=actor, noun="campaign", data={"categories": len(categories)})
        if jurors is not None:
            campaign.jurors.set(jurors)
        existing = {c.name: c for c in campaign.categories.all()}
        wanted = dict(categories)
        for name, category in existing.items():
            if name in wanted:
                continue
            if category.nominations.exists():
                raise NominationRefused(
                    _("The category %(name)s has nominations and cannot be removed.")
                    % {"name": name},
                    field="categories",
                )
            category.delete()
        for name, winners in categories:
            category = existing.get(name)
            if category is None:
                Category.objects.create(campaign=campaign, name=name, winners=winners)
            elif category.winners != winners:
                Category.objects.filter(pk=category.pk).update(winners=winners)
    return campaign


def check_jury_can_score(campaign: Campaign, now: dt.datetime) -> None:
    """A jury scores only campaigns whose result weighs its scores (or that have no public
    vote), after nominations have closed and before the results are published."""
    if campaign.result_rule != ResultRule.WEIGHTED and campaign.public_vote:
        raise NominationRefused(_("This campaign's result counts votes only; it has no jury."))
    if campaign.published_at is not None:
        raise NominationRefused(_("The results are published; the scores can no longer change."))
    if now < campaign.nomination_closes_at:
        raise NominationRefused(
            _("The jury scores once nominations have closed, on %(when)s.")
            % {"when": timezone.localtime(campaign.nomination_closes_at).strftime("%Y-%m-%d %H:%M")}
        )


def check_may_score(campaign: Campaign, user: Any) -> None:
    """Only the campaign's named jury members score, and staff who manage the campaign (on
    the workbench; their scores are recorded as their own)."""
    if campaign.jurors.filter(pk=user.pk).exists():
        return
    if (
        user.has_perm("community.change_nomination")
        and Campaign.objects.managed_by(user).filter(pk=campaign.pk).exists()
    ):
        return
    raise NominationRefused(_("Only the campaign's jury members may score its nominations."))


def record_jury_scores(
    *,
    campaign: Campaign,
    scores: dict[int, Decimal | None],
    juror: Any,
    now: dt.datetime | None = None,
) -> int:
    """Record `juror`'s own 0–100 scores of the campaign's accepted nominations: one row per
    (nomination, juror), replaced on a second save; an empty score removes the juror's own
    score. Other jurors' scores are never touched. Refused outside the jury's window or for
    someone who is not on the jury; all or nothing. Returns how many of the juror's scores
    changed."""
    now = now or timezone.now()
    check_jury_can_score(campaign, now)
    check_may_score(campaign, juror)
    for score in scores.values():
        if score is not None and not Decimal(0) <= score <= Decimal(100):
            raise NominationRefused(_("A jury score lies between 0 and 100."))
    changed = 0
    with transaction.atomic():
        accepted = set(
            Nomination.objects.filter(
                category__campaign=campaign, status=NominationStatus.ACCEPTED, pk__in=list(scores)
            ).values_list("pk", flat=True)
        )
        own = {
            row.nomination_id: row
            for row in JuryScore.objects.select_for_update().filter(
                juror=juror, nomination_id__in=accepted
            )
        }
        for pk, score in scores.items():
            if pk not in accepted:
                continue
            row = own.get(pk)
            if score is None:
                if row is not None:
                    row.delete()
                    changed += 1
                continue
            if row is not None and row.score == score:
                continue
            JuryScore.objects.update_or_create(
                nomination_id=pk, juror=juror, defaults={"score": score}
            )
            changed += 1
        record_audit(
            actor=juror, action="campaign.jury_scored", target=campaign, data={"changed": changed}
        )
    return changed
