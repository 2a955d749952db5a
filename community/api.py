"""Scoped API of community life: courses (with their fill), enrolments, award campaigns and
nominations. Reads follow `visible_to`; the writes (booking a course's sessions, reviewing a
nomination) go through the same services as the pages, on rows the caller manages (`managed_by`):
another sub-district's row is a 404; a collision is a 409 with the message."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions
from community.models import Campaign, Course, Enrolment, Nomination
from community.services import campaigns, courses


class CourseSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="term.school.name", read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "term",
            "school",
            "title",
            "teacher",
            "weekday",
            "starts_at",
            "ends_at",
            "room",
            "places",
            "enrolled_count",
            "min_age",
            "max_age",
            "residents_only",
            "fee",
            "attendance_threshold",
            "is_active",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = ["id", "course", "status", "is_returning", "queued_at", "created_at"]


class AwardCampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "sub_district",
            "title",
            "kind",
            "nomination_opens_at",
            "nomination_closes_at",
            "public_vote",
            "vote_opens_at",
            "vote_closes_at",
            "vote_limit",
            "result_rule",
            "jury_weight",
            "published_at",
        ]


class NominationSerializer(serializers.ModelSerializer):
    """`jury_average`: the average of the jury members' scores (null until one scores);
    `jury_count`: how many jury members scored."""

    jury_average = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    jury_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "category",
            "nominee_name",
            "member",
            "organization",
            "citation",
            "nominator_label",
            "status",
            "reason",
            "jury_average",
            "jury_count",
            "vote_count",
            "flagged_at",
        ]


class NominationReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class _ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self) -> QuerySet[Any]:
        model = self.serializer_class.Meta.model
        return model.objects.visible_to(self.request.user).order_by("pk")


class CourseViewSet(_ScopedReadViewSet):
    serializer_class = CourseSerializer
    filterset_fields = ["term", "room", "is_active"]

    def get_queryset(self) -> QuerySet[Course]:
        return super().get_queryset().select_related("term__school")

    @extend_schema(
        request=None,
        responses=inline_serializer("ScheduledSessions", {"sessions": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, pk: str | None = None) -> Response:
        """Book the term's sessions in the course's room (all or nothing; 409 on a collision)."""
        if not request.user.has_perm("community.change_course"):
            self.permission_denied(request)
        course = get_object_or_404(Course.objects.managed_by(request.user), pk=pk)
        count = courses.schedule_sessions(course=course, actor=request.user)
        return Response({"sessions": count}, status=201)


class EnrolmentViewSet(_ScopedReadViewSet):
    serializer_class = EnrolmentSerializer
    filterset_fields = ["course", "status"]


class CampaignViewSet(_ScopedReadViewSet):
    serializer_class = AwardCampaignSerializer
    filterset_fields = ["kind", "public_vote"]


class NominationViewSet(_ScopedReadViewSet):
    serializer_class = NominationSerializer
    filterset_fields = ["category", "status"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().with_jury()

    @extend_schema(request=NominationReviewSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Accept a nomination or reject it with a reason."""
        if not request.user.has_perm("community.change_nomination"):
            self.permission_denied(request)
        nomination = get_object_or_404(
            Nomination.objects.filter(
                category__campaign__in=Campaign.objects.managed_by(request.user)
            ),
            pk=pk,
        )
        data = NominationReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        nomination = campaigns.review_nomination(
            nomination=nomination,
            by=request.user,
            accept=data.validated_data["decision"] == "accept",
            reason=data.validated_data.get("reason", ""),
        )
        return Response(
            NominationSerializer(Nomination.objects.with_jury().get(pk=nomination.pk)).data
        )
