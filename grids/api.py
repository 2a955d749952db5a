"""The API of grid work, scoped like the pages: households (phone masked, never revealed),
daily screening reports and disputes (parties masked), read-only, for staff and secretaries."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from accounts.api import ScopedModelPermissions
from grids.models import Dispute, Household, ScreeningReport
from grids.rules import mask_name


class HouseholdSerializer(serializers.ModelSerializer):
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "grid",
            "compound",
            "building",
            "address",
            "contact_name",
            "phone_masked",
            "tags",
        ]


class ScreeningReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningReport
        fields = ["id", "grid", "day", "nothing_found", "notes", "created_at"]


class DisputeSerializer(serializers.ModelSerializer):
    parties = serializers.SerializerMethodField()
    mediator = serializers.CharField(source="mediator_label", read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "grid",
            "source",
            "kind",
            "parties",
            "opened_on",
            "mediator",
            "status",
            "closed_on",
            "follow_up_due_on",
            "followed_up_on",
            "escalated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_parties(self, obj: Dispute) -> list[str]:
        return [mask_name(p) for p in (obj.party_a, obj.party_b) if p]


class _Scoped(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self) -> QuerySet:
        return self.queryset.visible_to(self.request.user)  # type: ignore[union-attr]


class HouseholdViewSet(_Scoped):
    queryset = Household.objects.select_related("grid").order_by("pk")
    serializer_class = HouseholdSerializer


class ScreeningReportViewSet(_Scoped):
    queryset = ScreeningReport.objects.order_by("-day", "pk")
    serializer_class = ScreeningReportSerializer


class DisputeViewSet(_Scoped):
    queryset = Dispute.objects.select_related("mediator", "mediator_team").order_by(
        "-opened_on", "pk"
    )
    serializer_class = DisputeSerializer
