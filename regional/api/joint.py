"""API of regional committees at work: joint meetings (liaisons submit topics), the three lists
with two-way claiming, projects confirmed done by their community, action items, evaluations.

Reads are scoped through `visible_to`; writes call regional.services.joint, so a broken rule is a
400 with its field and a lost claim race a 409 (accounts.api.exception_handler).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions
from branches.models import CoBuildingUnit, Community
from regional.models import (
    ActionItem,
    ActionStatus,
    JointMeeting,
    Need,
    ProgressNote,
    Project,
    RegionalCommittee,
    Resource,
    UnitEvaluation,
)
from regional.services import joint as services
from regional.views.joint import my_communities, my_units


class HasPerm(permissions.BasePermission):
    """The caller holds one named permission (for the POST actions below)."""

    def __init__(self, perm: str) -> None:
        self.perm = perm

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm(self.perm))


class _ActionPermsMixin:
    action_perms: dict[str, str] = {}

    def get_permissions(self) -> list[Any]:
        perm = self.action_perms.get(self.action)  # type: ignore[attr-defined]
        if perm:
            return [permissions.IsAuthenticated(), HasPerm(perm)]
        return [ScopedModelPermissions()]


class JointMeetingSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)

    class Meta:
        model = JointMeeting
        fields = [
            "id",
            "committee",
            "committee_name",
            "scheduled_on",
            "year",
            "quarter",
            "place",
            "topic",
            "status",
            "minutes",
        ]


class TopicInSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=CoBuildingUnit.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, default="")

    def validate_unit(self, unit: CoBuildingUnit) -> CoBuildingUnit:
        if not my_units(self.context["request"].user).filter(pk=unit.pk).exists():
            raise serializers.ValidationError("Invalid pk - object does not exist.")
        return unit


class JointMeetingViewSet(_ActionPermsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = JointMeetingSerializer
    action_perms = {"topics": "regional.add_topicsubmission"}

    def get_queryset(self) -> QuerySet[JointMeeting]:
        return (
            JointMeeting.objects.visible_to(self.request.user)
            .select_related("committee")
            .order_by("-scheduled_on", "-pk")
        )

    @action(detail=True, methods=["post"])
    def topics(self, request: Request, pk: str | None = None) -> Response:
        """Submit a topic for the meeting, for one of the caller's units."""
        meeting = self.get_object()
        data = TopicInSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        topic = services.submit_topic(meeting=meeting, actor=request.user, **data.validated_data)
        return Response({"id": topic.pk, "title": topic.title}, status=status.HTTP_201_CREATED)


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = [
            "id",
            "committee",
            "community",
            "source",
            "title",
            "place",
            "wanted_by",
            "scale",
            "description",
            "status",
            "claimed_by",
            "claimed_at",
        ]
        read_only_fields = ["status", "claimed_by", "claimed_at"]

    def validate_community(self, community: Community) -> Community:
        if not my_communities(self.context["request"].user).filter(pk=community.pk).exists():
            raise serializers.ValidationError("Invalid pk - object does not exist.")
        return community

    def validate_committee(self, committee: RegionalCommittee) -> RegionalCommittee:
        user = self.context["request"].user
        if not RegionalCommittee.objects.visible_to(user).filter(pk=committee.pk).exists():
            raise serializers.ValidationError("Invalid pk - object does not exist.")
        return committee


class ClaimSerializer(serializers.Serializer):
    claimer = serializers.IntegerField()
    deadline = serializers.DateField()


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = [
            "id",
            "committee",
            "title",
            "need",
            "resource",
            "unit",
            "community",
            "deadline",
            "status",
            "confirmed_done_at",
            "released_need",
            "released_resource",
            "released_at",
            "release_reason",
        ]
        read_only_fields = fields


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class NeedViewSet(
    _ActionPermsMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = NeedSerializer
    action_perms = {"claim": "regional.add_project", "release": "regional.add_project"}

    def get_queryset(self) -> QuerySet[Need]:
        return Need.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.add_need(
            actor=self.request.user, **serializer.validated_data
        )

    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        """A unit claims the need (`claimer` is the unit's id); 409 if someone was faster."""
        need = self.get_object()
        data = ClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = my_units(request.user).filter(pk=data.validated_data["claimer"]).first()
        if unit is None:
            raise serializers.ValidationError({"claimer": ["Invalid pk - object does not exist."]})
        project = services.claim_need(
            need=need, unit=unit, deadline=data.validated_data["deadline"], actor=request.user
        )
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReleaseSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """The claiming unit (its liaison, or staff) gives the need back with a reason; it is
        open for claiming again. 403 for anyone else; 409 if the claim is no longer in
        progress."""
        need = self.get_object()
        data = ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if need.claimed_by_id is None or not (
            my_units(request.user).filter(pk=need.claimed_by_id).exists()
        ):
            self.permission_denied(request)
        project = services.release_need(
            need=need,
            unit=need.claimed_by,
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(ProjectSerializer(project).data)


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = [
            "id",
            "committee",
            "unit",
            "kind",
            "title",
            "description",
            "status",
            "claimed_by",
            "claimed_at",
        ]
        read_only_fields = fields


class ResourceViewSet(_ActionPermsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResourceSerializer
    action_perms = {"claim": "regional.add_project", "release": "regional.add_project"}

    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        """A community claims the resource (`claimer` is the community's id)."""
        resource = self.get_object()
        data = ClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        community = my_communities(request.user).filter(pk=data.validated_data["claimer"]).first()
        if community is None:
            raise serializers.ValidationError({"claimer": ["Invalid pk - object does not exist."]})
        project = services.claim_resource(
            resource=resource,
            community=community,
            deadline=data.validated_data["deadline"],
            actor=request.user,
        )
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReleaseSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """The claiming community (its secretary, or staff) gives the resource back."""
        resource = self.get_object()
        data = ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if resource.claimed_by_id is None or not (
            my_communities(request.user).filter(pk=resource.claimed_by_id).exists()
        ):
            self.permission_denied(request)
        project = services.release_resource(
            resource=resource,
            community=resource.claimed_by,
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(ProjectSerializer(project).data)


class ProjectViewSet(_ActionPermsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    action_perms = {"confirm": "regional.change_need"}

    def get_queryset(self) -> QuerySet[Project]:
        return Project.objects.visible_to(self.request.user).order_by("deadline", "pk")

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The community confirms the project done; it closes with its list item."""
        project = self.get_object()
        if not my_communities(request.user).filter(pk=project.community_id).exists():
            self.permission_denied(request)
        project = services.confirm_project_done(project=project, actor=request.user)
        return Response(ProjectSerializer(project).data)


class ActionItemSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="resolution.meeting_id", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "title",
            "owner_unit",
            "owner_community",
            "deadline",
            "status",
            "done_on",
        ]
        read_only_fields = fields


class ProgressInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    done = serializers.BooleanField(required=False, default=False)


class ProgressNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressNote
        fields = ["id", "action_item", "text", "created_at"]
        read_only_fields = fields


class ActionItemViewSet(_ActionPermsMixin, viewsets.ReadOnlyModelViewSet):
    """Action items in the caller's scope; `?status=open|in_progress|done|overdue` and
    `?owner=community|unit` narrow the list."""

    serializer_class = ActionItemSerializer
    action_perms = {"progress": "regional.change_actionitem"}

    def get_queryset(self) -> QuerySet[ActionItem]:
        qs = ActionItem.objects.visible_to(self.request.user).select_related("resolution")
        chosen = self.request.query_params.get("status", "")
        if chosen == "overdue":
            qs = qs.exclude(status=ActionStatus.DONE).filter(deadline__lt=timezone.localdate())
        elif chosen in ActionStatus.values:
            qs = qs.filter(status=chosen)
        owner = self.request.query_params.get("owner", "")
        if owner == "community":
            qs = qs.filter(owner_community__isnull=False)
        elif owner == "unit":
            qs = qs.filter(owner_unit__isnull=False)
        return qs.order_by("deadline", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=["open", "in_progress", "done", "overdue"], required=False
            ),
            OpenApiParameter("owner", str, enum=["community", "unit"], required=False),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ProgressInSerializer, responses=ProgressNoteSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Add a progress note; `done: true` closes the item."""
        item = self.get_object()
        data = ProgressInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_action_progress(item=item, actor=request.user, **data.validated_data)
        return Response(ProgressNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class UnitEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitEvaluation
        fields = [
            "id",
            "committee",
            "unit",
            "year",
            "meetings_expected",
            "meetings_attended",
            "topics_submitted",
            "claims_taken",
            "claims_completed",
            "score",
            "commended",
            "failed_duties",
        ]
        read_only_fields = fields


class UnitEvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitEvaluationSerializer
    permission_classes = [ScopedModelPermissions]

    def get_queryset(self) -> QuerySet[UnitEvaluation]:
        return UnitEvaluation.objects.visible_to(self.request.user).order_by("-year", "pk")
