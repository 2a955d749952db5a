"""Writes of regional party building: committees, dated memberships, part-time members, visits,
pairings and the co-building units themselves.

Every service is keyword-only, runs in one transaction and writes one audit entry in it. A broken
rule raises a `RegionalRuleBroken` subclass whose message names the rule, and writes nothing.
Dated rows are never deleted: a unit that leaves a committee keeps its membership with a leave
date, so the committee "as of" any past day can be shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dated import SpanAlreadyEnded, SpanDateInFuture, SpanDateOutOfOrder, close_span
from accounts.errors import Conflict, DomainError
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.services import record_audit
from branches.models import CoBuildingUnit, Community, SubDistrict
from regional.models import (
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    UnitVisit,
)


class RegionalRuleBroken(DomainError):
    """A rule of regional party building was broken; nothing was written."""


class OutsideSubDistrict(RegionalRuleBroken):
    pass


class DateOutOfOrder(RegionalRuleBroken, SpanDateOutOfOrder):
    pass


class DateInFuture(RegionalRuleBroken, SpanDateInFuture):
    pass


class UnitAlreadySitting(Conflict):
    pass


class UnitNotSitting(RegionalRuleBroken):
    pass


class AlreadyEnded(RegionalRuleBroken, SpanAlreadyEnded):
    pass


class DuplicateName(Conflict):
    pass


class NotALiaison(RegionalRuleBroken):
    pass


class AlreadyPaired(Conflict):
    pass


def _today() -> dt.date:
    return timezone.localdate()


def _not_in_future(day: dt.date, *, field: str) -> None:
    if day > _today():
        raise DateInFuture(_("The date cannot be in the future."), field=field)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


_Dated = TypeVar("_Dated", RegionalMembership, PartTimeMember, Pairing)


def _close(
    row: _Dated, *, day: dt.date, already: str, before: str, action: str, actor: User | None
) -> _Dated:
    """End a dated row (a seat, an appointment, a pairing) on `day` by `close_span`, raising
    this module's errors, and audit it."""
    row = close_span(
        row,
        day=day,
        already=already,
        before=before,
        errors=(AlreadyEnded, DateInFuture, DateOutOfOrder),
    )
    end = type(row).span_end
    record_audit(actor=actor, action=action, target=row, data={end: _iso(day)})
    return row


# --- Committees ---------------------------------------------------------------------------------


@transaction.atomic
def create_regional_committee(
    *,
    sub_district: SubDistrict,
    level: str,
    name: str,
    founded_on: dt.date | None,
    communities: Iterable[Community] = (),
    note: str = "",
    actor: User | None,
) -> RegionalCommittee:
    """Found a regional committee (大工委 / 区域党委) or a community grand party committee.

    The communities it spans must lie in its own sub-district; names are unique per sub-district.
    """
    name = name.strip()
    communities = list(communities)
    if any(c.sub_district_id != sub_district.pk for c in communities):
        raise OutsideSubDistrict(
            _("A regional committee can only span communities of its own sub-district."),
            field="communities",
        )
    if founded_on is not None:
        _not_in_future(founded_on, field="founded_on")
    if RegionalCommittee.objects.filter(sub_district=sub_district, name=name).exists():
        raise DuplicateName(
            _("This sub-district already has a regional committee with this name."), field="name"
        )
    committee = RegionalCommittee.objects.create(
        sub_district=sub_district, level=level, name=name, founded_on=founded_on, note=note
    )
    committee.communities.set(communities)
    record_audit(
        actor=actor,
        action="regional.committee_created",
        target=committee,
        data={
            "level": level,
            "founded_on": _iso(founded_on),
            "communities": [c.pk for c in communities],
        },
    )
    return committee


# --- Memberships --------------------------------------------------------------------------------


@transaction.atomic
def admit_unit(
    *,
    committee: RegionalCommittee,
    unit: CoBuildingUnit,
    joined_on: dt.date,
    actor: User | None,
) -> RegionalMembership:
    """Seat a unit on a committee from `joined_on`.

    Refused for a unit of another sub-district, a unit already sitting (one open membership per
    committee and unit, also a database constraint), a date before the committee was founded or
    overlapping an earlier, closed seat of the same unit.
    """
    # Lock the committee so two admissions of the same unit queue up behind each other.
    committee = RegionalCommittee.objects.select_for_update().get(pk=committee.pk)
    if unit.sub_district_id != committee.sub_district_id:
        raise OutsideSubDistrict(
            _("Only units of the committee's own sub-district can join it."), field="unit"
        )
    _not_in_future(joined_on, field="joined_on")
    if committee.founded_on and joined_on < committee.founded_on:
        raise DateOutOfOrder(
            _("A unit cannot join before the committee was founded (%(day)s).")
            % {"day": committee.founded_on.isoformat()},
            field="joined_on",
        )
    seats = RegionalMembership.objects.filter(committee=committee, unit=unit)
    if seats.open().exists():
        raise UnitAlreadySitting(_("This unit already sits on the committee."), field="unit")
    if seats.filter(left_on__gte=joined_on).exists():
        raise DateOutOfOrder(
            _("The unit sat on the committee until after this date; choose a later join date."),
            field="joined_on",
        )
    try:
        with transaction.atomic():
            membership = RegionalMembership.objects.create(
                committee=committee, unit=unit, joined_on=joined_on
            )
    except IntegrityError as exc:
        raise UnitAlreadySitting(
            _("This unit already sits on the committee."), field="unit"
        ) from exc
    record_audit(
        actor=actor,
        action="regional.unit_admitted",
        target=membership,
        data={"committee": committee.pk, "unit": unit.pk, "joined_on": _iso(joined_on)},
    )
    return membership


@transaction.atomic
def remove_unit(
    *, membership: RegionalMembership, left_on: dt.date, actor: User | None
) -> RegionalMembership:
    """Close a unit's seat on `left_on`. The row stays: the committee's past is kept."""
    return _close(
        membership,
        day=left_on,
        already=_("This unit has already left the committee."),
        before=_("A unit cannot leave before it joined (%(day)s)."),
        action="regional.unit_removed",
        actor=actor,
    )


# --- Part-time committee members ------------------------------------------------------------------


@transaction.atomic
def appoint_part_time_member(
    *,
    committee: RegionalCommittee,
    unit: CoBuildingUnit,
    full_name: str,
    title: str = "",
    started_on: dt.date,
    actor: User | None,
) -> PartTimeMember:
    """Seat a unit's leader on the committee as a part-time member (兼职委员).

    The unit must sit on the committee on the day the appointment starts.
    """
    full_name = full_name.strip()
    if not full_name:
        raise RegionalRuleBroken(_("Enter the part-time member's name."), field="full_name")
    _not_in_future(started_on, field="started_on")
    if (
        not RegionalMembership.objects.filter(committee=committee, unit=unit)
        .on(started_on)
        .exists()
    ):
        raise UnitNotSitting(
            _("A part-time member must come from a unit sitting on the committee on that day."),
            field="unit",
        )
    member = PartTimeMember.objects.create(
        committee=committee, unit=unit, full_name=full_name, title=title, started_on=started_on
    )
    record_audit(
        actor=actor,
        action="regional.part_time_member_appointed",
        target=member,
        data={"committee": committee.pk, "unit": unit.pk, "started_on": _iso(started_on)},
    )
    return member


@transaction.atomic
def end_part_time_member(
    *, member: PartTimeMember, ended_on: dt.date, actor: User | None
) -> PartTimeMember:
    """End a part-time member's appointment; the row stays as history."""
    return _close(
        member,
        day=ended_on,
        already=_("This appointment has already ended."),
        before=_("An appointment cannot end before it started (%(day)s)."),
        action="regional.part_time_member_ended",
        actor=actor,
    )


# --- Visits -----------------------------------------------------------------------------------


@transaction.atomic
def record_visit(
    *,
    unit: CoBuildingUnit,
    visited_on: dt.date,
    visitors: str,
    needs: str = "",
    opinions: str = "",
    follow_up: str = "",
    actor: User | None,
) -> UnitVisit:
    """Record a visit to a unit (走访) with the needs and opinions heard and the follow-up due."""
    visitors = visitors.strip()
    if not visitors:
        raise RegionalRuleBroken(_("Say who went on the visit."), field="visitors")
    _not_in_future(visited_on, field="visited_on")
    visit = UnitVisit.objects.create(
        unit=unit,
        visited_on=visited_on,
        visitors=visitors,
        needs=needs,
        opinions=opinions,
        follow_up=follow_up,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record_audit(
        actor=actor,
        action="regional.visit_recorded",
        target=visit,
        data={"unit": unit.pk, "visited_on": _iso(visited_on)},
    )
    return visit


@transaction.atomic
def complete_visit_follow_up(
    *, visit: UnitVisit, done_on: dt.date, follow_up: str = "", actor: User | None
) -> UnitVisit:
    """Mark a visit's follow-up as done (optionally saying what was done)."""
    visit = UnitVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.follow_up_done_on is not None:
        raise AlreadyEnded(_("This visit's follow-up is already done."))
    _not_in_future(done_on, field="done_on")
    if done_on < visit.visited_on:
        raise DateOutOfOrder(
            _("A follow-up cannot be done before the visit (%(day)s).")
            % {"day": visit.visited_on.isoformat()},
            field="done_on",
        )
    visit.follow_up_done_on = done_on
    fields = ["follow_up_done_on"]
    if follow_up.strip():
        visit.follow_up = follow_up.strip()
        fields.append("follow_up")
    visit.save(update_fields=fields)
    record_audit(
        actor=actor,
        action="regional.visit_follow_up_done",
        target=visit,
        data={"done_on": _iso(done_on)},
    )
    return visit


# --- Pairings -----------------------------------------------------------------------------------


@transaction.atomic
def pair_unit_with_community(
    *,
    unit: CoBuildingUnit,
    community: Community,
    started_on: dt.date,
    note: str = "",
    actor: User | None,
) -> Pairing:
    """Pair a unit with a community of its sub-district (结对共建); one open pairing per pair."""
    unit = CoBuildingUnit.objects.select_for_update().get(pk=unit.pk)
    if community.sub_district_id != unit.sub_district_id:
        raise OutsideSubDistrict(
            _("A unit can only pair with a community of its own sub-district."),
            field="community",
        )
    _not_in_future(started_on, field="started_on")
    if Pairing.objects.filter(unit=unit, community=community).open().exists():
        raise AlreadyPaired(
            _("This unit is already paired with this community."), field="community"
        )
    if Pairing.objects.filter(unit=unit, community=community, ended_on__gte=started_on).exists():
        raise DateOutOfOrder(
            _("An earlier pairing of the same unit and community ran until after this date."),
            field="started_on",
        )
    pairing = Pairing.objects.create(
        unit=unit, community=community, started_on=started_on, note=note
    )
    record_audit(
        actor=actor,
        action="regional.pairing_started",
        target=pairing,
        data={"unit": unit.pk, "community": community.pk, "started_on": _iso(started_on)},
    )
    return pairing


@transaction.atomic
def end_pairing(*, pairing: Pairing, ended_on: dt.date, actor: User | None) -> Pairing:
    """End a pairing on `ended_on`; the row stays as history."""
    return _close(
        pairing,
        day=ended_on,
        already=_("This pairing has already ended."),
        before=_("A pairing cannot end before it started (%(day)s)."),
        action="regional.pairing_ended",
        actor=actor,
    )


# --- Units --------------------------------------------------------------------------------------

UNIT_FIELDS = (
    "name",
    "sector",
    "unit_type",
    "party_organization_name",
    "leader_name",
    "address",
    "resources",
)


def _check_unit_name(sub_district_id: int, name: str, *, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise RegionalRuleBroken(_("Enter the unit's name."), field="name")
    clash = CoBuildingUnit.objects.filter(sub_district_id=sub_district_id, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DuplicateName(
            _("This sub-district already has a co-building unit with this name."), field="name"
        )
    return name


@transaction.atomic
def register_unit(
    *, sub_district: SubDistrict, name: str, actor: User | None, **fields: Any
) -> CoBuildingUnit:
    """Register a co-building unit of a sub-district. Its liaison is set once the liaison
    holds the liaison role for it (see `update_unit`)."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"register_unit() got unexpected fields {sorted(unknown)}")
    name = _check_unit_name(sub_district.pk, name)
    unit = CoBuildingUnit.objects.create(sub_district=sub_district, name=name, **fields)
    record_audit(actor=actor, action="regional.unit_registered", target=unit)
    return unit


_UNSET: Any = object()


@transaction.atomic
def update_unit(
    *, unit: CoBuildingUnit, actor: User | None, liaison: User | None = _UNSET, **fields: Any
) -> CoBuildingUnit:
    """Change a unit's details. A liaison must hold the liaison role for this very unit, so the
    person named on the page is the person who can see the unit's rows."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"update_unit() got unexpected fields {sorted(unknown)}")
    unit = CoBuildingUnit.objects.select_for_update().get(pk=unit.pk)
    if "name" in fields:
        fields["name"] = _check_unit_name(unit.sub_district_id, fields["name"], exclude_pk=unit.pk)
    changed: dict[str, Any] = {}
    for key, value in fields.items():
        if getattr(unit, key) != value:
            changed[key] = value
            setattr(unit, key, value)
    if liaison is not _UNSET and liaison != unit.liaison:
        if (
            liaison is not None
            and not RoleAssignment.objects.filter(
                user=liaison, role=Role.UNIT_LIAISON, unit=unit, is_active=True
            ).exists()
        ):
            raise NotALiaison(
                _("The liaison must hold the co-building unit liaison role for this unit."),
                field="liaison",
            )
        unit.liaison = liaison
        changed["liaison"] = liaison.pk if liaison is not None else None
    if changed:
        unit.save()
        record_audit(
            actor=actor,
            action="regional.unit_updated",
            target=unit,
            data={"fields": sorted(changed)},
        )
    return unit
