"""Scoped API of volunteer service: teams, volunteers, activities, enrollments (service records
with hours), good deeds and wishes. Reads follow `visible_to`; the writes here (an hours
correction; recording and closing a good deed) go through the same services as the leader's
page, on the teams the caller may manage (`VolunteerTeam.objects.managed_by`: the leader, or
sub-district staff): another team's row is a 404, another team named in a body a 400."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions
from volunteers.models import (
    Enrollment,
    GoodDeed,
    ServiceActivity,
    Volunteer,
    VolunteerTeam,
    Wish,
)
from volunteers.services.attendance import correct_honour_hours
from volunteers.services.teams import close_good_deed, record_good_deed


class VolunteerTeamSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = VolunteerTeam
        fields = [
            "id",
            "community",
            "name",
            "kind",
            "kind_display",
            "leader",
            "description",
            "is_active",
        ]


class VolunteerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Volunteer
        fields = ["id", "sub_district", "full_name", "user", "member", "community", "registered_on"]


class ServiceActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceActivity
        fields = [
            "id",
            "team",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "signed_up_count",
            "signup_opens_at",
            "signup_closes_at",
            "audience",
            "status",
        ]


class EnrollmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrollment
        fields = [
            "id",
            "activity",
            "volunteer",
            "status",
            "signed_in_at",
            "signed_out_at",
            "credit_minutes",
            "honour_minutes",
            "is_no_show",
        ]


class HoursSerializer(serializers.Serializer):
    honour_minutes = serializers.IntegerField(min_value=0, max_value=24 * 60)
    reason = serializers.CharField(max_length=200)


class GoodDeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoodDeed
        fields = [
            "id",
            "team",
            "done_on",
            "beneficiary",
            "description",
            "volunteers",
            "closed_at",
            "rating",
            "comment",
        ]


@extend_schema_field(OpenApiTypes.INT)
class _ManagedTeamField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[VolunteerTeam]:
        return VolunteerTeam.objects.managed_by(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class _ManagedVolunteerField(serializers.PrimaryKeyRelatedField):
    """Volunteers of the sub-districts of the teams the caller manages."""

    def get_queryset(self) -> QuerySet[Volunteer]:
        teams = VolunteerTeam.objects.managed_by(self.context["request"].user)
        return Volunteer.objects.filter(
            sub_district_id__in=teams.values("community__sub_district_id")
        )


class GoodDeedCreateSerializer(serializers.Serializer):
    team = _ManagedTeamField()
    done_on = serializers.DateField()
    beneficiary = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=4000)
    volunteers = _ManagedVolunteerField(many=True, required=False)


class GoodDeedCloseSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="The resident's rating, 1 to 5.")
    comment = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WishSerializer(serializers.ModelSerializer):
    class Meta:
        model = Wish
        fields = [
            "id",
            "community",
            "title",
            "status",
            "claimed_by_volunteer",
            "claimed_by_team",
            "claimed_at",
            "done_at",
            "confirmed_at",
            "rating",
        ]


class _ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self) -> QuerySet[Any]:
        return self.serializer_class.Meta.model.objects.visible_to(self.request.user).order_by("pk")


class VolunteerTeamViewSet(_ScopedReadViewSet):
    serializer_class = VolunteerTeamSerializer
    filterset_fields = ["community", "kind", "is_active"]


class VolunteerViewSet(_ScopedReadViewSet):
    serializer_class = VolunteerSerializer
    filterset_fields = ["sub_district", "member"]


class ServiceActivityViewSet(_ScopedReadViewSet):
    serializer_class = ServiceActivitySerializer
    filterset_fields = ["team", "status", "audience"]


class EnrollmentViewSet(_ScopedReadViewSet):
    serializer_class = EnrollmentSerializer
    filterset_fields = ["activity", "volunteer", "status", "is_no_show"]

    @extend_schema(request=HoursSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def hours(self, request: Request, pk: str | None = None) -> Response:
        """Set honour hours (minutes) with a reason; capped by the activity's length."""
        enrollment = get_object_or_404(
            Enrollment.objects.filter(
                activity__team__in=VolunteerTeam.objects.managed_by(request.user)
            ),
            pk=pk,
        )
        data = HoursSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = correct_honour_hours(
            enrollment=enrollment,
            minutes=data.validated_data["honour_minutes"],
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(EnrollmentSerializer(enrollment).data)


class GoodDeedViewSet(_ScopedReadViewSet):
    """Good deeds in scope; a team's leader or sub-district staff record one (POST) and close
    it with the resident's rating (POST …/close/), through `record_good_deed` and
    `close_good_deed`."""

    serializer_class = GoodDeedSerializer
    filterset_fields = ["team"]

    def get_queryset(self) -> QuerySet[GoodDeed]:
        return super().get_queryset().prefetch_related("volunteers")

    def get_permissions(self) -> list[Any]:
        if self.action in ("create", "close"):
            return [IsAuthenticated()]  # the team (managed_by) decides, as on the leader's page
        return super().get_permissions()

    @extend_schema(request=GoodDeedCreateSerializer, responses={201: GoodDeedSerializer})
    def create(self, request: Request) -> Response:
        data = GoodDeedCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        deed = record_good_deed(actor=request.user, **data.validated_data)
        return Response(GoodDeedSerializer(deed).data, status=201)

    @extend_schema(request=GoodDeedCloseSerializer, responses=GoodDeedSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close with the resident's rating (1 to 5) and comment; once only (409 after)."""
        deed = get_object_or_404(
            GoodDeed.objects.filter(team__in=VolunteerTeam.objects.managed_by(request.user)),
            pk=pk,
        )
        data = GoodDeedCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deed = close_good_deed(deed=deed, actor=request.user, **data.validated_data)
        return Response(GoodDeedSerializer(deed).data)


class WishViewSet(_ScopedReadViewSet):
    serializer_class = WishSerializer
    filterset_fields = ["community", "status"]
