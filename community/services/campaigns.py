"""Award campaigns: nominations, review, public votes, results and publication.

Invariants:
- A vote is one row; (category, voter, day) is unique, where `day` is the local day of the
  vote (one per day) or the first day of voting (one per campaign). Parallel submissions of one
  voter therefore insert at most one row; the loser gets `AlreadyVoted`. The nominee's count
  moves with `F()` in the same transaction as the row, so it never decreases or double counts.
- Rate limits per account and per IP address refuse a flood with a message; a burst of votes
  from new accounts on one nominee flags it for staff and the votes still count (staff decide).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import record_audit
from community import rules
from community.errors import AlreadyVoted, NominationRefused, VoteRefused
from community.models import (
    Campaign,
    CampaignKind,
    Category,
    Nomination,
    NominationStatus,
    ResultRule,
    Vote,
    VoteLimit,
)

CITATION_MIN = 10
CITATION_MAX = 2000


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def nominate(
    *,
    category: Category,
    by: Any,
    nominee_name: str,
    citation: str,
    photo: Any = None,
    member: Any = None,
    organization: Any = None,
    nominator_label: str = "",
    now: dt.datetime | None = None,
) -> Nomination:
    """Put a person (or, for party honours, a member or branch in the nominator's scope) forward
    during the nomination window. The photo is checked by its content and size and stored as a
    fresh JPEG (venues' photo rules); bad input writes nothing."""
    now = now or timezone.now()
    campaign = category.campaign
    if now < campaign.nomination_opens_at:
        raise NominationRefused(
            _("Nominations open on %(when)s.") % {"when": _local(campaign.nomination_opens_at)}
        )
    if now >= campaign.nomination_closes_at:
        raise NominationRefused(_("Nominations for this campaign have closed."))
    nominee_name = (nominee_name or "").strip()
    citation = (citation or "").strip()
    if not nominee_name or len(nominee_name) > 100:
        raise NominationRefused(
            _("Give the nominee's name (at most 100 characters)."), "nominee_name"
        )
    if not CITATION_MIN <= len(citation) <= CITATION_MAX:
        raise NominationRefused(
            _("Describe the nominee's deeds in %(min)d to %(max)d characters.")
            % {"min": CITATION_MIN, "max": CITATION_MAX},
            field="citation",
        )
    if campaign.kind == CampaignKind.HONOURS:
        from branches.models import Organization
        from members.models import Member

        if member is None and organization is None:
            raise NominationRefused(
                _("Party honours go to a member or a branch: choose one."), field="member"
            )
        if member is not None and not Member.objects.visible_to(by).filter(pk=member.pk).exists():
            raise NominationRefused(_("This member is outside your scope."), field="member")
        if (
            organization is not None
            and not Organization.objects.visible_to(by).filter(pk=organization.pk).exists()
        ):
            raise NominationRefused(_("This branch is outside your scope."), field="organization")
    processed = None
    if photo:
        from venues.photos import process_photo

        processed = process_photo(photo)
    with transaction.atomic():
        nomination = Nomination(
            category=category,
            nominee_name=nominee_name,
            citation=citation,
            member=member,
            organization=organization,
            nominated_by=by,
            nominator_label=(nominator_label or "").strip()[:100],
        )
        if processed is not None:
            nomination.photo.save("nominee.jpg", ContentFile(processed.image), save=False)
        nomination.save()
        record_audit(actor=by, action="award.nominated", target=nomination)
    return nomination


def review_nomination(
    *, nomination: Nomination, by: Any, accept: bool, reason: str = ""
) -> Nomination:
    """Accept a nomination (it then stands for the vote) or reject it with a reason."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise NominationRefused(_("Please give the reason for the rejection."), field="reason")
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != NominationStatus.PENDING:
            raise NominationRefused(_("This nomination has already been reviewed."))
        nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.REJECTED
        nomination.reason = reason[:300]
        nomination.save(update_fields=["status", "reason"])
        record_audit(
            actor=by,
            action="award.accepted" if accept else "award.rejected",
            target=nomination,
            data={"reason": reason} if reason else None,
        )
    return nomination


def _vote_day(campaign: Campaign, now: dt.datetime) -> dt.date:
    if campaign.vote_limit == VoteLimit.PER_CAMPAIGN:
        return timezone.localdate(campaign.vote_opens_at)
    return timezone.localdate(now)


def check_can_vote(*, nomination: Nomination, voter: Any, now: dt.datetime) -> None:
    campaign = nomination.category.campaign
    if not voter.is_authenticated:
        raise VoteRefused(_("Please sign in to vote."))
    if not campaign.public_vote:
        raise VoteRefused(_("This campaign has no public vote."))
    if campaign.vote_opens_at is None or now < campaign.vote_opens_at:
        raise VoteRefused(_("Voting has not opened yet."))
    if now >= campaign.vote_closes_at:
        raise VoteRefused(_("Voting has closed."))
    if nomination.status != NominationStatus.ACCEPTED:
        raise VoteRefused(_("This nominee is not standing for the vote."))


def cast_vote(
    *, nomination: Nomination, voter: Any, ip: str | None = None, now: dt.datetime | None = None
) -> Vote:
    """Cast one vote for an accepted nominee while voting is open."""
    now = now or timezone.now()
    nomination = Nomination.objects.select_related("category__campaign").get(pk=nomination.pk)
    check_can_vote(nomination=nomination, voter=voter, now=now)
    campaign = nomination.category.campaign
    minute_ago = now - dt.timedelta(minutes=1)
    if (
        Vote.objects.filter(voter=voter, created_at__gte=minute_ago).count()
        >= rules.VOTES_PER_ACCOUNT_PER_MINUTE
    ):
        raise VoteRefused(_("Too many votes in a short time; please wait a minute."))
    if ip and (
        Vote.objects.filter(ip=ip, created_at__gte=minute_ago).count()
        >= rules.VOTES_PER_IP_PER_MINUTE
    ):
        raise VoteRefused(_("Too many votes from this network; please wait a minute."))
    is_new = voter.date_joined > now - dt.timedelta(days=rules.NEW_ACCOUNT_DAYS)
    day = _vote_day(campaign, now)
    already = (
        _("You have already voted in this category today.")
        if campaign.vote_limit == VoteLimit.PER_DAY
        else _("You have already voted in this category.")
    )
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                nomination=nomination,
                category_id=nomination.category_id,
                voter=voter,
                day=day,
                ip=ip or None,
                voter_is_new=is_new,
            )
            Nomination.objects.filter(pk=nomination.pk).update(vote_count=F("vote_count") + 1)
    except IntegrityError:
        raise AlreadyVoted(already) from None
    if is_new:
        _flag_burst(nomination, now)
    return vote


def _flag_burst(nomination: Nomination, now: dt.datetime) -> None:
    """Flag a nominee for staff when many new accounts voted for them within the window."""
    recent_new = Vote.objects.filter(
        nomination=nomination, voter_is_new=True, created_at__gte=now - rules.BURST_WINDOW
    ).count()
    if recent_new >= rules.BURST_VOTES:
        flagged = Nomination.objects.filter(pk=nomination.pk, flagged_at__isnull=True).update(
            flagged_at=now
        )
        if flagged:
            record_audit(
                actor=None,
                action="award.burst_flagged",
                target=nomination,
                data={"new_account_votes": recent_new},
            )


def results(campaign: Campaign) -> list[tuple[Category, list[tuple[Nomination, Decimal, bool]]]]:
    """Per category, the accepted nominees ranked by the campaign's rule, with their score and
    whether they are among the category's winners. The jury's part is the average of the
    jurors' scores, computed by the database (a nominee nobody scored counts 0)."""
    categories = list(campaign.categories.all())
    nominations = list(
        Nomination.objects.filter(category__campaign=campaign, status=NominationStatus.ACCEPTED)
        .with_jury()
        .order_by("category_id", "-vote_count", "pk")
    )
    by_category: dict[int, list[Nomination]] = {}
    for nomination in nominations:
        by_category.setdefault(nomination.category_id, []).append(nomination)
    out = []
    for category in categories:
        rows = by_category.get(category.pk, [])
        top = max((n.vote_count for n in rows), default=0)
        scored = []
        for n in rows:
            if campaign.result_rule == ResultRule.WEIGHTED:
                score = rules.weighted_score(
                    votes=n.vote_count,
                    top_votes=top,
                    jury_score=n.jury_average,
                    jury_weight=campaign.jury_weight if campaign.public_vote else 100,
                )
            else:
                score = Decimal(n.vote_count)
            scored.append((n, score))
        scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
        out.append((category, [(n, s, i < category.winners) for i, (n, s) in enumerate(scored)]))
    return out


def publish_results(*, campaign: Campaign, by: Any, now: dt.datetime | None = None) -> Campaign:
    """Publish the winners once voting (or, without a public vote, nomination) has closed."""
    now = now or timezone.now()
    closes = campaign.vote_closes_at if campaign.public_vote else campaign.nomination_closes_at
    if closes is None or now < closes:
        raise VoteRefused(_("Results can be published once voting has closed."))
    if Nomination.objects.filter(
        category__campaign=campaign, status=NominationStatus.PENDING
    ).exists():
        raise VoteRefused(_("Review every nomination before publishing the results."))
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, published_at__isnull=True).update(
            published_at=now
        )
        if updated:
            record_audit(actor=by, action="award.published", target=campaign)
    campaign.refresh_from_db()
    return campaign
