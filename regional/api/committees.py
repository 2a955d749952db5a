"""API of regional party building: committees (with their current member units), dated
memberships, part-time members, visits, pairings and co-building units.

Reads are scoped through `visible_to`; every write calls a service of
regional.services.committees, so the API keeps the same rules as the pages (a broken rule is a
400 with its field, through accounts.api.exception_handler).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions
from accounts.models import User
from accounts.roles import Role
from branches.models import CoBuildingUnit, Community, SubDistrict
from regional.models import (
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    UnitVisit,
)
from regional.services import committees as services


class ChangeActionPermissions(ScopedModelPermissions):
    """For actions that close a dated row (leave, end, complete): POST needs `change`."""

    perms_map = {
        **ScopedModelPermissions.perms_map,
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A foreign key the caller must be able to see; an id out of scope reads as not found."""

    def get_queryset(self) -> QuerySet:
        request = self.context["request"]
        return self.queryset.model.objects.visible_to(request.user)  # type: ignore[union-attr]


def _managed_sub_districts(user: User) -> QuerySet[SubDistrict]:
    from regional.forms.committees import managed_sub_districts

    return managed_sub_districts(user)


class ManagedSubDistrictField(serializers.PrimaryKeyRelatedField):
    """A sub-district where the caller works as staff."""

    def get_queryset(self) -> QuerySet[SubDistrict]:
        return _managed_sub_districts(self.context["request"].user)


# --- Units --------------------------------------------------------------------------------------


class CoBuildingUnitSerializer(serializers.ModelSerializer):
    sub_district = ManagedSubDistrictField(queryset=SubDistrict.objects.all())
    unit_type_display = serializers.CharField(source="get_unit_type_display", read_only=True)
    liaison = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(
            is_active=True,
            role_assignments__role=Role.UNIT_LIAISON,
            role_assignments__is_active=True,
        ).distinct(),
        allow_null=True,
        required=False,
    )
    liaison_name = serializers.SerializerMethodField()

    class Meta:
        model = CoBuildingUnit
        fields = [
            "id",
            "name",
            "sub_district",
            "sector",
            "unit_type",
            "unit_type_display",
            "party_organization_name",
            "leader_name",
            "liaison",
            "liaison_name",
            "address",
            "resources",
        ]
        validators: list[Any] = []  # the service names the rule (unique name per sub-district)

    def get_liaison_name(self, unit: CoBuildingUnit) -> str | None:
        return unit.liaison.get_full_name() if unit.liaison else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and attrs.get("liaison"):
            raise serializers.ValidationError(
                {
                    "liaison": [
                        _(
                            "Register the unit first; its liaison is set once they hold the "
                            "liaison role for it."
                        )
                    ]
                }
            )
        if self.instance is not None:
            attrs.pop("sub_district", None)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> CoBuildingUnit:
        validated_data.pop("liaison", None)
        return services.register_unit(actor=self.context["request"].user, **validated_data)

    def update(self, instance: CoBuildingUnit, validated_data: dict[str, Any]) -> CoBuildingUnit:
        return services.update_unit(
            unit=instance, actor=self.context["request"].user, **validated_data
        )


class CoBuildingUnitViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Co-building units the caller may see (a liaison: their own unit)."""

    serializer_class = CoBuildingUnitSerializer
    permission_classes = [ScopedModelPermissions]
    search_fields = ["name", "party_organization_name", "leader_name"]
    filterset_fields = ["sector", "unit_type", "sub_district"]
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[CoBuildingUnit]:
        return CoBuildingUnit.objects.visible_to(self.request.user).select_related("liaison")


# --- Committees ---------------------------------------------------------------------------------


class MemberUnitSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RegionalMembership
        fields = ["id", "unit", "unit_name", "joined_on"]


class RegionalCommitteeSerializer(serializers.ModelSerializer):
    sub_district = ManagedSubDistrictField(queryset=SubDistrict.objects.all())
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    communities = ScopedPrimaryKeyField(queryset=Community.objects.all(), many=True, required=False)
    current_member_units = MemberUnitSerializer(
        source="current_memberships", many=True, read_only=True
    )

    class Meta:
        model = RegionalCommittee
        fields = [
            "id",
            "sub_district",
            "level",
            "level_display",
            "name",
            "founded_on",
            "communities",
            "note",
            "current_member_units",
        ]
        validators: list[Any] = []  # the service names the rule (unique name per sub-district)

    def create(self, validated_data: dict[str, Any]) -> RegionalCommittee:
        committee = services.create_regional_committee(
            actor=self.context["request"].user,
            founded_on=validated_data.pop("founded_on", None),
            **validated_data,
        )
        committee.current_memberships = []  # type: ignore[attr-defined]
        return committee


class RegionalCommitteeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Regional committees with the units sitting on them today."""

    serializer_class = RegionalCommitteeSerializer
    permission_classes = [ScopedModelPermissions]
    search_fields = ["name"]
    filterset_fields = ["level", "sub_district"]
    ordering_fields = ["name", "founded_on"]
    ordering = ["-level", "name"]

    def get_queryset(self) -> QuerySet[RegionalCommittee]:
        current = (
            RegionalMembership.objects.on(timezone.localdate())
            .select_related("unit")
            .order_by("unit__name")
        )
        return RegionalCommittee.objects.visible_to(self.request.user).prefetch_related(
            "communities",
            Prefetch("memberships", queryset=current, to_attr="current_memberships"),
        )


# --- Memberships, part-time members -------------------------------------------------------------


class EndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class RegionalMembershipSerializer(serializers.ModelSerializer):
    committee = ScopedPrimaryKeyField(queryset=RegionalCommittee.objects.all())
    unit = ScopedPrimaryKeyField(queryset=CoBuildingUnit.objects.all())

    class Meta:
        model = RegionalMembership
        fields = ["id", "committee", "unit", "joined_on", "left_on"]
        read_only_fields = ["left_on"]
        validators: list[Any] = []  # the service names the rule (one open seat per unit)

    def create(self, validated_data: dict[str, Any]) -> RegionalMembership:
        return services.admit_unit(actor=self.context["request"].user, **validated_data)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "on", str, description="Only memberships in force on this day (YYYY-MM-DD)"
        )
    ]
)
class RegionalMembershipViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Dated seats of units on committees. POST admits a unit; `leave` closes a seat."""

    serializer_class = RegionalMembershipSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["committee", "unit"]
    ordering = ["committee", "joined_on"]

    def get_queryset(self) -> QuerySet[RegionalMembership]:
        qs = RegionalMembership.objects.visible_to(self.request.user)
        day = self.request.query_params.get("on")
        if day:
            parsed = serializers.DateField().to_internal_value(day)
            qs = qs.on(parsed)
        return qs

    @extend_schema(request=EndSerializer, responses=RegionalMembershipSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangeActionPermissions])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        membership = self.get_object()
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.remove_unit(
            membership=membership, left_on=body.validated_data["ended_on"], actor=request.user
        )
        return Response(self.get_serializer(membership).data)


class PartTimeMemberSerializer(serializers.ModelSerializer):
    committee = ScopedPrimaryKeyField(queryset=RegionalCommittee.objects.all())
    unit = ScopedPrimaryKeyField(queryset=CoBuildingUnit.objects.all())

    class Meta:
        model = PartTimeMember
        fields = ["id", "committee", "unit", "full_name", "title", "started_on", "ended_on"]
        read_only_fields = ["ended_on"]

    def create(self, validated_data: dict[str, Any]) -> PartTimeMember:
        return services.appoint_part_time_member(
            actor=self.context["request"].user, **validated_data
        )


class PartTimeMemberViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Part-time committee members (兼职委员). POST appoints; `end` ends an appointment."""

    serializer_class = PartTimeMemberSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["committee", "unit"]
    ordering = ["committee", "started_on"]

    def get_queryset(self) -> QuerySet[PartTimeMember]:
        return PartTimeMember.objects.visible_to(self.request.user)

    @extend_schema(request=EndSerializer, responses=PartTimeMemberSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangeActionPermissions])
    def end(self, request: Request, pk: str | None = None) -> Response:
        member = self.get_object()
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.end_part_time_member(
            member=member, ended_on=body.validated_data["ended_on"], actor=request.user
        )
        return Response(self.get_serializer(member).data)


# --- Visits and pairings ------------------------------------------------------------------------


class UnitVisitSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=CoBuildingUnit.objects.all())

    class Meta:
        model = UnitVisit
        fields = [
            "id",
            "unit",
            "visited_on",
            "visitors",
            "needs",
            "opinions",
            "follow_up",
            "follow_up_done_on",
        ]
        read_only_fields = ["follow_up_done_on"]

    def create(self, validated_data: dict[str, Any]) -> UnitVisit:
        return services.record_visit(actor=self.context["request"].user, **validated_data)


class FollowUpSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    follow_up = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class UnitVisitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Visits to units (走访). POST records one; `complete-follow-up` closes its follow-up."""

    serializer_class = UnitVisitSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["unit"]
    ordering = ["-visited_on"]

    def get_queryset(self) -> QuerySet[UnitVisit]:
        return UnitVisit.objects.visible_to(self.request.user)

    @extend_schema(request=FollowUpSerializer, responses=UnitVisitSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="complete-follow-up",
        permission_classes=[ChangeActionPermissions],
    )
    def complete_follow_up(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        body = FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = services.complete_visit_follow_up(
            visit=visit, actor=request.user, **body.validated_data
        )
        return Response(self.get_serializer(visit).data)


class PairingSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=CoBuildingUnit.objects.all())
    community = ScopedPrimaryKeyField(queryset=Community.objects.all())

    class Meta:
        model = Pairing
        fields = ["id", "unit", "community", "started_on", "ended_on", "note"]
        read_only_fields = ["ended_on"]
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> Pairing:
        return services.pair_unit_with_community(
            actor=self.context["request"].user, **validated_data
        )


class PairingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Pairings of units with communities (结对共建). POST pairs; `end` ends a pairing."""

    serializer_class = PairingSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["unit", "community"]
    ordering = ["-started_on"]

    def get_queryset(self) -> QuerySet[Pairing]:
        return Pairing.objects.visible_to(self.request.user)

    @extend_schema(request=EndSerializer, responses=PairingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangeActionPermissions])
    def end(self, request: Request, pk: str | None = None) -> Response:
        pairing = self.get_object()
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        pairing = services.end_pairing(
            pairing=pairing, ended_on=body.validated_data["ended_on"], actor=request.user
        )
        return Response(self.get_serializer(pairing).data, status=status.HTTP_200_OK)
