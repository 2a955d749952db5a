from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions, require_perms
from branches.models import (
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
    Sector,
    SubDistrict,
)
from branches.services import tree
from branches.structure import figures_for


class SubDistrictSerializer(serializers.ModelSerializer):
    district = serializers.StringRelatedField()

    class Meta:
        model = SubDistrict
        fields = ["id", "name", "district"]


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "sector",
            "sector_display",
            "sub_district",
            "parent",
            "depth",
            "founded_on",
            "status",
            "is_temporary",
            "ends_on",
        ]


@extend_schema_field(OpenApiTypes.INT)
class VisibleOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organisation id the caller may see; any other id reads as "does not exist"."""

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.context["request"].user).active()


class FoundSerializer(serializers.Serializer):
    parent = VisibleOrganizationField()
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    founded_on = serializers.DateField()
    is_joint = serializers.BooleanField(required=False)
    is_temporary = serializers.BooleanField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class RenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    on = serializers.DateField()


class ChangeKindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    on = serializers.DateField()


class MoveSerializer(serializers.Serializer):
    parent = VisibleOrganizationField()
    on = serializers.DateField()


class MergeSerializer(serializers.Serializer):
    others = VisibleOrganizationField(many=True)
    into_this = serializers.BooleanField(required=False, default=False)
    new_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    on = serializers.DateField()


class SplitPartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    members = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True)


class SplitSerializer(serializers.Serializer):
    parts = SplitPartSerializer(many=True)
    archive_source = serializers.BooleanField(required=False, default=False)
    on = serializers.DateField()


class DissolveSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class OrganizationEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    related = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = OrganizationEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "occurred_on",
            "description",
            "related",
            "recorded_by",
            "created_at",
        ]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganizationPeriod
        fields = ["organization", "parent", "name", "kind", "sector", "valid_from", "valid_to"]


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class StructureSerializer(serializers.Serializer):
    full_members = serializers.IntegerField()
    probationary_members = serializers.IntegerField()
    total_members = serializers.IntegerField()
    has_committee = serializers.BooleanField()
    term_planned_end = serializers.DateField(allow_null=True)
    warnings = WarningSerializer(many=True)


class SubDistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubDistrictSerializer
    permission_classes = [ScopedModelPermissions]
    search_fields = ["name"]

    def get_queryset(self) -> QuerySet[SubDistrict]:
        return SubDistrict.objects.visible_to(self.request.user).select_related("district")


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations the caller may see (a row out of scope is a 404), and the services that
    restructure them: found (POST), rename, change kind, move, merge, split, dissolve."""

    serializer_class = OrganizationSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["kind", "sector", "status", "sub_district"]
    search_fields = ["name"]
    ordering_fields = ["name", "path", "founded_on"]
    ordering = ["path"]

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user).with_parent_id()

    def get_permissions(self) -> list:
        if self.action in RESTRUCTURE_ACTIONS:
            return [require_perms("branches.change_organization")()]
        if self.action == "create":
            return [require_perms("branches.add_organization")()]
        return super().get_permissions()

    def _respond(self, organization: Organization, status_code: int = 200) -> Response:
        organization = self.get_queryset().get(pk=organization.pk)
        return Response(OrganizationSerializer(organization).data, status=status_code)

    def _input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=FoundSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request) -> Response:
        data = self._input(FoundSerializer)
        parent = data["parent"]
        organization = tree.found_organization(
            sub_district=parent.sub_district,
            parent=parent,
            name=data["name"],
            kind=data["kind"],
            sector=data.get("sector", ""),
            founded_on=data["founded_on"],
            is_joint=data.get("is_joint", False),
            is_temporary=data.get("is_temporary", False),
            ends_on=data.get("ends_on"),
            note=data.get("note", ""),
            actor=request.user,
        )
        return self._respond(organization, 201)

    @extend_schema(request=RenameSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(RenameSerializer)
        organization = tree.rename_organization(
            organization=self.get_object(), name=data["name"], on=data["on"], actor=request.user
        )
        return self._respond(organization)

    @extend_schema(request=ChangeKindSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"], url_path="change-kind")
    def change_kind(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(ChangeKindSerializer)
        organization = tree.change_kind(
            organization=self.get_object(), kind=data["kind"], on=data["on"], actor=request.user
        )
        return self._respond(organization)

    @extend_schema(request=MoveSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(MoveSerializer)
        organization = tree.move_organization(
            organization=self.get_object(),
            new_parent=data["parent"],
            on=data["on"],
            actor=request.user,
        )
        return self._respond(organization)

    @extend_schema(request=MergeSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """Merge `others` with this organisation: into a new one named `new_name`, or, with
        `into_this`, into this one."""
        data = self._input(MergeSerializer)
        organization = self.get_object()
        if data.get("into_this"):
            merged = tree.merge_organizations(
                sources=data["others"], into=organization, on=data["on"], actor=request.user
            )
        else:
            merged = tree.merge_organizations(
                sources=[organization, *data["others"]],
                new_name=data.get("new_name", ""),
                on=data["on"],
                actor=request.user,
            )
        return self._respond(merged)

    @extend_schema(request=SplitSerializer, responses=OrganizationSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None)
    def split(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(SplitSerializer)
        created = tree.split_organization(
            source=self.get_object(),
            parts=[(part["name"], part["members"]) for part in data["parts"]],
            on=data["on"],
            archive_source=data.get("archive_source", False),
            actor=request.user,
        )
        rows = self.get_queryset().filter(pk__in=[org.pk for org in created])
        return Response(OrganizationSerializer(rows, many=True).data, status=201)

    @extend_schema(request=DissolveSerializer, responses=OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request: Request, pk: str | None = None) -> Response:
        data = self._input(DissolveSerializer)
        organization = tree.dissolve_organization(
            organization=self.get_object(),
            on=data["on"],
            reason=data.get("reason", ""),
            actor=request.user,
        )
        return self._respond(organization)

    @extend_schema(responses=OrganizationEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        events = (
            OrganizationEvent.objects.filter(organization=self.get_object())
            .select_related("recorded_by")
            .prefetch_related("related")
        )
        return Response(OrganizationEventSerializer(events, many=True).data)

    @extend_schema(responses=StructureSerializer)
    @action(detail=True, methods=["get"])
    def structure(self, request: Request, pk: str | None = None) -> Response:
        organization = self.get_object()
        figures = figures_for([organization], timezone.localdate())[organization.pk]
        return Response(
            StructureSerializer(
                {
                    "full_members": figures.full,
                    "probationary_members": figures.probationary,
                    "total_members": figures.total,
                    "has_committee": figures.has_committee,
                    "term_planned_end": figures.term_planned_end,
                    "warnings": [
                        {"code": w.code, "message": str(w.message)} for w in figures.warnings
                    ],
                }
            ).data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("on", OpenApiTypes.DATE, description="the date; default today")
        ],
        responses=PeriodSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="as-of")
    def as_of(self, request: Request) -> Response:
        """The tree as it stood on a date: each organisation's name, kind and parent then."""
        raw = request.query_params.get("on", "")
        day = parse_date(raw) if raw else timezone.localdate()
        if day is None:
            raise ValidationError({"on": [_("Enter a date as YYYY-MM-DD.")]})
        visible = Organization.objects.visible_to(request.user)
        periods = (
            OrganizationPeriod.objects.on(day)
            .filter(organization__in=visible)
            .order_by("organization__path")
        )
        page = self.paginate_queryset(periods)
        return self.get_paginated_response(PeriodSerializer(page, many=True).data)


RESTRUCTURE_ACTIONS = frozenset({"rename", "change_kind", "move", "merge", "split", "dissolve"})
