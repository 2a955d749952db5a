"""What a chart covers: the organisations a signed-in user may see, or a display screen's
sub-district or community.

`charts.figures.roll_on` counts a past day's members in the branch that kept them that day
(the report pack's rule) for either kind of scope. The organisations are a subquery
(`organization_ids`), never a list pulled into Python, so the query count stays the same
however many branches a scope has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from branches.models import Community, Organization, SubDistrict
from community.models import Course
from governance.models import Opinion
from grids.models import Dispute
from regional.models import Need, Project, Resource
from venues.models import Booking, ServiceHall
from volunteers.models import Enrollment, ServiceActivity


@dataclass
class ChartScope:
    organizations: QuerySet[Organization]
    halls: QuerySet[ServiceHall]
    enrollments: QuerySet[Enrollment]
    activities: QuerySet[ServiceActivity]
    needs: QuerySet[Need]
    resources: QuerySet[Resource]
    projects: QuerySet[Project]
    opinions: QuerySet[Opinion]
    disputes: QuerySet[Dispute]
    courses: QuerySet[Course]
    # Empty: the dated roll's transfers check `paths == []` for "nobody in scope".
    paths: Any = ()

    @property
    def organization_ids(self) -> QuerySet:
        return self.organizations.order_by().values("pk")

    def organizations_q(self, prefix: str = "") -> Q:
        """A filter on rows that reach an Organization through `prefix` (the report's shape)."""
        return Q(**{f"{prefix}pk__in": self.organization_ids})

    def bookings(self) -> QuerySet[Booking]:
        return Booking.objects.filter(room__hall__in=self.halls.order_by().values("pk"))

    @classmethod
    def of_user(cls, user: Any) -> ChartScope:
        """Everything `user` may see, through each model's own `visible_to`."""
        return cls(
            organizations=Organization.objects.visible_to(user),
            halls=ServiceHall.objects.visible_to(user),
            enrollments=Enrollment.objects.visible_to(user),
            activities=ServiceActivity.objects.visible_to(user),
            needs=Need.objects.visible_to(user),
            resources=Resource.objects.visible_to(user),
            projects=Project.objects.visible_to(user),
            opinions=Opinion.objects.visible_to(user),
            disputes=Dispute.objects.visible_to(user),
            courses=Course.objects.visible_to(user),
        )

    @classmethod
    def of_place(cls, sub_district: SubDistrict, community: Community | None = None) -> ChartScope:
        """A sub-district, or one of its communities (the organisations that serve it, its
        volunteer teams, the regional committees that span it)."""
        organizations = Organization.objects.filter(sub_district=sub_district)
        halls = ServiceHall.objects.filter(sub_district=sub_district)
        enrollments = Enrollment.objects.filter(
            activity__team__community__sub_district=sub_district
        )
        activities = ServiceActivity.objects.filter(team__community__sub_district=sub_district)
        needs = Need.objects.filter(community__sub_district=sub_district)
        resources = Resource.objects.filter(committee__sub_district=sub_district)
        projects = Project.objects.filter(committee__sub_district=sub_district)
        opinions = Opinion.objects.filter(sub_district=sub_district)
        disputes = Dispute.objects.filter(grid__community__sub_district=sub_district)
        # Schools belong to the sub-district: a community's screen shows them all.
        courses = Course.objects.filter(term__school__sub_district=sub_district)
        if community is not None:
            organizations = organizations.filter(
                pk__in=Organization.objects.filter(communities=community).values("pk")
            )
            enrollments = enrollments.filter(activity__team__community=community)
            activities = activities.filter(team__community=community)
            needs = needs.filter(community=community)
            resources = resources.filter(committee__communities=community)
            projects = projects.filter(committee__communities=community)
            opinions = opinions.filter(community=community)
            disputes = disputes.filter(grid__community=community)
        return cls(
            organizations=organizations,
            halls=halls,
            enrollments=enrollments,
            activities=activities,
            needs=needs,
            resources=resources,
            projects=projects,
            opinions=opinions,
            disputes=disputes,
            courses=courses,
        )
