"""What a report covers: a whole sub-district, one organisation's subtree, or one regional
committee (the branches of the communities it spans, and its units)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.db.models import Q

from branches.models import Organization, SubDistrict
from regional.models import RegionalCommittee


@dataclass
class ReportScope:
    sub_district: SubDistrict
    organization: Organization | None = None
    committee: RegionalCommittee | None = None

    @property
    def label(self) -> str:
        return str(self.committee or self.organization or self.sub_district)

    @property
    def key(self) -> str:
        if self.committee is not None:
            return f"rc:{self.committee.pk}"
        if self.organization is not None:
            return f"org:{self.organization.pk}"
        return f"sd:{self.sub_district.pk}"

    @cached_property
    def paths(self) -> list[str] | None:
        """Tree paths whose subtrees are in scope; None for the whole sub-district."""
        if self.organization is not None:
            return [self.organization.path]
        if self.committee is not None:
            return list(
                Organization.objects.filter(
                    sub_district=self.sub_district,
                    communities__in=self.committee.communities.all(),
                )
                .values_list("path", flat=True)
                .distinct()
            )
        return None

    def organizations_q(self, prefix: str = "") -> Q:
        """A filter on rows that reach an Organization through `prefix`."""
        base = Q(**{f"{prefix}sub_district_id": self.sub_district.pk})
        if self.paths is None:
            return base
        if not self.paths:
            return Q(pk__in=[])
        return base & reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in self.paths))

    @cached_property
    def community_ids(self) -> list[int] | None:
        """Communities in scope; None for every community of the sub-district."""
        if self.committee is not None:
            return list(self.committee.communities.values_list("pk", flat=True))
        if self.organization is not None:
            return list(
                Organization.objects.filter(self.organizations_q())
                .values_list("communities", flat=True)
                .exclude(communities=None)
                .distinct()
            )
        return None

    def communities_q(self, prefix: str = "") -> Q:
        """A filter on rows that reach a Community through `prefix` (e.g. "community__")."""
        base = Q(**{f"{prefix}sub_district_id": self.sub_district.pk})
        if self.community_ids is None:
            return base
        return base & Q(**{f"{prefix}pk__in": self.community_ids})

    def committees_q(self, prefix: str = "") -> Q:
        """A filter on rows that reach a RegionalCommittee through `prefix`."""
        base = Q(**{f"{prefix}sub_district_id": self.sub_district.pk})
        if self.committee is not None:
            return base & Q(**{f"{prefix}pk": self.committee.pk})
        if self.community_ids is not None:
            return base & Q(**{f"{prefix}communities__in": self.community_ids})
        return base
