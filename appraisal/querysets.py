from __future__ import annotations

from accounts.scope import ScopedQuerySet


class CampaignQuerySet(ScopedQuerySet):
    """Campaigns are scoped through the branch that runs them."""

    scope_organization_prefix = "organization__"


class ParticipantQuerySet(ScopedQuerySet):
    scope_organization_prefix = "campaign__organization__"

    def graded(self) -> ParticipantQuerySet:
        return self.filter(is_graded=True)

    def voters(self) -> ParticipantQuerySet:
        return self.filter(can_vote=True)


class FollowUpQuerySet(ScopedQuerySet):
    scope_organization_prefix = "participant__campaign__organization__"

    def open(self) -> FollowUpQuerySet:
        return self.filter(closed_on__isnull=True)


class SettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""
