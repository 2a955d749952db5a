from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from accounts.api import ScopedModelPermissions
from branches.models import Organization, SubDistrict


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


class SubDistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubDistrictSerializer
    permission_classes = [ScopedModelPermissions]
    search_fields = ["name"]

    def get_queryset(self) -> QuerySet[SubDistrict]:
        return SubDistrict.objects.visible_to(self.request.user).select_related("district")


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations the caller may see; a row out of scope is a 404."""

    serializer_class = OrganizationSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["kind", "sector", "status", "sub_district"]
    search_fields = ["name"]
    ordering_fields = ["name", "path", "founded_on"]
    ordering = ["path"]

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user).with_parent_id()
