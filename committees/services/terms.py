"""Committee terms (换届) and the positions members hold in them.

Both are dated rows (`accounts/dated.py`): never deleted, ended once, by `close_span` (a term when
the next election is recorded, a position when its holder steps down); the positions still open
when a term ends end with it, in one UPDATE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.dated import close_span
from accounts.models import User
from accounts.services import record_audit
from branches.models import Organization, OrganizationKind
from branches.services.tree import TreeRuleBroken, lock_organizations, require_active, today_local
from committees import rules
from committees.models import (
    CommitteePosition,
    CommitteeTerm,
    Position,
    TermExtension,
    TermLengthRule,
    TermReminder,
)
from members.models import Member


def regular_term_end(organization: Organization, started_on: dt.date) -> dt.date:
    """The planned end of a term begun on `started_on`: its length is the one the term-length
    table (`TermLengthRule`, the organisation's sub-district's view of it) gives on that day, for
    the organisation's kind and sector. Every planned end the portal computes comes from here."""
    table = TermLengthRule.objects.effective_for(organization.sub_district_id)
    rule = rules.term_rule(
        table,
        organization_kind=organization.kind,
        sector=organization.sector,
        started_on=started_on,
    )
    if rule is None:
        raise TreeRuleBroken(
            _(
                "No term-length rule is in force on %(day)s for this organisation: ask the "
                "sub-district to add one."
            )
            % {"day": started_on.isoformat()},
            field="started_on",
        )
    return rules.planned_term_end(rule.years, started_on)


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
    planned = planned_end_on or regular_term_end(organization, started_on)
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


@transaction.atomic
def open_elected_term(
    *,
    organization: Organization,
    started_on: dt.date,
    positions: Sequence[tuple[Member, str]],
    actor: User | None,
    note: str = "",
) -> CommitteeTerm:
    """An election's result: the current term ends and the new one starts on `started_on` with
    the elected members in their positions (one secretary at most, each member once), written
    together (`bulk_create`) so the new committee is never half there."""
    if not positions:
        raise TreeRuleBroken(_("Nobody was elected: there is no committee to record."))
    member_ids = [member.pk for member, _position in positions]
    if len(set(member_ids)) != len(member_ids):
        raise TreeRuleBroken(_("A member can hold one position in a term."), field="positions")
    if sum(1 for _m, position in positions if position == Position.SECRETARY) > 1:
        raise TreeRuleBroken(_("The term already has a secretary."), field="positions")
    if any(position not in Position.values for _m, position in positions):
        raise TreeRuleBroken(_("Unknown position."), field="positions")
    term = start_committee_term(
        organization=organization, started_on=started_on, actor=actor, note=note
    )
    on_roll = set(
        Member.objects.current()
        .filter(pk__in=member_ids, organization__path__startswith=term.organization.path)
        .values_list("pk", flat=True)
    )
    strangers = [member.full_name for member, _p in positions if member.pk not in on_roll]
    if strangers:
        raise TreeRuleBroken(
            _("%(member)s is not a member of %(org)s.")
            % {"member": "、".join(strangers), "org": organization.name},
            field="positions",
        )
    CommitteePosition.objects.bulk_create(
        [
            CommitteePosition(term=term, member=member, position=position, started_on=started_on)
            for member, position in positions
        ]
    )
    record_audit(
        actor=actor,
        action="committee.term_elected",
        target=organization,
        data={"term_id": term.pk, "members": member_ids},
    )
    return term


@transaction.atomic
def extend_term(
    *,
    term: CommitteeTerm,
    extended_to: dt.date,
    approved_by: str,
    approved_on: dt.date,
    reason: str,
    actor: User | None,
    today: dt.date | None = None,
) -> TermExtension:
    """The level above approves a later election: the term's planned end moves to
    `extended_to`, at most one year after its regular end in all (任期意见), however many
    extensions it takes. The reminders of the term's end are sent again before the new end."""
    today = today or today_local()
    term = CommitteeTerm.objects.select_for_update().select_related("organization").get(pk=term.pk)
    if term.ended_on is not None:
        raise TreeRuleBroken(_("This term has ended."))
    if not approved_by.strip():
        raise TreeRuleBroken(
            _("Name the organisation above that approved it."), field="approved_by"
        )
    if not reason.strip():
        raise TreeRuleBroken(_("Give the reason for the extension."), field="reason")
    if approved_on > today:
        raise TreeRuleBroken(_("The date cannot be in the future."), field="approved_on")
    if approved_on < term.started_on:
        raise TreeRuleBroken(_("The date is before the term started."), field="approved_on")
    if extended_to <= term.planned_end_on:
        raise TreeRuleBroken(
            _("An extension must move the end after %(day)s.")
            % {"day": term.planned_end_on.isoformat()},
            field="extended_to",
        )
    first = term.extensions.order_by("created_at", "pk").first()
    regular_end = first.previous_end_on if first is not None else term.planned_end_on
    latest = rules.latest_extension_end(regular_end)
    if extended_to > latest:
        raise TreeRuleBroken(
            _(
                "A term may be extended by at most one year in all: from %(end)s to %(latest)s "
                "at the latest."
            )
            % {"end": regular_end.isoformat(), "latest": latest.isoformat()},
            field="extended_to",
        )
    extension = TermExtension.objects.create(
        term=term,
        previous_end_on=term.planned_end_on,
        extended_to=extended_to,
        approved_by=approved_by.strip()[:100],
        approved_on=approved_on,
        reason=reason.strip()[:300],
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    term.planned_end_on = extended_to
    term.save(update_fields=["planned_end_on"])
    TermReminder.objects.filter(term=term).delete()
    record_audit(
        actor=actor,
        action="committee.term_extended",
        target=term.organization,
        data={"term_id": term.pk, "extended_to": extended_to.isoformat()},
    )
    return extension
