from __future__ import annotations

from django.db.models import Q

from accounts.dated import DatedSpanQuerySet
from accounts.scope import Scope, ScopedQuerySet
from branches.querysets import _sub_districts_of_branches


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


class RegionalMembershipQuerySet(DatedSpanQuerySet, _CommitteeSeatQuerySet):
    """Seats: `on(day)`, `during(first, last)`, `open()` read `joined_on` / `left_on`."""


class PartTimeMemberQuerySet(DatedSpanQuerySet, _CommitteeSeatQuerySet):
    """Appointments: dated reads of `started_on` / `ended_on`, scoped as seats are."""


class UnitVisitQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q("unit__") | Q(unit_id__in=scope.unit_ids)


class PairingQuerySet(DatedSpanQuerySet, ScopedQuerySet):
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
