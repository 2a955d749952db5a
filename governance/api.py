"""API of the opinions ledger and community matters, for the phone app and staff clients.

Staff and secretaries read the ledger scoped by `visible_to` and move an opinion through the
same services as the pages (assign, start, reply, close): 403 without the permission, 404 out of
scope, 409 from the wrong state, 400 with the field on a broken rule, nothing written on a
refusal. A resident submits an opinion, follows their own and rates the reply at
`my-opinions/`. An anonymous opinion's author is named only as `author_shown` allows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions
from branches.models import CoBuildingUnit, Community, Grid, Organization
from governance.models import Category, Channel, Matter, MatterStep, Opinion, OpinionEvent
from governance.services import opinions as services
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


class OpinionAssignSerializer(serializers.Serializer):
    """Exactly one owner: a branch, a grid, a co-building unit or a sub-district office."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Grid.objects.all(), required=False, allow_null=True
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=CoBuildingUnit.objects.all(), required=False, allow_null=True
    )
    office = serializers.CharField(max_length=60, required=False, allow_blank=True)


class OpinionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class OpinionReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=2000)


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

    def _target(self, request: Request, pk: str | None) -> Opinion:
        """Permission first (403), then scope (404): the order every staff write follows."""
        if not request.user.has_perm("governance.change_opinion"):
            self.permission_denied(request)
        return get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)

    def _answer(self, request: Request, opinion: Opinion) -> Response:
        opinion = self.get_queryset().get(pk=opinion.pk)
        return Response(OpinionSerializer(opinion, context={"request": request}).data)

    @extend_schema(request=OpinionAssignSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Give a received opinion its owner (409 if it is past "received")."""
        opinion = self._target(request, pk)
        data = OpinionAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        opinion = services.assign_opinion(
            opinion=opinion,
            organization=d.get("organization"),
            grid=d.get("grid"),
            unit=d.get("unit"),
            office=d.get("office", ""),
            actor=request.user,
        )
        return self._answer(request, opinion)

    @extend_schema(request=OpinionNoteSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        """Take an assigned opinion in hand."""
        opinion = self._target(request, pk)
        data = OpinionNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = services.start_opinion(
            opinion=opinion, note=data.validated_data.get("note", ""), actor=request.user
        )
        return self._answer(request, opinion)

    @extend_schema(request=OpinionReplySerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        """Reply to an opinion in progress; the resident (and those merged into it) are told."""
        opinion = self._target(request, pk)
        data = OpinionReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = services.reply_to_opinion(
            opinion=opinion, reply=data.validated_data["reply"], actor=request.user
        )
        return self._answer(request, opinion)

    @extend_schema(request=OpinionNoteSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close a replied opinion collected offline (a resident's own waits for their rating)."""
        opinion = self._target(request, pk)
        data = OpinionNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = services.close_opinion(
            opinion=opinion, note=data.validated_data.get("note", ""), actor=request.user
        )
        return self._answer(request, opinion)


# --- The resident's side ----------------------------------------------------------------------


class OpinionEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpinionEvent
        fields = ["state", "note", "at"]


class MyOpinionSerializer(serializers.ModelSerializer):
    """A resident's own opinion as they follow it: never who handles it inside the office."""

    events = OpinionEventSerializer(many=True, read_only=True)
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    category = serializers.ChoiceField(choices=Category.choices)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "community",
            "category",
            "title",
            "text",
            "place",
            "is_anonymous",
            "received_on",
            "deadline",
            "state",
            "reply",
            "replied_at",
            "rating",
            "rating_comment",
            "merged_into",
            "events",
        ]
        read_only_fields = [
            "received_on",
            "deadline",
            "state",
            "reply",
            "replied_at",
            "rating",
            "rating_comment",
            "merged_into",
        ]


class OpinionRateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MyOpinionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in resident's opinions: submit one (online channel), follow it, rate the
    reply. Another resident's opinion is a 404."""

    serializer_class = MyOpinionSerializer
    queryset = Opinion.objects.none()

    def get_queryset(self) -> QuerySet[Opinion]:
        return (
            Opinion.objects.followed_by(self.request.user)
            .prefetch_related("events")
            .order_by("-received_on", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = MyOpinionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        opinion = services.receive_opinion(
            community=d["community"],
            channel=Channel.ONLINE,
            category=d["category"],
            title=d["title"],
            text=d["text"],
            place=d.get("place", ""),
            is_anonymous=d.get("is_anonymous", False),
            author=request.user,
            actor=request.user,
        )
        return Response(
            MyOpinionSerializer(self.get_queryset().get(pk=opinion.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=OpinionRateSerializer, responses=MyOpinionSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        """Rate the reply 1–5 with a comment; this closes the opinion (409 before a reply)."""
        opinion = get_object_or_404(Opinion.objects.of_author(request.user), pk=pk)
        data = OpinionRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rate_reply(
            opinion=opinion,
            resident=request.user,
            rating=data.validated_data["rating"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(MyOpinionSerializer(self.get_queryset().get(pk=opinion.pk)).data)


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
