from __future__ import annotations

import datetime as dt

from django.db.models import Q

from accounts.scope import Scope, ScopedQuerySet


class CadenceRuleQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return Q(sub_district__isnull=True) | scope.sub_district_q()

    def effective_for(self, sub_district_id: int) -> list:
        """The rules in force for a sub-district: its own rows replace the defaults."""
        rows = list(self.filter(Q(sub_district__isnull=True) | Q(sub_district_id=sub_district_id)))
        chosen: dict[tuple[str, str, str], object] = {}
        for row in sorted(rows, key=lambda r: r.sub_district_id is not None):
            chosen[(row.kind, row.lecture_kind, row.applies_to)] = row
        return [row for row in chosen.values() if row.is_active]


class MeetingQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"

    def held(self) -> MeetingQuerySet:
        return self.filter(status="held")

    def held_between(self, start: dt.date, end: dt.date) -> MeetingQuerySet:
        return self.held().filter(held_on__gte=start, held_on__lte=end)

    def delete(self) -> tuple[int, dict]:
        """Delete the meetings and the rows they own, flushing the cached pages of their own
        sub-districts only: see `Meeting.delete`."""
        from config import pagecache

        sub_district_ids = set(
            self.order_by().values_list("organization__sub_district_id", flat=True).distinct()
        )
        if not sub_district_ids or None in sub_district_ids:
            return super().delete()
        with pagecache.writes_within(sub_district_ids):
            return super().delete()


class ScopedThroughMeeting(ScopedQuerySet):
    scope_organization_prefix = "meeting__organization__"


class TalkQuerySet(ScopedQuerySet):
    scope_organization_prefix = "organization__"

    def in_year(self, year: int) -> TalkQuerySet:
        return self.filter(held_on__year=year)


class TalkContactQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"
