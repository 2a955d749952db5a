"""The API of branch committees: `/api/v1/committee-terms/` (read, record an election, appoint,
end a position), as it was when the committees lived in `branches`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions, require_perms
from branches.api.organizations import VisibleOrganizationField
from committees.models import CommitteePosition, CommitteeTerm, Position
from committees.services import terms
from members.models import Member


@extend_schema_field(OpenApiTypes.INT)
class VisibleMemberField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Member]:
        return Member.objects.visible_to(self.context["request"].user)


class PositionSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    position_display = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = CommitteePosition
        fields = [
            "id",
            "member",
            "member_name",
            "position",
            "position_display",
            "started_on",
            "ended_on",
        ]


class CommitteeTermSerializer(serializers.ModelSerializer):
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = CommitteeTerm
        fields = [
            "id",
            "organization",
            "started_on",
            "planned_end_on",
            "ended_on",
            "note",
            "positions",
        ]


class StartTermSerializer(serializers.Serializer):
    organization = VisibleOrganizationField()
    started_on = serializers.DateField()
    planned_end_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class AppointSerializer(serializers.Serializer):
    member = VisibleMemberField()
    position = serializers.ChoiceField(choices=Position.choices)
    started_on = serializers.DateField()


class EndPositionSerializer(serializers.Serializer):
    position = serializers.PrimaryKeyRelatedField(queryset=CommitteePosition.objects.none())
    ended_on = serializers.DateField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term = self.context.get("term")
        if term is not None:
            self.fields["position"].queryset = CommitteePosition.objects.filter(term=term)


class ExtendTermSerializer(serializers.Serializer):
    extended_to = serializers.DateField()
    approved_by = serializers.CharField(max_length=100)
    approved_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class CommitteeTermViewSet(viewsets.ReadOnlyModelViewSet):
    """Committee terms of organisations in scope; POST records an election."""

    serializer_class = CommitteeTermSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["organization"]

    def get_queryset(self) -> QuerySet[CommitteeTerm]:
        return (
            CommitteeTerm.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related("positions__member")
        )

    def get_permissions(self) -> list:
        if self.action in ("create", "appoint", "end_position"):
            return [require_perms("committees.add_committeeterm")()]
        if self.action == "extend":
            return [require_perms("committees.add_termextension")()]
        return super().get_permissions()

    @extend_schema(request=StartTermSerializer, responses={201: CommitteeTermSerializer})
    def create(self, request: Request) -> Response:
        serializer = StartTermSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        term = terms.start_committee_term(
            organization=data["organization"],
            started_on=data["started_on"],
            planned_end_on=data.get("planned_end_on"),
            note=data.get("note", ""),
            actor=request.user,
        )
        return Response(CommitteeTermSerializer(self.get_queryset().get(pk=term.pk)).data, 201)

    @extend_schema(request=AppointSerializer, responses={201: CommitteeTermSerializer})
    @action(detail=True, methods=["post"])
    def appoint(self, request: Request, pk: str | None = None) -> Response:
        serializer = AppointSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        term = self.get_object()
        terms.appoint_position(
            term=term,
            member=data["member"],
            position=data["position"],
            started_on=data["started_on"],
            actor=request.user,
        )
        return Response(CommitteeTermSerializer(self.get_queryset().get(pk=term.pk)).data, 201)

    @extend_schema(request=EndPositionSerializer, responses=CommitteeTermSerializer)
    @action(detail=True, methods=["post"], url_path="end-position")
    def end_position(self, request: Request, pk: str | None = None) -> Response:
        term = self.get_object()
        serializer = EndPositionSerializer(
            data=request.data, context={"request": request, "term": term}
        )
        serializer.is_valid(raise_exception=True)
        terms.end_position(
            position=serializer.validated_data["position"],
            ended_on=serializer.validated_data["ended_on"],
            actor=request.user,
        )
        return Response(CommitteeTermSerializer(self.get_queryset().get(pk=term.pk)).data)

    @extend_schema(request=ExtendTermSerializer, responses=CommitteeTermSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        """The level above approved a later election: the planned end moves (one year at most)."""
        term = self.get_object()
        serializer = ExtendTermSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        terms.extend_term(term=term, actor=request.user, **serializer.validated_data)
        return Response(CommitteeTermSerializer(self.get_queryset().get(pk=term.pk)).data)
