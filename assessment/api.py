"""The API of targets, rankings and inspections (read-only, scoped): `/api/v1/target-plans/`,
`/api/v1/inspections/`, `/api/v1/rankings/` (published weeks only)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets

from accounts.api import ScopedModelPermissions
from assessment.models import (
    Finding,
    Inspection,
    Plan,
    RankingRow,
    RankingWeek,
    Rectification,
    Target,
)


class TargetSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "title",
            "organization",
            "sector",
            "owner",
            "owner_name",
            "deadline",
            "weight",
            "measure",
            "metric",
            "goal",
        ]


class TargetPlanSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "sub_district", "year", "title", "adopted_on", "targets"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Target plans of the sub-districts in scope, with their targets."""

    serializer_class = TargetPlanSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["year"]

    def get_queryset(self) -> QuerySet[Plan]:
        return (
            Plan.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("targets", queryset=Target.objects.select_related("owner")))
            .order_by("-year", "pk")
        )


class FindingSerializer(serializers.ModelSerializer):
    item_text = serializers.CharField(source="item.text", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "item", "item_text", "score", "note"]


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = ["id", "description", "owner", "deadline", "status", "closed_on"]


class InspectionSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    rectifications = RectificationSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "checklist",
            "organization",
            "visited_on",
            "inspectors",
            "summary",
            "score",
            "max_score",
            "findings",
            "rectifications",
        ]


class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Inspections of branches in scope (a secretary's own branch), findings, rectifications."""

    serializer_class = InspectionSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["organization"]

    def get_queryset(self) -> QuerySet[Inspection]:
        return (
            Inspection.objects.visible_to(self.request.user)
            .prefetch_related(
                Prefetch("findings", queryset=Finding.objects.select_related("item")),
                "rectifications",
            )
            .order_by("-visited_on", "pk")
        )


class RankingRowSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = RankingRow
        fields = [
            "organization",
            "organization_name",
            "rank",
            "score",
            "meetings",
            "volunteer_hours",
            "claimed_needs",
        ]


class RankingWeekSerializer(serializers.ModelSerializer):
    rows = RankingRowSerializer(many=True, read_only=True)

    class Meta:
        model = RankingWeek
        fields = ["id", "sub_district", "week_start", "published_at", "rows"]


class RankingWeekViewSet(viewsets.ReadOnlyModelViewSet):
    """Published weekly rankings (亮赛比) of the sub-districts in scope."""

    serializer_class = RankingWeekSerializer
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self) -> QuerySet[RankingWeek]:
        return (
            RankingWeek.objects.published()
            .filter(sub_district__in=_sub_districts(self.request.user))
            .prefetch_related(
                Prefetch(
                    "rows",
                    queryset=RankingRow.objects.select_related("organization").order_by(
                        "rank", "organization__name"
                    ),
                )
            )
            .order_by("-week_start", "pk")
        )


def _sub_districts(user: object) -> QuerySet:
    """The sub-districts whose ranking a user reads: staff theirs, a secretary their branch's."""
    from branches.models import Organization

    return Organization.objects.visible_to(user).values("sub_district_id")
