"""Who sees which grid rows.

Sub-district staff see the grids of their sub-districts, a secretary those of the communities
covered by an organisation under their branches (`members.querysets.managed_communities`), and a
grid leader, worker or screening officer only the grids they hold an open role on. A row out of
scope is not in the queryset: reaching it by id is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from django.db.models import Q
from django.utils import timezone

from accounts.scope import Scope, ScopedQuerySet, scope_for


def _communities_of_branches(scope: Scope) -> Any:
    from branches.models import Community

    covered = Q(pk__in=[])
    for path in scope.organization_paths:
        covered |= Q(organizations__path__startswith=path)
    return Community.objects.filter(covered).values("pk")


def grid_ids_held_by(user: Any, day: dt.date | None = None) -> Any:
    """The grids on which `user` holds a role open on `day` (today), as a subquery."""
    from django.apps import apps

    return (
        apps.get_model("grids", "GridRole")
        .objects.open_on(day or timezone.localdate())
        .filter(user=user)
        .values("grid_id")
    )


class GridScopedQuerySet(ScopedQuerySet):
    """Rows that hang off a grid through `grid_prefix` ("grid__" for a household)."""

    grid_prefix = "grid__"
    community_prefix: str | None = None  # defaults to the grid's community

    def scope_filter(self, scope: Scope) -> Q:
        community = self.community_prefix
        if community is None:
            community = f"{self.grid_prefix}community__"
        q = scope.sub_district_q(community)
        if scope.organization_paths:
            q |= Q(**{f"{community}pk__in": _communities_of_branches(scope)})
        return q

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        q = Q(**{f"{self.grid_prefix}pk__in": grid_ids_held_by(user)})
        if not scope.is_empty:
            q |= self.scope_filter(scope)
        return self.filter(q)

    def of_grid_worker(self, user: Any) -> Self:
        """Only the rows of the grids `user` works on (their phone pages)."""
        return self.filter(**{f"{self.grid_prefix}pk__in": grid_ids_held_by(user)})


class GridQuerySet(GridScopedQuerySet):
    grid_prefix = ""


class GridSettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class CampaignQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        from branches.models import Community

        q = scope.sub_district_q()
        if scope.organization_paths:
            q |= Q(
                sub_district_id__in=Community.objects.filter(
                    pk__in=_communities_of_branches(scope)
                ).values("sub_district_id")
            )
        return q


class GridRoleQuerySet(GridScopedQuerySet):
    def open_on(self, day: dt.date) -> Self:
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)


class HouseholdQuerySet(GridScopedQuerySet):
    def tagged(self) -> Self:
        q = Q(pk__in=[])
        for field in self.model.TAG_FIELDS:
            q |= Q(**{field: True})
        return self.filter(q)

    def search(self, text: str) -> Self:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(address__icontains=text)
            | Q(contact_name__icontains=text)
            | Q(compound__name__icontains=text)
            | Q(building__name__icontains=text)
            | Q(phone_masked__endswith=text[-4:])
        )


class HouseholdLinkQuerySet(GridScopedQuerySet):
    """Pairings, contact assignments and visits (each keeps its grid)."""

    def open_on(self, day: dt.date) -> Self:
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)


class CareVisitQuerySet(GridScopedQuerySet):
    """Care visits keep their community; a grid worker sees those of their grids' households."""

    grid_prefix = "household__grid__"
    community_prefix = "community__"

    def done(self) -> Self:
        return self.filter(visited_on__isnull=False)


class ScreeningReportQuerySet(GridScopedQuerySet):
    pass


class DisputeQuerySet(GridScopedQuerySet):
    def unresolved(self) -> Self:
        return self.filter(status__in=["open", "mediating"])
