"""The API of member points, scoped like the pages:

- `/api/v1/point-entries/` the ledger (read only; filter by member, event, source, approved, year);
- `/api/v1/point-rankings/<branch>/?period=2026-03` a branch's members ranked for a month,
  quarter (2026Q1) or year (2026);
- `/api/v1/manual-awards/` manual awards: list, propose (POST), decide (POST …/decide/).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions, require_perms
from branches.models import Organization
from config.periods import period_containing
from members.models import Member
from points import rankings
from points.models import ManualAward, PointEntry
from points.services import decisions


@extend_schema_field(OpenApiTypes.INT)
class VisibleMemberField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Member]:
        return Member.objects.visible_to(self.context["request"].user).current()


class PointEntrySerializer(serializers.ModelSerializer):
    event_display = serializers.CharField(source="event_label", read_only=True)

    class Meta:
        model = PointEntry
        fields = [
            "id",
            "member",
            "organization",
            "event",
            "event_display",
            "source_kind",
            "source_id",
            "day",
            "quantity",
            "raw_points",
            "points",
            "approved",
            "title",
        ]


class PointEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Ledger entries of members in scope (one page: one query for the rows, one to count)."""

    serializer_class = PointEntrySerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["member", "event", "source_kind", "approved"]

    def get_queryset(self) -> QuerySet[PointEntry]:
        rows = PointEntry.objects.visible_to(self.request.user).order_by("member_id", "-day", "-pk")
        year = self.request.query_params.get("year")
        if year:
            try:
                number = int(year)
                rows = rows.between(dt.date(number, 1, 1), dt.date(number, 12, 31))
            except ValueError:
                raise serializers.ValidationError(
                    {"year": [_("Give a year, e.g. 2026.")]}
                ) from None
        return rows

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="calendar year")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class RankedMemberSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()
    total = serializers.DecimalField(max_digits=9, decimal_places=1)
    before = serializers.DecimalField(max_digits=9, decimal_places=1)
    change = serializers.DecimalField(max_digits=9, decimal_places=1)
    rank = serializers.IntegerField()
    stars = serializers.IntegerField()


class RankingSerializer(serializers.Serializer):
    branch = serializers.IntegerField()
    period = serializers.CharField()
    members = RankedMemberSerializer(many=True)


class BranchRankingViewSet(viewsets.GenericViewSet):
    """A branch's members on the roll ranked by points in a period (one query for the ranking)."""

    permission_classes = [require_perms("points.view_pointentry")]
    serializer_class = RankingSerializer

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="2026-03, 2026Q1 or 2026; default: month"
            )
        ],
        responses=RankingSerializer,
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        branch = self.get_object()
        today = timezone.localdate()
        asked = request.query_params.get("period")
        period = rankings.parse_period(asked, today) if asked else period_containing(today, "month")
        if period is None:
            raise serializers.ValidationError(
                {"period": [_("Give the period as 2026-03, 2026Q1 or 2026.")]}
            )
        rows = rankings.with_member_stars(
            list(rankings.branch_ranking(branch, period)), branch.sub_district_id
        )
        data = {"branch": branch.pk, "period": period.label, "members": rows}
        return Response(RankingSerializer(data).data)


class ManualAwardSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = ManualAward
        fields = [
            "id",
            "member",
            "member_name",
            "day",
            "points",
            "reason",
            "status",
            "proposed_by",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer):
    member = VisibleMemberField()
    day = serializers.DateField()
    points = serializers.DecimalField(max_digits=4, decimal_places=1)
    reason = serializers.CharField(max_length=200)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ManualAwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Manual awards and deductions of members in scope; POST proposes one, …/decide/ decides."""

    serializer_class = ManualAwardSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["member", "status"]

    def get_queryset(self) -> QuerySet[ManualAward]:
        return (
            ManualAward.objects.visible_to(self.request.user)
            .select_related("member")
            .order_by("-created_at", "-pk")
        )

    def get_permissions(self) -> list:
        if self.action == "decide":
            return [require_perms("points.change_manualaward")()]
        return super().get_permissions()

    @extend_schema(request=ProposeSerializer, responses={201: ManualAwardSerializer})
    def create(self, request: Request) -> Response:
        serializer = ProposeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        award = decisions.propose_award(
            member=data["member"],
            day=data["day"],
            points=data["points"],
            reason=data["reason"],
            actor=request.user,
        )
        return Response(ManualAwardSerializer(self.get_queryset().get(pk=award.pk)).data, 201)

    @extend_schema(request=DecideSerializer, responses=ManualAwardSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        award = self.get_object()
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = decisions.decide_award(
            award=award,
            approve=serializer.validated_data["approve"],
            note=serializer.validated_data.get("note", ""),
            actor=request.user,
        )
        return Response(ManualAwardSerializer(self.get_queryset().get(pk=decided.pk)).data)
