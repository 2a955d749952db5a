"""Read logic of the community app: scope and what residents may see.

Schools and campaigns belong to a sub-district. Sub-district staff see every row of their
sub-districts; a secretary sees, read-only, the rows of the sub-district their branch lies in
(as volunteer teams do).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.scope import Scope, ScopedQuerySet


def _branch_sub_districts(scope: Scope, path: str) -> Q:
    if not scope.organization_paths:
        return Q(pk__in=[])
    from branches.models import Organization

    ids = Organization.objects.filter(path__in=scope.organization_paths).values("sub_district_id")
    return Q(**{f"{path}id__in": ids})


class _SubDistrictScoped(ScopedQuerySet):
    sub_district_path = "sub_district__"

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q(
            self.sub_district_path.removesuffix("sub_district__")
        ) | _branch_sub_districts(scope, self.sub_district_path)

    def managed_by(self, user: Any) -> Any:
        """Rows `user` may change: those of the sub-districts they are staff of."""
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self.all()
        return self.filter(
            scope.sub_district_q(self.sub_district_path.removesuffix("sub_district__"))
        )


class SchoolQuerySet(_SubDistrictScoped):
    sub_district_path = "sub_district__"


class TermQuerySet(_SubDistrictScoped):
    sub_district_path = "school__sub_district__"


class CourseQuerySet(_SubDistrictScoped):
    sub_district_path = "term__school__sub_district__"

    def in_catalogue(self, now: dt.datetime | None = None) -> CourseQuerySet:
        """Courses of terms that have not ended, for the resident catalogue."""
        today = timezone.localdate(now or timezone.now())
        return self.filter(is_active=True, term__ends_on__gte=today)


class EnrolmentQuerySet(_SubDistrictScoped):
    sub_district_path = "course__term__school__sub_district__"


class CampaignQuerySet(_SubDistrictScoped):
    sub_district_path = "sub_district__"

    def public(self) -> CampaignQuerySet:
        """Campaigns residents may see: those with a public vote once voting opened, and any
        whose results are published."""
        now = timezone.now()
        return self.filter(
            Q(public_vote=True, vote_opens_at__lte=now) | Q(published_at__isnull=False)
        )

    def nominating(self) -> CampaignQuerySet:
        """Public campaigns (not party honours) whose nomination window is open now."""
        now = timezone.now()
        return self.filter(
            kind="public", nomination_opens_at__lte=now, nomination_closes_at__gt=now
        )


class NominationQuerySet(_SubDistrictScoped):
    sub_district_path = "category__campaign__sub_district__"

    def with_jury(self) -> Any:
        """`jury_average` (the average of the jurors' scores, None when nobody scored) and
        `jury_count` (how many scored), both computed by the database."""
        return self.annotate(
            jury_average=Avg("jury_scores__score"), jury_count=Count("jury_scores")
        )
