from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from treebeard.mp_tree import MP_NodeQuerySet

from accounts.scope import Scope, ScopedQuerySet


class SubDistrictQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        # A secretary sees the sub-district their branch lies in, by name only.
        ids = set(scope.sub_district_ids)
        q = Q(pk__in=ids)
        for path in scope.organization_paths:
            q |= Q(organizations__path=path)
        return q


class CommunityQuerySet(ScopedQuerySet):
    """Staff see their sub-districts' communities; a secretary sees those of their sub-district."""

    def scope_filter(self, scope: Scope) -> Q:
        q = scope.sub_district_q()
        for path in scope.organization_paths:
            q |= Q(sub_district__organizations__path=path)
        return q


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


class CoBuildingUnitQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q() | Q(pk__in=scope.unit_ids)
