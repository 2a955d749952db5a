"""Read logic of the volunteers app: scope, sign-up state, service records and rankings.

Scope: sub-district staff see every row of their sub-districts; a secretary sees the rows of the
sub-district their branch lies in, read-only (what they may change is decided by `managed_by`, the
team-leader check); a team leader manages their own team whatever their role.

The members app reads a member's confirmed service through `services_for_member` (the quarterly
quota of in-service members); it is the one contract between the two apps.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.jobs import JobQuerySet
from accounts.scope import Scope, ScopedQuerySet, scope_for

if TYPE_CHECKING:
    from members.models import Member


def _branch_sub_districts(scope: Scope, sub_district_path: str) -> Q:
    """Rows of the sub-districts a secretary's branches lie in (read access).

    A subquery, not a join, so aggregations over scoped rows never count a row twice.
    """
    if not scope.organization_paths:
        return Q(pk__in=[])
    from branches.models import Organization

    sub_districts = Organization.objects.filter(path__in=scope.organization_paths).values(
        "sub_district_id"
    )
    return Q(**{f"{sub_district_path}id__in": sub_districts})


class _SubDistrictScoped(ScopedQuerySet):
    """Rows reached through `sub_district_path` (e.g. "team__community__sub_district__")."""

    sub_district_path = "sub_district__"

    def scope_filter(self, scope: Scope) -> Q:
        return scope.sub_district_q(
            self.sub_district_path.removesuffix("sub_district__")
        ) | _branch_sub_districts(scope, self.sub_district_path)


class VolunteerTeamQuerySet(_SubDistrictScoped):
    sub_district_path = "community__sub_district__"

    def active(self) -> VolunteerTeamQuerySet:
        return self.filter(is_active=True)

    def managed_by(self, user: Any) -> VolunteerTeamQuerySet:
        """Teams `user` may manage: the teams they lead, and for sub-district staff holding
        `volunteers.change_volunteerteam`, every team of their sub-districts."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        q = Q(leader=user)
        if scope.sub_district_ids and user.has_perm("volunteers.change_volunteerteam"):
            q |= Q(community__sub_district_id__in=scope.sub_district_ids)
        return self.filter(q)


class VolunteerQuerySet(_SubDistrictScoped):
    sub_district_path = "sub_district__"


class TeamMembershipQuerySet(_SubDistrictScoped):
    sub_district_path = "team__community__sub_district__"

    def pending(self) -> TeamMembershipQuerySet:
        return self.filter(status="pending")

    def active(self) -> TeamMembershipQuerySet:
        return self.filter(status="active")


class ServiceActivityQuerySet(_SubDistrictScoped):
    sub_district_path = "team__community__sub_district__"

    def scheduled(self) -> ServiceActivityQuerySet:
        return self.filter(status="scheduled")

    def upcoming(self, now: dt.datetime | None = None) -> ServiceActivityQuerySet:
        return self.scheduled().filter(ends_at__gt=now or timezone.now())

    def open_to(self, user: Any) -> ServiceActivityQuerySet:
        """Upcoming activities a user may see on the resident site: public ones, and team-only
        ones of the teams they belong to."""
        qs = self.upcoming().filter(team__is_active=True)
        if user is None or not user.is_authenticated:
            return qs.filter(audience="public")
        return qs.filter(
            Q(audience="public")
            | Q(
                team__memberships__volunteer__user=user,
                team__memberships__status="active",
            )
        ).distinct()


class EnrollmentQuerySet(_SubDistrictScoped):
    sub_district_path = "activity__team__community__sub_district__"

    def signed_up(self) -> EnrollmentQuerySet:
        return self.filter(status="signed_up")

    def waitlisted(self) -> EnrollmentQuerySet:
        return self.filter(status="waitlisted")

    def credited(self) -> EnrollmentQuerySet:
        """Service that counts: a place kept in a held activity with some minutes credited."""
        return self.filter(status="signed_up", activity__status="scheduled").filter(
            Q(credit_minutes__gt=0) | Q(honour_minutes__gt=0)
        )

    def between(self, start: dt.date, end: dt.date) -> EnrollmentQuerySet:
        """Service in activities that started on a day from `start` to `end` (inclusive, local)."""
        tz = timezone.get_current_timezone()
        since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return self.filter(activity__starts_at__gte=since, activity__starts_at__lt=until)

    def with_total(self) -> EnrollmentQuerySet:
        return self.annotate(total_minutes_db=F("credit_minutes") + F("honour_minutes"))

    def minutes(self) -> int:
        row = self.aggregate(
            total=Coalesce(Sum(F("credit_minutes") + F("honour_minutes")), 0),
        )
        return int(row["total"])

    # Rankings: one query each, whatever the number of rows.
    def hours_per_volunteer(self) -> QuerySet[Any]:
        return (
            self.credited()
            .values("volunteer_id", "volunteer__full_name")
            .annotate(
                minutes=Sum(F("credit_minutes") + F("honour_minutes")),
                services=Count("id"),
            )
            .order_by("-minutes", "volunteer__full_name")
        )

    def hours_per_team(self) -> QuerySet[Any]:
        return (
            self.credited()
            .values("activity__team_id", "activity__team__name")
            .annotate(
                minutes=Sum(F("credit_minutes") + F("honour_minutes")),
                services=Count("id"),
                volunteers=Count("volunteer_id", distinct=True),
            )
            .order_by("-minutes", "activity__team__name")
        )

    def hours_per_month(self) -> QuerySet[Any]:
        return (
            self.credited()
            .annotate(month=TruncMonth("activity__starts_at"))
            .values("month")
            .annotate(
                minutes=Sum(F("credit_minutes") + F("honour_minutes")),
                services=Count("id"),
                volunteers=Count("volunteer_id", distinct=True),
            )
            .order_by("month")
        )


def services_for_member(member: Member, start: dt.date, end: dt.date) -> EnrollmentQuerySet:
    """A party member's confirmed volunteer service from `start` to `end` (inclusive).

    For the members app: service by an in-service member registered in a community counts toward
    their quarterly quota. Each row is an enrollment with credit and honour minutes; use
    `.minutes()` for the total and `.count()` for the number of services.
    """
    # By the app registry, not an import: querysets sit below the models that use them.
    enrollments: EnrollmentQuerySet = apps.get_model("volunteers", "Enrollment").objects.all()
    return (
        enrollments.credited()
        .between(start, end)
        .filter(volunteer__member=member)
        .select_related("activity", "activity__team", "activity__team__community")
    )


class GoodDeedQuerySet(_SubDistrictScoped):
    sub_district_path = "team__community__sub_district__"

    def per_team(self) -> QuerySet[Any]:
        return (
            self.values("team_id", "team__name")
            .annotate(deeds=Count("id"))
            .order_by("-deeds", "team__name")
        )


class WishQuerySet(_SubDistrictScoped):
    sub_district_path = "community__sub_district__"


class VolunteerRecordQuerySet(_SubDistrictScoped):
    """Training, awards and evaluations: reached through their volunteer."""

    sub_district_path = "volunteer__sub_district__"


class VolunteerSettingsQuerySet(ScopedQuerySet):
    """A sub-district's own settings: its staff (and the superuser) only, as in the admin."""

    scope_sub_district_prefix = ""


class CertificateQuerySet(JobQuerySet, _SubDistrictScoped):
    """Scoped by sub-district; which certificates are still to build is `JobQuerySet.stalled`."""

    sub_district_path = "sub_district__"
