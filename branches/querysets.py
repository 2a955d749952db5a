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


class CoBuildingUnitQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q() | Q(pk__in=scope.unit_ids)
