"""Small wishes (微心愿): a resident posts, one volunteer or team claims, fulfils, the resident
confirms and rates. The claim is a conditional update on an open wish, so one claimer wins."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.locks import lock_owner
from accounts.services import queue_email, record_audit
from branches.models import Community
from members import extensions
from volunteers.errors import WishAlreadyClaimed, WishRefused
from volunteers.models import (
    MembershipStatus,
    Volunteer,
    VolunteerTeam,
    Wish,
    WishStatus,
)
from volunteers.rules import MAX_OPEN_WISHES


@transaction.atomic
def post_wish(*, user: Any, community: Community, title: str, description: str = "") -> Wish:
    """A resident posts a wish in their community; it is open until someone claims it.

    A resident has at most `MAX_OPEN_WISHES` wishes waiting (open or claimed); the resident's
    user row is locked before counting, so the limit holds under parallel posts.
    """
    if not title.strip():
        raise WishRefused(_("Say what you wish for."), field="title")
    # Parallel posts of one resident queue here, so each counts the others' wishes.
    lock_owner(user)
    open_count = Wish.objects.filter(
        posted_by=user, status__in=[WishStatus.OPEN, WishStatus.CLAIMED]
    ).count()
    if open_count >= MAX_OPEN_WISHES:
        raise WishRefused(
            _("You already have 3 wishes waiting; confirm or withdraw one before posting another.")
        )
    wish = Wish.objects.create(
        community=community, posted_by=user, title=title.strip(), description=description.strip()
    )
    record_audit(actor=user, action="wish.posted", target=wish)
    return wish


def can_claim_as_volunteer(volunteer: Volunteer) -> bool:
    """Party members and active members of a team may claim wishes in person."""
    return volunteer.member_id is not None or (
        volunteer.memberships.filter(status=MembershipStatus.ACTIVE).exists()
    )


@transaction.atomic
def claim_wish(
    *,
    wish: Wish,
    actor: Any,
    volunteer: Volunteer | None = None,
    team: VolunteerTeam | None = None,
) -> Wish:
    """Claim an open wish for a volunteer or for a team. Exactly one claimer wins a race: the
    claim is `UPDATE … WHERE status = 'open'` and only the update that changed a row counts."""
    if (volunteer is None) == (team is None):
        raise WishRefused(_("A wish is claimed by one volunteer or one team."))
    sub_district_id = wish.community.sub_district_id
    if volunteer is not None:
        if volunteer.sub_district_id != sub_district_id:
            raise WishRefused(_("This wish belongs to another sub-district."))
        if volunteer.user_id is not None and volunteer.user_id == wish.posted_by_id:
            raise WishRefused(_("You cannot claim your own wish."))
        if not can_claim_as_volunteer(volunteer):
            raise WishRefused(_("Join a volunteer team first to claim wishes."))
    if team is not None and team.community.sub_district_id != sub_district_id:
        raise WishRefused(_("This wish belongs to another sub-district."))
    now = timezone.now()
    won = Wish.objects.filter(
        pk=wish.pk, status=WishStatus.OPEN, claimed_by_volunteer=None, claimed_by_team=None
    ).update(
        status=WishStatus.CLAIMED,
        claimed_by_volunteer=volunteer,
        claimed_by_team=team,
        claimed_at=now,
    )
    if won != 1:
        raise WishAlreadyClaimed(_("Someone else has already claimed this wish."))
    wish.refresh_from_db()
    record_audit(actor=actor, action="wish.claimed", target=wish)
    if wish.posted_by.email:
        queue_email(
            to=wish.posted_by.email,
            subject=_("Your wish has been claimed: %(title)s") % {"title": wish.title},
            body=_("%(claimer)s has claimed your wish %(title)s and will be in touch.")
            % {"claimer": wish.claimer, "title": wish.title},
        )
    return wish


@transaction.atomic
def mark_wish_done(*, wish: Wish, note: str, actor: Any) -> Wish:
    """The claimer says the wish is fulfilled; the resident then confirms it."""
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    if wish.status != WishStatus.CLAIMED:
        raise WishRefused(_("Only a claimed wish can be marked as done."))
    wish.status = WishStatus.DONE
    wish.done_at = timezone.now()
    wish.done_note = note.strip()
    wish.save(update_fields=["status", "done_at", "done_note"])
    record_audit(actor=actor, action="wish.done", target=wish)
    return wish


@transaction.atomic
def confirm_wish(*, wish: Wish, user: Any, rating: int, feedback: str = "") -> Wish:
    """The resident who posted the wish confirms it was fulfilled and rates it (1 to 5)."""
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    if wish.posted_by_id != user.pk:
        raise WishRefused(_("Only the resident who posted the wish can confirm it."))
    if wish.status != WishStatus.DONE:
        raise WishRefused(_("The wish can be confirmed once it is marked as done."))
    if not 1 <= rating <= 5:
        raise WishRefused(_("Rate from 1 to 5 stars."), field="rating")
    wish.status = WishStatus.CONFIRMED
    wish.confirmed_at = timezone.now()
    wish.rating = rating
    wish.feedback = feedback.strip()
    wish.save(update_fields=["status", "confirmed_at", "rating", "feedback"])
    if wish.claimed_by_volunteer_id is not None:
        claimer = Volunteer.objects.only("member_id").get(pk=wish.claimed_by_volunteer_id)
        extensions.records_changed(
            member_ids=[claimer.member_id], days=[timezone.localdate(wish.confirmed_at)]
        )
    record_audit(actor=user, action="wish.confirmed", target=wish, data={"rating": rating})
    return wish


@transaction.atomic
def withdraw_wish(*, wish: Wish, user: Any) -> Wish:
    """The resident withdraws a wish nobody has claimed yet."""
    if wish.posted_by_id != user.pk:
        raise WishRefused(_("Only the resident who posted the wish can withdraw it."))
    updated = Wish.objects.filter(pk=wish.pk, status=WishStatus.OPEN).update(
        status=WishStatus.WITHDRAWN
    )
    if updated != 1:
        raise WishRefused(_("A claimed wish cannot be withdrawn; talk to the claimer."))
    wish.refresh_from_db()
    record_audit(actor=user, action="wish.withdrawn", target=wish)
    return wish
