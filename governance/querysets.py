"""How the ledger and the matters are scoped.

Sub-district staff see their sub-district's rows; a secretary sees the opinions owned by the
organisations they lead (and below), and the matters of the communities those organisations
cover; a unit liaison sees the opinions owned by their unit.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any, Self

from django.db.models import Q

from accounts.scope import Scope, ScopedQuerySet


class OpinionQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        parts = []
        if scope.sub_district_ids:
            parts.append(Q(sub_district_id__in=scope.sub_district_ids))
        parts.extend(
            Q(owner_organization__path__startswith=path) for path in scope.organization_paths
        )
        if scope.unit_ids:
            parts.append(Q(owner_unit_id__in=scope.unit_ids))
        return reduce(or_, parts) if parts else Q(pk__in=[])

    def _scope_cannot_repeat_rows(self) -> bool:
        return True  # forward foreign keys only

    def of_author(self, user: Any) -> Self:
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)

    def followed_by(self, user: Any) -> Self:
        """The opinions a resident follows: their own, and those their own were merged into."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(author=user) | Q(duplicates__author=user)).distinct()

    def open(self) -> Self:
        return self.filter(state__in=("received", "assigned", "in_progress"))

    def overdue_on(self, day: dt.date) -> Self:
        return self.open().filter(deadline__lt=day)


class MatterQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        parts = []
        if scope.sub_district_ids:
            parts.append(Q(community__sub_district_id__in=scope.sub_district_ids))
        parts.extend(
            Q(community__organizations__path__startswith=path) for path in scope.organization_paths
        )
        return reduce(or_, parts) if parts else Q(pk__in=[])


class SettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class CategoryDeadlineQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class PublicationQuerySet(MatterQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        parts = []
        if scope.sub_district_ids:
            parts.append(Q(matter__community__sub_district_id__in=scope.sub_district_ids))
        parts.extend(
            Q(matter__community__organizations__path__startswith=path)
            for path in scope.organization_paths
        )
        return reduce(or_, parts) if parts else Q(pk__in=[])

    def shown_on(self, day: dt.date) -> Self:
        return self.filter(starts_on__lte=day, ends_on__gte=day)
