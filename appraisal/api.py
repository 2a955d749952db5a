"""The API of the democratic appraisal: `/api/v1/appraisal-campaigns/`, read-only and scoped.
Each campaign carries its turnout (never who voted what) and its participants' grades."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from rest_framework import serializers, viewsets

from accounts.api import ScopedModelPermissions
from appraisal.models import Campaign, Participant


class ParticipantSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "member",
            "member_name",
            "is_graded",
            "can_vote",
            "proposed_grade",
            "final_grade",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    voters_entitled = serializers.IntegerField(read_only=True)
    voted_online = serializers.IntegerField(read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "organization",
            "year",
            "opens_on",
            "closes_on",
            "paper_ballots",
            "voters_entitled",
            "voted_online",
            "proposed_on",
            "decided_on",
            "participants",
        ]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Appraisal campaigns of branches in scope, with turnout and grades."""

    serializer_class = CampaignSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["organization", "year"]

    def get_queryset(self) -> QuerySet[Campaign]:
        return (
            Campaign.objects.visible_to(self.request.user)
            .annotate(
                voters_entitled=Count(
                    "participants", filter=Q(participants__can_vote=True), distinct=True
                ),
                voted_online=Count("turnout", distinct=True),
            )
            .prefetch_related(
                Prefetch(
                    "participants",
                    queryset=Participant.objects.select_related("member").order_by(
                        "member__full_name"
                    ),
                )
            )
            .order_by("-year", "organization_id")
        )
