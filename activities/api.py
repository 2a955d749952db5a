"""API of organisational life: meetings (plan, record, sign off) and compliance, scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions, require_perms
from activities import services, talks
from activities.compliance import heat_map
from activities.minutes.verification import Verification, for_verification, verify
from activities.models import (
    AttendanceStatus,
    LectureKind,
    Meeting,
    MeetingKind,
    Talk,
    TalkForm,
    VoteMethod,
)
from branches.models import Organization, OrganizationKind
from members.models import Member


@extend_schema_field(OpenApiTypes.INT)
class VisibleOrganizationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.context["request"].user).active()


class AttendanceSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(allow_blank=True)


class VoteSerializer(serializers.Serializer):
    motion = serializers.CharField()
    method = serializers.ChoiceField(choices=VoteMethod.choices)
    entitled = serializers.IntegerField()
    present_entitled = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    quorum_met = serializers.BooleanField()
    passed = serializers.BooleanField()


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting with its sealed minutes' state: `hash` is the head of the chain of sealed
    versions, `verified` the chain recomputed now (null before sign-off), `broken_link` the
    first link that fails and why."""

    attendances = AttendanceSerializer(many=True, read_only=True)
    votes = VoteSerializer(many=True, read_only=True)
    hash = serializers.SerializerMethodField()
    verified = serializers.SerializerMethodField()
    broken_link = serializers.SerializerMethodField()

    def _verification(self, meeting: Meeting) -> Verification:
        if not hasattr(meeting, "_verification"):
            meeting._verification = verify(meeting)  # type: ignore[attr-defined]
        return meeting._verification  # type: ignore[attr-defined]

    def get_hash(self, meeting: Meeting) -> str:
        return self._verification(meeting).head

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_verified(self, meeting: Meeting) -> bool | None:
        return self._verification(meeting).ok

    def get_broken_link(self, meeting: Meeting) -> str:
        result = self._verification(meeting)
        return f"{result.link}: {result.problem}" if result.ok is False else ""

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "kind",
            "lecture_kind",
            "topic",
            "place",
            "starts_at",
            "ends_at",
            "held_on",
            "status",
            "agenda",
            "main_points",
            "resolutions",
            "quorum_met",
            "version",
            "signed_off_at",
            "hash",
            "verified",
            "broken_link",
            "attendances",
            "votes",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.Serializer):
    organization = VisibleOrganizationField()
    # An election is recorded whole through /api/v1/elections/, never planned bare.
    kind = serializers.ChoiceField(
        choices=[c for c in MeetingKind.choices if c[0] != MeetingKind.ELECTION]
    )
    lecture_kind = serializers.ChoiceField(
        choices=LectureKind.choices, required=False, allow_blank=True, default=""
    )
    topic = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VoteInputSerializer(serializers.Serializer):
    motion = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=VoteMethod.choices)
    yes = serializers.IntegerField(min_value=0)
    no = serializers.IntegerField(min_value=0)
    abstain = serializers.IntegerField(min_value=0)


class RecordSerializer(serializers.Serializer):
    attendance = AttendanceInputSerializer(many=True)
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    main_points = serializers.CharField(required=False, allow_blank=True, default="")
    resolutions = serializers.CharField(required=False, allow_blank=True, default="")
    votes = VoteInputSerializer(many=True, required=False, default=list)
    change_reason = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings of organisations in scope. POST plans one; `record` and `sign-off` act on it."""

    serializer_class = MeetingSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["organization", "kind", "status"]
    search_fields = ["topic"]
    ordering = ["-starts_at"]

    def get_queryset(self) -> QuerySet[Meeting]:
        return for_verification(Meeting.objects.visible_to(self.request.user))

    def get_permissions(self) -> list:
        if self.action == "create":
            return [require_perms("activities.add_meeting")()]
        if self.action in ("record", "sign_off"):
            return [require_perms("activities.change_meeting")()]
        return super().get_permissions()

    def _fresh(self, meeting: Meeting, status_code: int = 200) -> Response:
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data, status_code)

    @extend_schema(request=PlanSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request) -> Response:
        serializer = PlanSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        meeting = services.plan_meeting(actor=request.user, **serializer.validated_data)
        return self._fresh(meeting, 201)

    @extend_schema(request=RecordSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        serializer = RecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = services.record_meeting(
            meeting=self.get_object(),
            record=services.MeetingRecord(
                attendance={a["member"]: (a["status"], a["reason"]) for a in data["attendance"]},
                agenda=data["agenda"],
                main_points=data["main_points"],
                resolutions=data["resolutions"],
                votes=[services.VoteInput(**vote) for vote in data["votes"]],
            ),
            actor=request.user,
            change_reason=data["change_reason"],
        )
        return self._fresh(meeting)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: str | None = None) -> Response:
        meeting = services.sign_off_meeting(meeting=self.get_object(), actor=request.user)
        return self._fresh(meeting)

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def compliance(self, request: Request) -> Response:
        """Per branch and month of a year: requirements met / due, and the branch's rate."""
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year)
        branches = list(
            Organization.objects.visible_to(request.user)
            .active()
            .filter(kind=OrganizationKind.BRANCH)
            .order_by("path")
        )
        rows = heat_map(branches, year, today)
        data: list[dict[str, Any]] = [
            {
                "organization": row.organization.pk,
                "name": row.organization.name,
                "rate": row.rate,
                "months": [
                    {
                        "month": cell.month.label,
                        "state": cell.state,
                        "met": cell.met,
                        "total": cell.total,
                    }
                    for cell in row.cells
                ],
            }
            for row in rows
        ]
        return Response({"year": year, "branches": data})


@extend_schema_field(OpenApiTypes.INT)
class VisibleMemberField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Member]:
        return Member.objects.visible_to(self.context["request"].user)


class TalkSerializer(serializers.ModelSerializer):
    organization = VisibleOrganizationField()
    first = VisibleMemberField()
    second = VisibleMemberField()
    first_name = serializers.CharField(source="first.full_name", read_only=True)
    second_name = serializers.CharField(source="second.full_name", read_only=True)

    class Meta:
        model = Talk
        fields = [
            "id",
            "organization",
            "first",
            "first_name",
            "second",
            "second_name",
            "held_on",
            "form",
            "topic",
        ]


class TalkViewSet(viewsets.ReadOnlyModelViewSet):
    """Heart-to-heart talks of branches in scope; POST records one."""

    serializer_class = TalkSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["organization"]

    def get_queryset(self) -> QuerySet[Talk]:
        return (
            Talk.objects.visible_to(self.request.user)
            .select_related("first", "second")
            .order_by("-held_on", "-pk")
        )

    @extend_schema(request=TalkSerializer, responses={201: TalkSerializer})
    def create(self, request: Request) -> Response:
        serializer = TalkSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        talk = talks.record_talk(
            organization=data["organization"],
            first=data["first"],
            second=data["second"],
            held_on=data["held_on"],
            form=data.get("form", TalkForm.FACE_TO_FACE),
            topic=data["topic"],
            actor=request.user,
        )
        return Response(TalkSerializer(self.get_queryset().get(pk=talk.pk)).data, 201)

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def compliance(self, request: Request) -> Response:
        """Per branch in scope and a year: the required pairs that have not talked and the
        members who have talked with nobody."""
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year)
        branches = list(
            Organization.objects.visible_to(request.user)
            .active()
            .filter(kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH])
            .order_by("path")
        )
        reports = talks.compliance_for(branches, year, today)
        data = [
            {
                "organization": branch.pk,
                "name": branch.name,
                "talks": reports[branch.pk].talks,
                "required_pairs": reports[branch.pk].required_pairs,
                "missing_pairs": [
                    {"kind": pair.kind, "first": pair.first.pk, "second": pair.second.pk}
                    for pair in reports[branch.pk].missing_pairs
                ],
                "silent": [member.pk for member in reports[branch.pk].silent],
            }
            for branch in branches
        ]
        return Response({"year": year, "branches": data})
