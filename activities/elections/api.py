"""`/api/v1/elections/`: the elections in scope (read), and POST to record one through the same
service as the page (`record_election`). A broken rule is a 400 naming the field."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions, require_perms
from activities.api import AttendanceInputSerializer
from activities.elections import services
from activities.elections.models import Election, ElectionCandidate
from branches.api.organizations import VisibleOrganizationField


class CandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ElectionCandidate
        fields = ["member", "member_name", "votes", "elected", "position"]
        read_only_fields = fields


class ElectionSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="meeting.organization_id", read_only=True)
    held_on = serializers.DateField(source="meeting.held_on", read_only=True)
    term_started_on = serializers.DateField(source="term.started_on", read_only=True)
    term_planned_end_on = serializers.DateField(source="term.planned_end_on", read_only=True)
    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "organization",
            "meeting",
            "held_on",
            "term",
            "term_started_on",
            "term_planned_end_on",
            "seats",
            "entitled",
            "present",
            "ballots_cast",
            "ballots_valid",
            "ballots_invalid",
            "first_meeting_on",
            "approved_by",
            "approved_on",
            "approval_reference",
            "candidates",
        ]
        read_only_fields = fields


class CandidateInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    votes = serializers.IntegerField(min_value=0, max_value=100000)


class RecordElectionSerializer(serializers.Serializer):
    organization = VisibleOrganizationField()
    held_at = serializers.DateTimeField()
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    attendance = AttendanceInputSerializer(many=True)
    seats = serializers.IntegerField(min_value=1, max_value=50)
    candidates = CandidateInputSerializer(many=True)
    ballots_cast = serializers.IntegerField(min_value=0, max_value=100000)
    ballots_valid = serializers.IntegerField(min_value=0, max_value=100000)
    ballots_invalid = serializers.IntegerField(min_value=0, max_value=100000)
    secretary = serializers.IntegerField(min_value=1)
    deputy = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    first_meeting_on = serializers.DateField()
    approved_by = serializers.CharField(max_length=100)
    approved_on = serializers.DateField()
    approval_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )

    def validate_candidates(self, value: list[dict]) -> list[dict]:
        members = [c["member"] for c in value]
        if len(set(members)) != len(members):
            raise serializers.ValidationError(_("Name each candidate once."))
        return value


class ElectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Elections (换届选举) of organisations in scope; POST records an approved one."""

    serializer_class = ElectionSerializer
    permission_classes = [ScopedModelPermissions]
    ordering = ["-approved_on", "-pk"]

    def get_queryset(self) -> QuerySet[Election]:
        return (
            Election.objects.visible_to(self.request.user)
            .select_related("meeting", "term")
            .prefetch_related("candidates")
        )

    def get_permissions(self) -> list:
        if self.action == "create":
            return [require_perms("activities.add_election", "activities.add_meeting")()]
        return super().get_permissions()

    @extend_schema(request=RecordElectionSerializer, responses={201: ElectionSerializer})
    def create(self, request: Request) -> Response:
        serializer = RecordElectionSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        election = services.record_election(
            organization=data["organization"],
            data=services.ElectionInput(
                held_at=data["held_at"],
                topic=data["topic"],
                place=data["place"],
                attendance={a["member"]: (a["status"], a["reason"]) for a in data["attendance"]},
                seats=data["seats"],
                candidates={c["member"]: c["votes"] for c in data["candidates"]},
                ballots_cast=data["ballots_cast"],
                ballots_valid=data["ballots_valid"],
                ballots_invalid=data["ballots_invalid"],
                secretary=data["secretary"],
                deputy=data["deputy"],
                first_meeting_on=data["first_meeting_on"],
                approved_by=data["approved_by"],
                approved_on=data["approved_on"],
                approval_reference=data["approval_reference"],
            ),
            actor=request.user,
        )
        return Response(ElectionSerializer(self.get_queryset().get(pk=election.pk)).data, 201)
