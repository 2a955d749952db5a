"""Scoped, read-only API of the opinions ledger and community matters. Rows follow
`visible_to`; an anonymous opinion's author is named only as `author_shown` allows."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from accounts.api import ScopedModelPermissions
from governance.models import Matter, MatterStep, Opinion
from governance.services.opinions import author_shown


class OpinionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = [
            "id",
            "community",
            "channel",
            "category",
            "title",
            "text",
            "place",
            "is_anonymous",
            "author",
            "received_on",
            "deadline",
            "state",
            "owner",
            "reply",
            "replied_at",
            "closed_at",
            "rating",
            "merged_into",
            "need",
            "matter",
        ]

    @extend_schema_field(serializers.CharField())
    def get_author(self, opinion: Opinion) -> str:
        return author_shown(opinion, self.context["request"].user)

    @extend_schema_field(serializers.CharField())
    def get_owner(self, opinion: Opinion) -> str:
        return str(opinion.owner)


class OpinionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OpinionSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = Opinion.objects.none()

    def get_queryset(self) -> QuerySet[Opinion]:
        qs = Opinion.objects.visible_to(self.request.user).select_related(
            "author", "owner_organization", "owner_grid", "owner_unit"
        )
        state = self.request.query_params.get("state")
        if state:
            qs = qs.filter(state=state)
        return qs.order_by("-received_on", "-pk")


class MatterStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatterStep
        fields = [
            "kind",
            "held_on",
            "participants",
            "minutes",
            "meeting",
            "eligible",
            "present",
            "votes_for",
        ]


class MatterSerializer(serializers.ModelSerializer):
    steps = MatterStepSerializer(many=True, read_only=True)

    class Meta:
        model = Matter
        fields = ["id", "community", "title", "description", "procedure", "status", "steps"]


class MatterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MatterSerializer
    permission_classes = [ScopedModelPermissions]
    queryset = Matter.objects.none()

    def get_queryset(self) -> QuerySet[Matter]:
        return (
            Matter.objects.visible_to(self.request.user)
            .select_related("community")
            .prefetch_related("steps")
            .order_by("-created_at", "-pk")
        )
