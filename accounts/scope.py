"""The one scoping mechanism: which rows a user may see and change.

Every page, admin view, API endpoint and export narrows its rows through `visible_to(user)` on a
`ScopedQuerySet`. Scope rests on the organisation tree: sub-district staff see every organisation
of their sub-districts, a secretary sees the subtree under the organisations they lead, a unit
liaison sees their unit. A row out of scope simply is not in the queryset, so reaching it by URL
or id is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

from accounts.roles import Role

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    sub_district_ids: frozenset[int] = frozenset()
    organization_paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything or self.sub_district_ids or self.organization_paths or self.unit_ids
        )

    def organization_q(self, prefix: str = "") -> Q:
        """A filter on Organization rows (reached through `prefix`, e.g. "organization__")."""
        if self.everything:
            return Q()
        parts = []
        if self.sub_district_ids:
            parts.append(Q(**{f"{prefix}sub_district_id__in": self.sub_district_ids}))
        parts.extend(Q(**{f"{prefix}path__startswith": path}) for path in self.organization_paths)
        if not parts:
            return Q(pk__in=[])
        return reduce(or_, parts)

    def sub_district_q(self, prefix: str = "") -> Q:
        """A filter on rows that belong to a sub-district directly (units, halls, …)."""
        if self.everything:
            return Q()
        if not self.sub_district_ids:
            return Q(pk__in=[])
        return Q(**{f"{prefix}sub_district_id__in": self.sub_district_ids})


def scope_for(user: User | Any) -> Scope:
    """The scope of `user`, computed once per user object from its active role assignments
    (`User.active_assignments`: one query, shared with the roles)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True)
    else:
        assignments = user.active_assignments
        scope = Scope(
            sub_district_ids=frozenset(
                a.sub_district_id for a in assignments if a.role == Role.SUB_DISTRICT_STAFF
            ),
            organization_paths=tuple(
                sorted(a.organization.path for a in assignments if a.role == Role.SECRETARY)
            ),
            unit_ids=frozenset(a.unit_id for a in assignments if a.role == Role.UNIT_LIAISON),
        )
    user._scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """Base for the querysets of scoped models.

    Subclasses say how a row reaches the organisation tree (`scope_organization_prefix`) or, for
    rows owned by a sub-district, the sub-district (`scope_sub_district_prefix`); a model that
    needs more (a unit liaison's own rows) overrides `scope_filter`.
    """

    scope_organization_prefix: str | None = None
    scope_sub_district_prefix: str | None = None

    def scope_filter(self, scope: Scope) -> Q:
        if self.scope_organization_prefix is not None:
            return scope.organization_q(self.scope_organization_prefix)
        if self.scope_sub_district_prefix is not None:
            return scope.sub_district_q(self.scope_sub_district_prefix)
        raise NotImplementedError(f"{type(self).__name__} does not say how it is scoped")

    def visible_to(self, user: User | Any) -> Self:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.is_empty:
            return self.none()
        visible = self.filter(self.scope_filter(scope))
        return visible if self._scope_cannot_repeat_rows() else visible.distinct()

    def _scope_cannot_repeat_rows(self) -> bool:
        """True when the scope filter follows only forward foreign keys, so no row can appear
        twice and DISTINCT (a sort of every row in scope: ~30 ms for a sub-district's 2,500
        members) is not needed. Custom `scope_filter`s keep DISTINCT."""
        if type(self).scope_filter is not ScopedQuerySet.scope_filter:
            return False
        prefix = self.scope_organization_prefix
        if prefix is None:
            prefix = self.scope_sub_district_prefix or ""
        model = self.model
        for name in filter(None, prefix.split("__")):
            field = model._meta.get_field(name)
            if field.many_to_many or field.one_to_many:
                return False
            model = field.related_model
        return True
