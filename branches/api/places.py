"""API for places: communities, grids, compounds and office buildings, scoped like the pages."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from accounts.api import ScopedModelPermissions
from accounts.services import record_audit
from branches.models import Building, Community, Compound, Grid, SubDistrict


@extend_schema_field(OpenApiTypes.INT)
class StaffSubDistrictField(serializers.PrimaryKeyRelatedField):
    """A sub-district the caller works for (staff scope), not merely one they can see."""

    def get_queryset(self) -> QuerySet[SubDistrict]:
        from accounts.scope import scope_for

        scope = scope_for(self.context["request"].user)
        qs = SubDistrict.objects.all()
        return qs if scope.everything else qs.filter(pk__in=scope.sub_district_ids)


@extend_schema_field(OpenApiTypes.INT)
class StaffCommunityField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Community]:
        from accounts.scope import scope_for

        scope = scope_for(self.context["request"].user)
        qs = Community.objects.all()
        return qs if scope.everything else qs.filter(sub_district_id__in=scope.sub_district_ids)


class CommunitySerializer(serializers.ModelSerializer):
    sub_district = StaffSubDistrictField()

    class Meta:
        model = Community
        fields = ["id", "sub_district", "name", "kind"]


class GridSerializer(serializers.ModelSerializer):
    community = StaffCommunityField()

    class Meta:
        model = Grid
        fields = ["id", "community", "name", "leader_name"]


class CompoundSerializer(serializers.ModelSerializer):
    community = StaffCommunityField()

    class Meta:
        model = Compound
        fields = ["id", "community", "name", "has_management"]


class BuildingSerializer(serializers.ModelSerializer):
    community = StaffCommunityField()

    class Meta:
        model = Building
        fields = ["id", "community", "name", "address"]


class _PlaceViewSet(viewsets.ModelViewSet):
    """Reads for everyone in scope; writes for sub-district staff, audited."""

    permission_classes = [ScopedModelPermissions]
    search_fields = ["name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return self.serializer_class.Meta.model.objects.visible_to(self.request.user)

    # The row and its audit entry commit together (a database error leaves neither).
    @transaction.atomic
    def perform_create(self, serializer: serializers.ModelSerializer) -> None:
        instance = serializer.save()
        record_audit(actor=self.request.user, action="place.created", target=instance)

    @transaction.atomic
    def perform_update(self, serializer: serializers.ModelSerializer) -> None:
        instance = serializer.save()
        record_audit(actor=self.request.user, action="place.changed", target=instance)


class CommunityViewSet(_PlaceViewSet):
    serializer_class = CommunitySerializer
    filterset_fields = ["sub_district", "kind"]

    def get_queryset(self) -> QuerySet[Community]:
        return Community.objects.visible_to(self.request.user).select_related("sub_district")


class GridViewSet(_PlaceViewSet):
    serializer_class = GridSerializer
    filterset_fields = ["community"]


class CompoundViewSet(_PlaceViewSet):
    serializer_class = CompoundSerializer
    filterset_fields = ["community", "has_management"]


class BuildingViewSet(_PlaceViewSet):
    serializer_class = BuildingSerializer
    filterset_fields = ["community"]
