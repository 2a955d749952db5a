from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from accounts.dated import DatedSpanQuerySet
from accounts.scope import Scope, ScopedQuerySet

# A member's time on the roll as a dated interval [roll_from, roll_until), computed from the row
# by two expressions that the database stores as generated columns (members.Member.roll_from),
# so the planner keeps statistics on them and estimates "on the roll on day d" well at any size:
# - from the day they joined (or, when that is not known, the day the record was made); never
#   while still transferring in;
# - until the day they left, were transferred out or died (at once when that day is not known).
GONE_STATES = ("transferred_out", "left", "deceased")
ROLL_NEVER = dt.date(1, 1, 1)
ROLL_OPEN = dt.date(9999, 12, 31)


def roll_from() -> Case:
    return Case(
        When(state="incoming", then=Value(None, output_field=DateField())),
        default=Coalesce(
            "joined_on",
            TruncDate("created_at"),  # in the current time zone, Asia/Shanghai
            output_field=DateField(),
        ),
        output_field=DateField(),
    )


def roll_until() -> Case:
    return Case(
        When(
            state__in=GONE_STATES,
            then=Coalesce("state_changed_on", Value(ROLL_NEVER), output_field=DateField()),
        ),
        default=Value(ROLL_OPEN),
        output_field=DateField(),
    )


class MemberQuerySet(ScopedQuerySet):
    """Members are scoped through the branch that keeps their record."""

    scope_organization_prefix = "organization__"

    def full(self) -> MemberQuerySet:
        return self.filter(status="full")

    def current(self) -> MemberQuerySet:
        """Members on the roll: not transferred out, left or deceased."""
        return self.filter(state="active")

    def bound_to(self, user: Any) -> MemberQuerySet:
        """The member whose record is bound to `user`'s account (the `member` role's scope:
        their own record and nothing else). Empty for anonymous users and unbound accounts."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(state="active", bindings__user=user, bindings__status="active")

    def on_roll(self, day: dt.date) -> MemberQuerySet:
        """Members on the roll on `day` by their dated interval (`Member.roll_from`, stored)."""
        return self.filter(roll_from__lte=day, roll_until__gt=day)

    def in_organization_on(self, path: str, day: dt.date) -> MemberQuerySet:
        """Members whose record an organisation's subtree (by tree `path`) kept on `day`.

        On the roll that day (`on_roll`), and in the subtree that day: a member's branch on `day`
        is the sending branch of the first transfer accepted after it (none for one who came in
        from outside), else the branch keeping the record now. So a member who joined or arrived
        after the day, or left or moved away before it, is not counted, and one who moved away
        since is."""
        from branches.models import Organization

        # By the registry: models.py imports this module, so this module does not import it.
        later = (
            apps.get_model("members", "Transfer")
            .objects.filter(member=OuterRef("pk"), state="accepted", decided_at__date__gt=day)
            .order_by("decided_at", "pk")
        )
        branch_then = Case(
            When(Exists(later), then=Subquery(later.values("from_organization_id")[:1])),
            default=F("organization_id"),
            output_field=BigIntegerField(),
        )
        subtree = Organization.objects.filter(path__startswith=path).values("pk")
        return self.on_roll(day).alias(branch_then=branch_then).filter(branch_then__in=subtree)

    def with_standing_on(self, day: dt.date) -> MemberQuerySet:
        """Annotate `status_on` (full or probationary on `day`: full once confirmed) and
        `on_probation` (under 留党察看 that day): together they say who may vote that day."""
        probations = apps.get_model("members", "Sanction").objects.probation_on(day)
        return self.annotate(
            status_on=Case(
                When(confirmed_on__lte=day, then=Value("full")),
                When(status="full", confirmed_on__isnull=True, then=Value("full")),
                default=Value("probationary"),
            ),
            on_probation=Exists(probations.filter(member=OuterRef("pk"))),
        )

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


class SanctionQuerySet(ScopedQuerySet):
    """Party sanctions, scoped through the branch keeping the member's record."""

    scope_organization_prefix = "member__organization__"

    def probation_on(self, day: dt.date) -> SanctionQuerySet:
        """留党察看 running on `day`: begun on or before it, ending on or after it."""
        return self.filter(kind="probation", started_on__lte=day, ended_on__gte=day)


class MemberChangeQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"


class MemberBindingQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"


class CorrectionRequestQuerySet(ScopedQuerySet):
    scope_organization_prefix = "member__organization__"

    def of_member(self, member: Any) -> CorrectionRequestQuerySet:
        return self.filter(member=member)


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


# --- In-service members registering in their community ------------------------------------------


def _led_communities_q(scope: Scope, prefix: str) -> Q:
    """Rows whose community is covered by an organisation under one of a secretary's branches.

    A subquery, not a join, so counts over scoped rows never count a row twice.
    """
    if not scope.organization_paths:
        return Q(pk__in=[])
    from branches.models import Community

    covered = Q(pk__in=[])
    for path in scope.organization_paths:
        covered |= Q(organizations__path__startswith=path)
    return Q(**{f"{prefix}community_id__in": Community.objects.filter(covered).values("pk")})


def registration_scope_q(scope: Scope, prefix: str = "") -> Q:
    """Who sees a registration (and what hangs off it): staff of the community's or the
    employer's sub-district; the secretary of the community's branch; the secretary of the
    employer's party organisation or of the branch keeping the member's record; the liaison of
    the employer unit."""
    return (
        scope.sub_district_q(f"{prefix}community__")
        | _led_communities_q(scope, prefix)
        | scope.organization_q(f"{prefix}employer_organization__")
        | scope.organization_q(f"{prefix}member__organization__")
        | Q(**{f"{prefix}employer_unit_id__in": scope.unit_ids})
    )


def managed_communities(user: Any) -> Any:
    """Communities whose needs and services `user` manages: staff their sub-districts', a
    secretary those covered by an organisation under their branches."""
    from accounts.scope import scope_for
    from branches.models import Community

    scope = scope_for(user)
    if scope.everything:
        return Community.objects.all()
    q = scope.sub_district_q() | Q(pk__in=[])
    for path in scope.organization_paths:
        q |= Q(organizations__path__startswith=path)
    return Community.objects.filter(pk__in=Community.objects.filter(q).values("pk"))


class CommunityRegistrationQuerySet(DatedSpanQuerySet, ScopedQuerySet):
    """Registrations: `on(day)`, `during(first, last)` and `open()` read `registered_on` /
    `ended_on`; an open registration is called active."""

    def scope_filter(self, scope: Scope) -> Q:
        return registration_scope_q(scope)

    def active(self) -> CommunityRegistrationQuerySet:
        return self.open()


class CommunityNeedQuerySet(ScopedQuerySet):
    """Staff see their sub-districts' needs; a secretary those of the sub-districts their
    branches lie in (to claim places for their members)."""

    def scope_filter(self, scope: Scope) -> Q:
        q = scope.sub_district_q("community__")
        if scope.organization_paths:
            from branches.models import Organization

            q |= Q(
                community__sub_district_id__in=Organization.objects.filter(
                    path__in=scope.organization_paths
                ).values("sub_district_id")
            )
        return q

    def open(self) -> CommunityNeedQuerySet:
        return self.filter(is_closed=False)


class NeedClaimQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return registration_scope_q(scope, "registration__")


class CommunityServiceQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return registration_scope_q(scope, "registration__")

    def approved(self) -> CommunityServiceQuerySet:
        return self.filter(status="approved")

    def between(self, start: Any, end: Any) -> CommunityServiceQuerySet:
        return self.filter(served_on__gte=start, served_on__lte=end)


class FeedbackLetterQuerySet(ScopedQuerySet):
    def scope_filter(self, scope: Scope) -> Q:
        return registration_scope_q(scope, "registration__")
