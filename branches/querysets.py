from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from treebeard.mp_tree import MP_NodeQuerySet

from accounts.scope import Scope, ScopedQuerySet


def _sub_districts_of_branches(scope: Scope, prefix: str) -> Q:
    """Rows of the sub-districts a secretary's branches lie in (read access to shared things)."""
    q = Q(pk__in=[])
    for path in scope.organization_paths:
        q |= Q(**{f"{prefix}organizations__path": path})
    return q


class SubDistrictQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return Q(pk__in=scope.sub_district_ids) | _sub_districts_of_branches(scope, "")


class CommunityQuerySet(ScopedQuerySet):
    """Staff see their sub-districts' communities; a secretary sees those of their sub-district."""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q() | _sub_districts_of_branches(scope, "sub_district__")


class PlaceQuerySet(ScopedQuerySet):
    """Grids, compounds and buildings, reached through their community."""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("community__") | _sub_districts_of_branches(
            scope, "community__sub_district__"
        )


class OrganizationQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    scope_organization_prefix = ""

    def with_parent_id(self) -> OrganizationQuerySet:
        """Annotate `parent_id` (the node whose path is ours less one step), in the same query."""
        steplen = self.model.steplen
        parent = self.model.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
        ).values("pk")[:1]
        return self.annotate(parent_id=Subquery(parent))

    def active(self) -> OrganizationQuerySet:
        return self.filter(status="active")

    def branches(self) -> OrganizationQuerySet:
        return self.filter(kind="branch")

    def subtree_of(self, organization: object) -> OrganizationQuerySet:
        return self.filter(path__startswith=organization.path)  # type: ignore[attr-defined]


class OrganizationPeriodQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"

    def on(self, day: dt.date) -> OrganizationPeriodQuerySet:
        """The periods in force on `day`: the tree as it stood then."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class OrganizationEventQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"


class CommitteeTermQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"

    def current(self) -> CommitteeTermQuerySet:
        return self.filter(ended_on__isnull=True)


class CoBuildingUnitQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q() | Q(pk__in=scope.unit_ids)


class RegionalCommitteeQuerySet(ScopedQuerySet):
    """Staff see their sub-districts' committees; a liaison those their unit sits on; a
    secretary those of the sub-district their branch lies in."""

    def scope_filter(self, scope: Scope) -> Q:
        return (
            scope.sub_district_q()
            | Q(memberships__unit_id__in=scope.unit_ids)
            | _sub_districts_of_branches(scope, "sub_district__")
        )


class _CommitteeSeatQuerySet(ScopedQuerySet):
    """Rows that hang off a regional committee and a unit."""

    def scope_filter(self, scope: Scope) -> Q:
        return (
            scope.sub_district_q("committee__")
            | Q(unit_id__in=scope.unit_ids)
            | _sub_districts_of_branches(scope, "committee__sub_district__")
        )


class RegionalMembershipQuerySet(_CommitteeSeatQuerySet):
    def on(self, day: dt.date) -> RegionalMembershipQuerySet:
        """Memberships in force on `day`."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))


class PartTimeMemberQuerySet(_CommitteeSeatQuerySet):
    def on(self, day: dt.date) -> PartTimeMemberQuerySet:
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class UnitVisitQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("unit__") | Q(unit_id__in=scope.unit_ids)


class PairingQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return (
            scope.sub_district_q("unit__")
            | Q(unit_id__in=scope.unit_ids)
            | _sub_districts_of_branches(scope, "community__sub_district__")
        )


# --- Joint meetings, the three lists, evaluations -----------------------------------------------


def _communities_of_branches(scope: Scope, prefix: str) -> Q:
    """Rows of the communities a secretary's branches cover (a community secretary's own)."""
    q = Q(pk__in=[])
    for path in scope.organization_paths:
        q |= Q(**{f"{prefix}organizations__path__startswith": path})
    return q


class JointMeetingQuerySet(ScopedQuerySet):
    """Staff see their sub-districts' meetings; a liaison those of committees their unit sits on."""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("committee__") | Q(
            committee__memberships__unit_id__in=scope.unit_ids,
            committee__memberships__left_on__isnull=True,
        )


class MeetingChildQuerySet(ScopedQuerySet):
    """Agenda, attendance, resolutions and published lists: visible with their meeting."""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("meeting__committee__") | Q(
            meeting__committee__memberships__unit_id__in=scope.unit_ids,
            meeting__committee__memberships__left_on__isnull=True,
        )


class TopicQuerySet(ScopedQuerySet):
    """A liaison sees their own unit's topics only."""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("meeting__committee__") | Q(unit_id__in=scope.unit_ids)


class ActionItemQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return (
            scope.sub_district_q("resolution__meeting__committee__")
            | Q(owner_unit_id__in=scope.unit_ids)
            | _communities_of_branches(scope, "owner_community__")
        )

    def open(self) -> ActionItemQuerySet:
        return self.exclude(status="done")


class NeedQuerySet(ScopedQuerySet):
    """A liaison sees the open needs of their committees (to claim them) and their unit's claims;
    a community secretary their community's needs."""

    def scope_filter(self, scope: Scope) -> Q:
        return (
            scope.sub_district_q("committee__")
            | Q(claimed_by_id__in=scope.unit_ids)
            | Q(
                status="open",
                committee__memberships__unit_id__in=scope.unit_ids,
                committee__memberships__left_on__isnull=True,
            )
            | _communities_of_branches(scope, "community__")
        )


class ResourceQuerySet(ScopedQuerySet):
    """A liaison sees their unit's offers; a community secretary the open offers of their
    sub-district's committees (to claim them) and their community's claims."""

    def scope_filter(self, scope: Scope) -> Q:
        return (
            scope.sub_district_q("committee__")
            | Q(unit_id__in=scope.unit_ids)
            | _communities_of_branches(scope, "claimed_by__")
            | (Q(status="open") & _sub_districts_of_branches(scope, "committee__sub_district__"))
        )


class ProjectQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return (
            scope.sub_district_q("committee__")
            | Q(unit_id__in=scope.unit_ids)
            | _communities_of_branches(scope, "community__")
        )


class UnitEvaluationQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("committee__") | Q(unit_id__in=scope.unit_ids)


class WorkReportQuerySet(ScopedQuerySet):
    """A committee's work report is the sub-district staff's document."""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("committee__")
