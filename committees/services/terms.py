"""Committee terms (换届) and the positions members hold in them.

Both are dated rows (`accounts/dated.py`): never deleted, ended once, by `close_span` (a term when
the next election is recorded, a position when its holder steps down); the positions still open
when a term ends end with it, in one UPDATE.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.dated import close_span
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
    current = CommitteeTerm.objects.filter(organization=organization).current().first()
    if current is not None:
        if started_on <= current.started_on:
            raise TreeRuleBroken(
                _("The new term must start after the current one (%(date)s).")
                % {"date": current.started_on.isoformat()},
                field="started_on",
            )
        close_span(current, day=started_on)
        current.positions.open().update(ended_on=started_on)
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
    if CommitteePosition.objects.filter(term=term, member=member).open().exists():
        raise TreeRuleBroken(
            _("%(member)s already holds a position in this term.") % {"member": member.full_name},
            field="member",
        )
    if (
        position == Position.SECRETARY
        and CommitteePosition.objects.filter(term=term, position=Position.SECRETARY).open().exists()
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
    """A member steps down: the position ends on `ended_on` (which may be announced ahead) and
    stays as history."""
    position = close_span(
        position,
        day=ended_on,
        already=_("This position has already ended."),
        before=_("The end cannot come before the start."),
        allow_future=True,
    )
    record_audit(
        actor=actor,
        action="committee.position_ended",
        target=position.term.organization,
        data={"position": position.position, "member_id": position.member_id},
    )
    return position
