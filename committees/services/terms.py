"""Committee terms (换届) and the positions members hold in them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import record_audit
from branches.models import Organization, OrganizationKind
from branches.services.tree import TreeRuleBroken, lock_organizations, require_active, today_local
from committees import rules
from committees.models import CommitteePosition, CommitteeTerm, Position
from members.models import Member


@transaction.atomic
def start_committee_term(
    *,
    organization: Organization,
    started_on: dt.date,
    actor: User | None,
    planned_end_on: dt.date | None = None,
    note: str = "",
) -> CommitteeTerm:
    """Record an election: the current term (if any) ends and a new one starts."""
    (organization,) = lock_organizations([organization])
    require_active(organization)
    if organization.kind == OrganizationKind.PARTY_GROUP:
        raise TreeRuleBroken(_("A party group has no committee."))
    if started_on > today_local():
        raise TreeRuleBroken(_("The date cannot be in the future."), field="started_on")
    current = CommitteeTerm.objects.filter(organization=organization, ended_on__isnull=True).first()
    if current is not None:
        if started_on <= current.started_on:
            raise TreeRuleBroken(
                _("The new term must start after the current one (%(date)s).")
                % {"date": current.started_on.isoformat()},
                field="started_on",
            )
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
        current.positions.filter(ended_on__isnull=True).update(ended_on=started_on)
    planned = planned_end_on or rules.planned_term_end(organization.sector, started_on)
    if planned <= started_on:
        raise TreeRuleBroken(_("The term must end after it starts."), field="planned_end_on")
    term = CommitteeTerm.objects.create(
        organization=organization, started_on=started_on, planned_end_on=planned, note=note
    )
    record_audit(actor=actor, action="committee.term_started", target=organization)
    return term


@transaction.atomic
def appoint_position(
    *,
    term: CommitteeTerm,
    member: Member,
    position: str,
    started_on: dt.date,
    actor: User | None,
) -> CommitteePosition:
    term = CommitteeTerm.objects.select_for_update().select_related("organization").get(pk=term.pk)
    if term.ended_on is not None:
        raise TreeRuleBroken(_("This term has ended."))
    organization = term.organization
    if (
        not Member.objects.current()
        .filter(pk=member.pk, organization__path__startswith=organization.path)
        .exists()
    ):
        raise TreeRuleBroken(
            _("%(member)s is not a member of %(org)s.")
            % {"member": member.full_name, "org": organization.name},
            field="member",
        )
    if started_on < term.started_on:
        raise TreeRuleBroken(_("The date is before the term started."), field="started_on")
    if CommitteePosition.objects.filter(term=term, member=member, ended_on__isnull=True).exists():
        raise TreeRuleBroken(
            _("%(member)s already holds a position in this term.") % {"member": member.full_name},
            field="member",
        )
    if (
        position == Position.SECRETARY
        and CommitteePosition.objects.filter(
            term=term, position=Position.SECRETARY, ended_on__isnull=True
        ).exists()
    ):
        raise TreeRuleBroken(_("The term already has a secretary."), field="position")
    appointed = CommitteePosition.objects.create(
        term=term, member=member, position=position, started_on=started_on
    )
    record_audit(
        actor=actor,
        action="committee.position_appointed",
        target=organization,
        data={"position": position, "member_id": member.pk},
    )
    return appointed


@transaction.atomic
def end_position(
    *, position: CommitteePosition, ended_on: dt.date, actor: User | None
) -> CommitteePosition:
    position = CommitteePosition.objects.select_for_update().get(pk=position.pk)
    if position.ended_on is not None:
        raise TreeRuleBroken(_("This position has already ended."))
    if ended_on < position.started_on:
        raise TreeRuleBroken(_("The end cannot come before the start."), field="ended_on")
    position.ended_on = ended_on
    position.save(update_fields=["ended_on"])
    record_audit(
        actor=actor,
        action="committee.position_ended",
        target=position.term.organization,
        data={"position": position.position, "member_id": position.member_id},
    )
    return position
