"""Teams, volunteers and join requests; good deeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import queue_email, record_audit
from branches.models import Community, SubDistrict
from members import extensions
from volunteers.errors import GoodDeedClosed, GoodDeedRefused, MembershipRefused
from volunteers.models import (
    GoodDeed,
    MembershipStatus,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)


def volunteer_for_user(*, user: Any, sub_district: SubDistrict) -> Volunteer:
    """The user's volunteer record in `sub_district`, created on first use.

    One record per person and sub-district (a partial unique constraint), so a resident who is
    also a party member keeps one identity and one total of hours. Safe under a race: the
    constraint makes the loser read the winner's row.
    """
    volunteer, created = Volunteer.objects.get_or_create(
        sub_district=sub_district,
        user=user,
        defaults={
            "full_name": user.get_full_name(),
            "phone": user.phone or "",
            "registered_on": timezone.localdate(),
        },
    )
    if created:
        record_audit(actor=user, action="volunteer.registered", target=volunteer)
    return volunteer


@transaction.atomic
def create_team(
    *,
    community: Community,
    name: str,
    kind: str,
    leader: Any = None,
    description: str = "",
    actor: Any,
) -> VolunteerTeam:
    """Found a volunteer team in a community. Its leader, if any, joins it as a member."""
    if VolunteerTeam.objects.filter(community=community, name=name).exists():
        raise MembershipRefused(_("This community already has a team of that name."), field="name")
    team = VolunteerTeam.objects.create(
        community=community, name=name, kind=kind, leader=leader, description=description
    )
    if leader is not None:
        _ensure_member(team=team, user=leader, actor=actor)
    record_audit(actor=actor, action="volunteer_team.created", target=team)
    return team


@transaction.atomic
def update_team(
    *,
    team: VolunteerTeam,
    name: str,
    kind: str,
    leader: Any,
    description: str,
    is_active: bool,
    actor: Any,
) -> VolunteerTeam:
    if VolunteerTeam.objects.filter(community=team.community, name=name).exclude(pk=team.pk):
        raise MembershipRefused(_("This community already has a team of that name."), field="name")
    changed_leader = leader != team.leader
    team.name, team.kind, team.leader = name, kind, leader
    team.description, team.is_active = description, is_active
    team.save()
    if changed_leader and leader is not None:
        _ensure_member(team=team, user=leader, actor=actor)
    record_audit(
        actor=actor,
        action="volunteer_team.changed",
        target=team,
        data={"leader": leader.pk if leader else None},
    )
    return team


def _ensure_member(*, team: VolunteerTeam, user: Any, actor: Any) -> TeamMembership:
    volunteer = volunteer_for_user(user=user, sub_district=team.community.sub_district)
    membership, _created = TeamMembership.objects.update_or_create(
        team=team,
        volunteer=volunteer,
        defaults={
            "status": MembershipStatus.ACTIVE,
            "decided_at": timezone.now(),
            "decided_by": actor,
        },
    )
    return membership


@transaction.atomic
def request_to_join(*, team: VolunteerTeam, user: Any, message: str = "") -> TeamMembership:
    """Ask to join a team; the leader approves. Asking again while pending changes nothing;
    a declined or departed volunteer may ask again."""
    if not team.is_active:
        raise MembershipRefused(_("This team is not taking new members."))
    volunteer = volunteer_for_user(user=user, sub_district=team.community.sub_district)
    membership = (
        TeamMembership.objects.select_for_update().filter(team=team, volunteer=volunteer).first()
    )
    if membership is not None:
        if membership.status == MembershipStatus.ACTIVE:
            raise MembershipRefused(_("You are already a member of this team."))
        if membership.status == MembershipStatus.PENDING:
            return membership
        membership.status = MembershipStatus.PENDING
        membership.message = message
        membership.requested_at = timezone.now()
        membership.decided_at = None
        membership.decided_by = None
        membership.save()
    else:
        membership = TeamMembership.objects.create(team=team, volunteer=volunteer, message=message)
    record_audit(actor=user, action="volunteer_team.join_requested", target=membership)
    return membership


@transaction.atomic
def decide_join_request(*, membership: TeamMembership, approve: bool, actor: Any) -> TeamMembership:
    """Approve or decline a pending join request (the leader's or staff's decision), once: a
    second decision is refused. The requester is told by email either way."""
    membership = (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("team", "volunteer__user")
        .get(pk=membership.pk)
    )
    if membership.status != MembershipStatus.PENDING:
        raise MembershipRefused(_("This request has already been decided."))
    membership.status = MembershipStatus.ACTIVE if approve else MembershipStatus.REJECTED
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    record_audit(
        actor=actor,
        action="volunteer_team.join_approved" if approve else "volunteer_team.join_declined",
        target=membership,
    )
    user = membership.volunteer.user
    if user is not None and user.email:
        # The requester hears the decision either way (a declined request is not left silent).
        team = membership.team
        queue_email(
            to=user.email,
            subject=(
                _("You have joined %(team)s") if approve else _("Your request to join %(team)s")
            )
            % {"team": team.name},
            body=(
                _("%(team)s has approved your request; welcome to the team.")
                if approve
                else _(
                    "%(team)s has declined your request this time. You may ask again later "
                    "or ask another team."
                )
            )
            % {"team": team.name},
        )
    return membership


@transaction.atomic
def leave_team(*, membership: TeamMembership, actor: Any) -> TeamMembership:
    """End a membership (the volunteer leaves, or the leader removes them); history stays."""
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise MembershipRefused(_("This volunteer is not in the team."))
    if membership.team.leader_id and membership.volunteer.user_id == membership.team.leader_id:
        raise MembershipRefused(_("The team leader cannot leave the team; name another leader."))
    membership.status = MembershipStatus.LEFT
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    record_audit(actor=actor, action="volunteer_team.left", target=membership)
    return membership


@transaction.atomic
def record_good_deed(
    *,
    team: VolunteerTeam,
    done_on: dt.date,
    beneficiary: str,
    description: str,
    volunteers: Iterable[Volunteer] = (),
    actor: Any,
) -> GoodDeed:
    """Record a good deed (好事实事) done by a team's volunteers for a resident; it stays open
    until the resident's rating closes it (`close_good_deed`)."""
    if done_on > timezone.localdate():
        raise GoodDeedRefused(_("A good deed cannot be dated in the future."), field="done_on")
    beneficiary, description = beneficiary.strip(), description.strip()
    if not beneficiary:
        raise GoodDeedRefused(_("Say who was helped."), field="beneficiary")
    if not description:
        raise GoodDeedRefused(_("Say what was done."), field="description")
    volunteers = list(volunteers)
    outsiders = [v for v in volunteers if v.sub_district_id != team.community.sub_district_id]
    if outsiders:
        raise GoodDeedRefused(
            _("Only volunteers of this sub-district can be named."), field="volunteers"
        )
    deed = GoodDeed.objects.create(
        team=team,
        done_on=done_on,
        beneficiary=beneficiary,
        description=description,
        recorded_by=actor,
    )
    deed.volunteers.set(volunteers)
    extensions.records_changed(member_ids=[v.member_id for v in volunteers], days=[done_on])
    record_audit(actor=actor, action="good_deed.recorded", target=deed)
    return deed


@transaction.atomic
def close_good_deed(*, deed: GoodDeed, rating: int, comment: str = "", actor: Any) -> GoodDeed:
    """Close a good deed with the resident's rating (1 to 5) and comment, as a wish is
    confirmed: the follow-up visit's record. Once only: the close is `UPDATE … WHERE closed_at
    IS NULL`, so of two closers exactly one wins and the other is told it is closed."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise GoodDeedRefused(_("Rate from 1 to 5 stars."), field="rating")
    comment = (comment or "").strip()
    if len(comment) > 200:
        raise GoodDeedRefused(_("Keep the comment within 200 characters."), field="comment")
    won = GoodDeed.objects.filter(pk=deed.pk, closed_at=None).update(
        closed_at=timezone.now(), closed_by=actor, rating=rating, comment=comment
    )
    if won != 1:
        raise GoodDeedClosed(_("This good deed has already been closed."))
    deed.refresh_from_db()
    record_audit(actor=actor, action="good_deed.closed", target=deed, data={"rating": rating})
    return deed
