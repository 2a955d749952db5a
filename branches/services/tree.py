"""Writes that shape the organisation tree: found, rename, change kind, move, merge, split,
dissolve. Committee terms are in the `committees` app.

Each service is one transaction that locks the organisations it touches (in primary-key order),
keeps the dated history (`OrganizationPeriod`, `OrganizationEvent`) and writes an audit entry.
Nothing is deleted: what ends is archived with its end date. A refusal raises `TreeRuleBroken`
with a message a person can act on, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from accounts.services import record_audit
from branches import rules
from branches.extensions import committees, member_model, reassign_members
from branches.models import (
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
    OrganizationStatus,
    SubDistrict,
)


class TreeRuleBroken(DomainError):
    """A restructuring that would break the tree or its rules."""


def today_local() -> dt.date:
    return timezone.localdate()


def lock_organizations(organizations: Iterable[Organization]) -> list[Organization]:
    """Lock rows in a fixed order (by pk) and return fresh copies."""
    pks = sorted({org.pk for org in organizations})
    locked = {org.pk: org for org in Organization.objects.select_for_update().filter(pk__in=pks)}
    return [locked[pk] for pk in pks]


def _fresh(organization: Organization) -> Organization:
    return Organization.objects.get(pk=organization.pk)


def _parent(organization: Organization) -> Organization | None:
    if organization.depth <= 1:
        return None
    return Organization.objects.get(path=organization.parent_path)


def require_active(*organizations: Organization) -> None:
    for org in organizations:
        if org.status != OrganizationStatus.ACTIVE:
            raise TreeRuleBroken(
                _("%(name)s is archived; archived organisations cannot be changed.")
                % {"name": org.name}
            )


def _require_date(on: dt.date, *organizations: Organization) -> None:
    if on > today_local():
        raise TreeRuleBroken(_("The date cannot be in the future."), field="on")
    for org in organizations:
        opened = (
            OrganizationPeriod.objects.filter(organization=org, valid_to__isnull=True)
            .values_list("valid_from", flat=True)
            .first()
        )
        if opened is not None and on < opened:
            raise TreeRuleBroken(
                _("The date is before the last change of %(name)s (%(date)s).")
                % {"name": org.name, "date": opened.isoformat()},
                field="on",
            )


def _check_placement(parent: Organization | None, kind: str, name: str) -> None:
    if not rules.may_contain(parent.kind if parent else None, kind):
        kind_label = OrganizationKind(kind).label
        if parent is None:
            raise TreeRuleBroken(
                _("Only a party working committee can stand at the top of the tree."),
                field="parent",
            )
        raise TreeRuleBroken(
            _("A %(kind)s cannot be placed under %(parent)s (%(parent_kind)s).")
            % {
                "kind": kind_label,
                "parent": parent.name,
                "parent_kind": OrganizationKind(parent.kind).label,
            },
            field="parent",
        )


def _open_period(organization: Organization, on: dt.date) -> None:
    parent = _parent(organization)
    OrganizationPeriod.objects.create(
        organization=organization,
        parent=parent,
        name=organization.name,
        kind=organization.kind,
        sector=organization.sector,
        valid_from=on,
    )


def _close_period(organization: Organization, on: dt.date) -> None:
    OrganizationPeriod.objects.filter(organization=organization, valid_to__isnull=True).update(
        valid_to=on
    )


def _roll_period(organization: Organization, on: dt.date) -> None:
    """Close the open period on `on` and open one with the organisation as it now stands.

    A second change on the same day replaces that day's period instead of leaving an empty one.
    """
    OrganizationPeriod.objects.filter(
        organization=organization, valid_to__isnull=True, valid_from=on
    ).delete()
    _close_period(organization, on)
    _open_period(organization, on)


def _event(
    organization: Organization,
    kind: EventKind,
    on: dt.date,
    description: str,
    actor: User | None,
    related: Sequence[Organization] = (),
    data: dict[str, Any] | None = None,
) -> OrganizationEvent:
    event = OrganizationEvent.objects.create(
        organization=organization,
        kind=kind,
        occurred_on=on,
        description=description[:300],
        data=data or {},
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if related:
        event.related.set(related)
    return event


def _archive(organization: Organization, on: dt.date, merged_into: Organization | None) -> None:
    Organization.objects.filter(pk=organization.pk).update(
        status=OrganizationStatus.ARCHIVED, ended_on=on, merged_into=merged_into
    )
    _close_period(organization, on)
    committees().end_terms(organization, on)


def _active_children(organization: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            path__startswith=organization.path,
            depth=organization.depth + 1,
            status=OrganizationStatus.ACTIVE,
        )
    )


def _move_node(node: Organization, new_parent: Organization) -> None:
    node.move(new_parent, pos="last-child")


@transaction.atomic
def found_organization(
    *,
    sub_district: SubDistrict,
    parent: Organization | None,
    name: str,
    kind: str,
    sector: str = "",
    founded_on: dt.date,
    actor: User | None,
    is_joint: bool = False,
    is_temporary: bool = False,
    ends_on: dt.date | None = None,
    note: str = "",
) -> Organization:
    """Found an organisation under `parent` (or a working committee at the root)."""
    name = name.strip()
    if not name:
        raise TreeRuleBroken(_("The name is required."), field="name")
    if parent is not None:
        (parent,) = lock_organizations([parent])
        require_active(parent)
        if parent.sub_district_id != sub_district.pk:
            raise TreeRuleBroken(_("The parent belongs to another sub-district."), field="parent")
    _check_placement(parent, kind, name)
    if is_temporary and ends_on is None:
        raise TreeRuleBroken(_("A temporary branch needs an end date."), field="ends_on")
    if ends_on is not None and ends_on <= founded_on:
        raise TreeRuleBroken(_("The end date must come after the founding date."), field="ends_on")
    if founded_on > today_local():
        raise TreeRuleBroken(_("The date cannot be in the future."), field="founded_on")
    if parent is not None and parent.founded_on and founded_on < parent.founded_on:
        raise TreeRuleBroken(
            _("%(parent)s was founded on %(date)s; nothing can be founded under it earlier.")
            % {"parent": parent.name, "date": parent.founded_on.isoformat()},
            field="founded_on",
        )
    siblings = (
        Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        if parent
        else Organization.objects.filter(depth=1, sub_district=sub_district)
    )
    if siblings.filter(name=name, status=OrganizationStatus.ACTIVE).exists():
        raise TreeRuleBroken(
            _("An active organisation named %(name)s already exists there.") % {"name": name},
            field="name",
        )
    fields = {
        "sub_district": sub_district,
        "name": name,
        "kind": kind,
        "sector": sector,
        "founded_on": founded_on,
        "is_joint": is_joint,
        "is_temporary": is_temporary,
        "ends_on": ends_on,
        "note": note,
    }
    organization = parent.add_child(**fields) if parent else Organization.add_root(**fields)
    _open_period(organization, founded_on)
    _event(
        organization,
        EventKind.FOUNDED,
        founded_on,
        _("Founded as %(name)s") % {"name": organization.name},
        actor,
    )
    record_audit(actor=actor, action="organization.founded", target=organization)
    return organization


@transaction.atomic
def rename_organization(
    *, organization: Organization, name: str, on: dt.date, actor: User | None
) -> Organization:
    (organization,) = lock_organizations([organization])
    require_active(organization)
    name = name.strip()
    if not name:
        raise TreeRuleBroken(_("The name is required."), field="name")
    if name == organization.name:
        raise TreeRuleBroken(_("The new name is the same as the old one."), field="name")
    _require_date(on, organization)
    old = organization.name
    Organization.objects.filter(pk=organization.pk).update(name=name)
    organization = _fresh(organization)
    _roll_period(organization, on)
    _event(
        organization,
        EventKind.RENAMED,
        on,
        _("Renamed from %(old)s to %(new)s") % {"old": old, "new": name},
        actor,
        data={"old": old, "new": name},
    )
    record_audit(actor=actor, action="organization.renamed", target=organization, data={"old": old})
    return organization


@transaction.atomic
def change_kind(
    *, organization: Organization, kind: str, on: dt.date, actor: User | None
) -> Organization:
    """Change what an organisation is (a branch becoming a general branch, say)."""
    (organization,) = lock_organizations([organization])
    require_active(organization)
    if kind == organization.kind:
        raise TreeRuleBroken(_("The organisation is already of that kind."), field="kind")
    _require_date(on, organization)
    _check_placement(_parent(organization), kind, organization.name)
    for child in _active_children(organization):
        if not rules.may_contain(kind, child.kind):
            raise TreeRuleBroken(
                _("%(child)s (%(child_kind)s) could no longer stay under it; move it first.")
                % {"child": child.name, "child_kind": OrganizationKind(child.kind).label},
                field="kind",
            )
    old = organization.kind
    Organization.objects.filter(pk=organization.pk).update(kind=kind)
    organization = _fresh(organization)
    _roll_period(organization, on)
    _event(
        organization,
        EventKind.KIND_CHANGED,
        on,
        _("Changed from %(old)s to %(new)s")
        % {"old": OrganizationKind(old).label, "new": OrganizationKind(kind).label},
        actor,
        data={"old": old, "new": kind},
    )
    record_audit(actor=actor, action="organization.kind_changed", target=organization)
    return organization


@transaction.atomic
def move_organization(
    *, organization: Organization, new_parent: Organization, on: dt.date, actor: User | None
) -> Organization:
    """Move an organisation (and everything under it) under another parent."""
    organization, new_parent = (
        {o.pk: o for o in lock_organizations([organization, new_parent])}[pk]
        for pk in (organization.pk, new_parent.pk)
    )
    require_active(organization, new_parent)
    if new_parent.path.startswith(organization.path):
        raise TreeRuleBroken(
            _("An organisation cannot be moved under itself or under one of its own."),
            field="parent",
        )
    old_parent = _parent(organization)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        raise TreeRuleBroken(_("It is already there."), field="parent")
    if new_parent.sub_district_id != organization.sub_district_id and not (
        actor is not None and actor.is_superuser
    ):
        raise TreeRuleBroken(
            _("Moving an organisation to another sub-district needs a superuser."),
            field="parent",
        )
    _check_placement(new_parent, organization.kind, organization.name)
    _require_date(on, organization)
    subtree = Organization.objects.filter(path__startswith=organization.path)
    if new_parent.sub_district_id != organization.sub_district_id:
        subtree.update(sub_district_id=new_parent.sub_district_id)
    _move_node(_fresh(organization), _fresh(new_parent))
    organization = _fresh(organization)
    _roll_period(organization, on)
    _event(
        organization,
        EventKind.MOVED,
        on,
        _("Moved from %(old)s to %(new)s")
        % {"old": old_parent.name if old_parent else "—", "new": new_parent.name},
        actor,
        related=[org for org in (old_parent, new_parent) if org is not None],
    )
    record_audit(actor=actor, action="organization.moved", target=organization)
    return organization


@transaction.atomic
def merge_organizations(
    *,
    sources: Sequence[Organization],
    on: dt.date,
    actor: User | None,
    into: Organization | None = None,
    new_name: str = "",
) -> Organization:
    """Merge organisations into one: an existing one (`into`) or a new one named `new_name`
    under the sources' common parent. Members and party groups move to it; the sources are
    archived as "merged into" it, with the date."""
    if into is None and not new_name.strip():
        raise TreeRuleBroken(_("Name the merged organisation or choose one to merge into."))
    involved = [*sources, *([into] if into else [])]
    if len({org.pk for org in sources}) < (1 if into else 2):
        raise TreeRuleBroken(_("Choose at least two organisations to merge."), field="sources")
    if into is not None and into.pk in {org.pk for org in sources}:
        raise TreeRuleBroken(
            _("The organisation merged into cannot also be one of those merged."), field="into"
        )
    locked = {org.pk: org for org in lock_organizations(involved)}
    sources = [locked[org.pk] for org in sources]
    into = locked[into.pk] if into else None
    require_active(*locked.values())
    kinds = {org.kind for org in locked.values()}
    if len(kinds) != 1 or not kinds <= {"branch", "general_branch", "committee"}:
        raise TreeRuleBroken(
            _("Only branches, general branches or committees of the same kind can be merged."),
            field="sources",
        )
    sub_districts = {org.sub_district_id for org in locked.values()}
    if len(sub_districts) > 1 and not (actor is not None and actor.is_superuser):
        raise TreeRuleBroken(
            _("Merging organisations of different sub-districts needs a superuser."),
            field="sources",
        )
    for org in sources:
        for other in locked.values():
            if other.pk != org.pk and other.path.startswith(org.path):
                raise TreeRuleBroken(
                    _("%(inner)s lies under %(outer)s; they cannot be merged.")
                    % {"inner": other.name, "outer": org.name},
                    field="sources",
                )
    _require_date(on, *locked.values())
    if into is None:
        parents = {org.parent_path for org in sources}
        if len(parents) != 1:
            raise TreeRuleBroken(
                _("To merge into a new organisation, all must share one parent."),
                field="sources",
            )
        first = sources[0]
        target = found_organization(
            sub_district=first.sub_district,
            parent=_parent(first),
            name=new_name,
            kind=first.kind,
            sector=first.sector,
            founded_on=on,
            actor=actor,
        )
    else:
        target = into
    source_names = [org.name for org in sources]
    moved_members = 0
    for source in sources:
        for child in _active_children(_fresh(source)):
            _move_node(child, _fresh(target))
            _roll_period(_fresh(child), on)
        moved_members += reassign_members(
            members=member_model().objects.current().filter(organization=source),
            to=target,
            actor=actor,
            reason=_("%(source)s merged into %(target)s")
            % {"source": source.name, "target": target.name},
        )
        _archive(source, on, merged_into=target)
        _event(
            source,
            EventKind.MERGED_INTO,
            on,
            _("Merged into %(target)s") % {"target": target.name},
            actor,
            related=[target],
        )
    _event(
        target,
        EventKind.MERGED_FROM,
        on,
        _("Formed by merging %(names)s") % {"names": "、".join(source_names)},
        actor,
        related=sources,
        data={"members_moved": moved_members},
    )
    record_audit(
        actor=actor,
        action="organization.merged",
        target=target,
        data={"sources": [org.pk for org in sources], "members_moved": moved_members},
    )
    return _fresh(target)


@transaction.atomic
def split_organization(
    *,
    source: Organization,
    parts: Sequence[tuple[str, Sequence[int]]],
    on: dt.date,
    actor: User | None,
    archive_source: bool = False,
) -> list[Organization]:
    """Split a branch: found one new branch per part (name, member ids) beside it and move
    those members. With `archive_source` every member must go to a part and the source ends."""
    (source,) = lock_organizations([source])
    require_active(source)
    if source.kind not in ("branch", "general_branch"):
        raise TreeRuleBroken(_("Only branches and general branches can be split."))
    if not parts:
        raise TreeRuleBroken(_("Name at least one new organisation."), field="parts")
    names = [name.strip() for name, _ids in parts]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise TreeRuleBroken(_("Each new organisation needs its own name."), field="parts")
    _require_date(on, source)
    source_members = set(
        member_model().objects.current().filter(organization=source).values_list("pk", flat=True)
    )
    assigned: list[int] = [pk for _name, ids in parts for pk in ids]
    if len(assigned) != len(set(assigned)):
        raise TreeRuleBroken(_("A member is assigned to two parts."), field="parts")
    strangers = set(assigned) - source_members
    if strangers:
        raise TreeRuleBroken(_("Some members chosen do not belong to this branch."), field="parts")
    if archive_source and set(assigned) != source_members:
        raise TreeRuleBroken(
            _("To end the branch, every one of its members must go to a new branch."),
            field="parts",
        )
    if archive_source and _active_children(source):
        raise TreeRuleBroken(
            _("Move or dissolve its party groups before ending the branch."), field="parts"
        )
    parent = _parent(source)
    created = []
    for name, member_ids in parts:
        part = found_organization(
            sub_district=source.sub_district,
            parent=parent,
            name=name,
            kind=source.kind,
            sector=source.sector,
            founded_on=on,
            actor=actor,
        )
        reassign_members(
            members=member_model().objects.filter(pk__in=member_ids, organization=source),
            to=part,
            actor=actor,
            reason=_("%(source)s split; moved to %(part)s")
            % {"source": source.name, "part": part.name},
        )
        _event(
            part,
            EventKind.SPLIT_FROM,
            on,
            _("Formed by splitting %(source)s") % {"source": source.name},
            actor,
            related=[source],
            data={"members_moved": len(member_ids)},
        )
        created.append(part)
    if archive_source:
        _archive(source, on, merged_into=None)
    _event(
        source,
        EventKind.SPLIT_INTO,
        on,
        _("Split into %(names)s") % {"names": "、".join(names)},
        actor,
        related=created,
    )
    record_audit(
        actor=actor,
        action="organization.split",
        target=source,
        data={"parts": [org.pk for org in created]},
    )
    return created


@transaction.atomic
def dissolve_organization(
    *, organization: Organization, on: dt.date, actor: User | None, reason: str = ""
) -> Organization:
    """Dissolve an organisation that no longer has members or active organisations under it."""
    (organization,) = lock_organizations([organization])
    require_active(organization)
    if organization.depth == 1:
        raise TreeRuleBroken(_("A working committee cannot be dissolved here."))
    if _active_children(organization):
        raise TreeRuleBroken(
            _("Organisations still stand under it; merge, move or dissolve them first.")
        )
    if member_model().objects.current().filter(organization=organization).exists():
        raise TreeRuleBroken(_("It still keeps members' records; transfer them first."))
    _require_date(on, organization)
    _archive(organization, on, merged_into=None)
    _event(
        organization,
        EventKind.DISSOLVED,
        on,
        _("Dissolved") + (f": {reason.strip()}" if reason.strip() else ""),
        actor,
    )
    record_audit(actor=actor, action="organization.dissolved", target=organization)
    return _fresh(organization)
