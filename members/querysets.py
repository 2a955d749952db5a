from __future__ import annotations

from django.db.models import Q

from accounts.scope import Scope, ScopedQuerySet


class MemberQuerySet(ScopedQuerySet):
    """Members are scoped through the branch that keeps their record."""

    scope_organization_prefix = "organization__"

    def full(self) -> MemberQuerySet:
        return self.filter(status="full")

    def current(self) -> MemberQuerySet:
        """Members on the roll: not transferred out, left or deceased."""
        return self.filter(state="active")

    def search(self, text: str) -> MemberQuerySet:
        """Name fragment, last digits of the ID number (as masked) or of the phone."""
        text = text.strip().upper()
        if not text:
            return self
        q = Q(full_name__icontains=text)
        if text.isdigit() or (text[:-1].isdigit() and text.endswith("X")):
            if len(text) <= 4:
                q |= Q(id_number_masked__endswith=text)
            q |= Q(phone__endswith=text)
        return self.filter(q)


class MemberChangeQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"


class MemberSettingsQuerySet(ScopedQuerySet):
    scope_sub_district_prefix = ""


class TransferQuerySet(ScopedQuerySet):
    """A transfer is visible to both ends: the sending and the receiving branch."""

    def scope_filter(self, scope: Scope) -> Q:
        return scope.organization_q("from_organization__") | scope.organization_q(
            "to_organization__"
        )

    def open(self) -> TransferQuerySet:
        return self.filter(state="issued")

    def pocket(self) -> TransferQuerySet:
        """Expired transfers whose member never completed a later one (口袋党员)."""
        from django.db.models import Exists, OuterRef

        later = self.model.objects.filter(
            member=OuterRef("member"), state__in=["issued", "accepted"], pk__gt=OuterRef("pk")
        )
        return self.filter(state="expired").exclude(Exists(later))


class DevelopmentQuerySet(ScopedQuerySet):
    """People in the joining pipeline, scoped through the branch that develops them."""

    scope_organization_prefix = "organization__"

    def in_progress(self) -> DevelopmentQuerySet:
        return self.exclude(stage="full")

    def with_last_review(self) -> DevelopmentQuerySet:
        from django.db.models import Max

        return self.annotate(last_review_on=Max("reviews__reviewed_on"))


class ActivistReviewQuerySet(ScopedQuerySet):
    scope_organization_prefix = "development__organization__"
