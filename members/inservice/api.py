"""API of in-service members in communities: registrations (one or in bulk), needs and claims,
services and their review, feedback letters. Scoped like the pages; every write goes through
`members.inservice.services`; a member is shown by name and masked ID number only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions, require_perms
from branches.models import CoBuildingUnit, Community, Organization
from members.errors import ImportRejected
from members.inservice import services as inservice
from members.models import (
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    FeedbackLetter,
    Member,
    NeedClaim,
)


class _MemberFields(serializers.Serializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    member_id_number = serializers.CharField(source="member.id_number_masked", read_only=True)


class CommunityRegistrationSerializer(_MemberFields, serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = CommunityRegistration
        fields = [
            "id",
            "member",
            "member_name",
            "member_id_number",
            "community",
            "community_name",
            "employer_name",
            "employer_unit",
            "employer_organization",
            "registered_on",
            "skills",
            "preferred_service",
            "ended_on",
            "end_reason",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["ended_on", "end_reason", "created_at"]
        extra_kwargs = {"employer_name": {"required": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["member"].queryset = Member.objects.visible_to(user)
            self.fields["community"].queryset = Community.objects.visible_to(user)
            self.fields["employer_unit"].queryset = CoBuildingUnit.objects.visible_to(user)
            self.fields["employer_organization"].queryset = Organization.objects.visible_to(user)


class BulkRegistrationSerializer(serializers.Serializer):
    members = serializers.PrimaryKeyRelatedField(many=True, queryset=Member.objects.none())
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.none())
    registered_on = serializers.DateField()
    employer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employer_unit = serializers.PrimaryKeyRelatedField(
        queryset=CoBuildingUnit.objects.none(), required=False, allow_null=True
    )
    employer_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["members"].child_relation.queryset = Member.objects.visible_to(user)
            self.fields["community"].queryset = Community.objects.visible_to(user)
            self.fields["employer_unit"].queryset = CoBuildingUnit.objects.visible_to(user)
            self.fields["employer_organization"].queryset = Organization.objects.visible_to(user)


class EndRegistrationSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CommunityRegistrationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CommunityRegistrationSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["community", "employer_organization"]

    def get_queryset(self) -> QuerySet[CommunityRegistration]:
        return (
            CommunityRegistration.objects.visible_to(self.request.user)
            .select_related("member", "community")
            .order_by("community_id", "member__full_name", "pk")
        )

    def perform_create(self, serializer: CommunityRegistrationSerializer) -> None:
        serializer.instance = inservice.register_member(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request=BulkRegistrationSerializer, responses=CommunityRegistrationSerializer(many=True)
    )
    @action(
        detail=False,
        methods=["post"],
        pagination_class=None,
        permission_classes=[require_perms("members.add_communityregistration")],
    )
    def bulk(self, request: Request) -> Response:
        """Register many members of one employer with one community; all or nothing."""
        serializer = BulkRegistrationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            done = inservice.register_members_in_bulk(actor=request.user, **data)
        except ImportRejected as exc:
            return Response(
                {"detail": exc.message, "errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            CommunityRegistrationSerializer(done, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=EndRegistrationSerializer, responses=CommunityRegistrationSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[require_perms("members.change_communityregistration")],
    )
    def end(self, request: Request, pk: str | None = None) -> Response:
        registration = self.get_object()
        serializer = EndRegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ended = inservice.end_registration(
            actor=request.user, registration=registration, **serializer.validated_data
        )
        return Response(CommunityRegistrationSerializer(ended).data)


class CommunityNeedSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = CommunityNeed
        fields = [
            "id",
            "community",
            "community_name",
            "title",
            "description",
            "needed_by",
            "slots",
            "claimed_count",
            "places_left",
            "is_closed",
            "created_at",
        ]
        read_only_fields = ["claimed_count", "is_closed", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["community"].queryset = Community.objects.visible_to(request.user)


class ClaimSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="registration.member.full_name", read_only=True)

    class Meta:
        model = NeedClaim
        fields = ["id", "need", "registration", "member_name", "created_at"]
        read_only_fields = ["need", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["registration"].queryset = CommunityRegistration.objects.visible_to(
                request.user
            )


class CommunityNeedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CommunityNeedSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["community", "is_closed"]

    def get_queryset(self) -> QuerySet[CommunityNeed]:
        return (
            CommunityNeed.objects.visible_to(self.request.user)
            .select_related("community")
            .order_by("needed_by", "pk")
        )

    def perform_create(self, serializer: CommunityNeedSerializer) -> None:
        serializer.instance = inservice.post_need(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=ClaimSerializer, responses={201: ClaimSerializer})
    @action(
        detail=True, methods=["post"], permission_classes=[require_perms("members.add_needclaim")]
    )
    def claim(self, request: Request, pk: str | None = None) -> Response:
        """Take one place of the need for a registered member; 409 when the need is full."""
        need = self.get_object()
        serializer = ClaimSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        claim = inservice.claim_need(
            actor=request.user, need=need, registration=serializer.validated_data["registration"]
        )
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class CommunityServiceSerializer(_MemberFields, serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = CommunityService
        fields = [
            "id",
            "member",
            "member_name",
            "member_id_number",
            "community",
            "community_name",
            "need",
            "served_on",
            "hours",
            "description",
            "status",
            "review_reason",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = ["community", "status", "review_reason", "reviewed_at", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["member"].queryset = Member.objects.filter(
                pk__in=CommunityRegistration.objects.visible_to(user).values("member_id")
            )
            self.fields["need"].queryset = CommunityNeed.objects.visible_to(user)


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CommunityServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CommunityServiceSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["community", "status", "member"]

    def get_queryset(self) -> QuerySet[CommunityService]:
        return (
            CommunityService.objects.visible_to(self.request.user)
            .select_related("member", "community")
            .order_by("-served_on", "-pk")
        )

    def perform_create(self, serializer: CommunityServiceSerializer) -> None:
        serializer.instance = inservice.record_service(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=ReviewSerializer, responses=CommunityServiceSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[require_perms("members.change_communityservice")],
    )
    def review(self, request: Request, pk: str | None = None) -> Response:
        service = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reviewed = inservice.review_service(
            actor=request.user,
            service=service,
            approve=serializer.validated_data["approve"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(CommunityServiceSerializer(reviewed).data)


class FeedbackLetterSerializer(_MemberFields, serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackLetter
        fields = [
            "id",
            "member",
            "member_name",
            "member_id_number",
            "registration",
            "year",
            "quarter",
            "services",
            "hours",
            "met_quota",
            "built_at",
            "download_url",
        ]

    def get_download_url(self, obj: FeedbackLetter) -> str | None:
        return reverse("staff:feedback-letter-download", args=[obj.pk]) if obj.file else None


class FeedbackLetterViewSet(viewsets.ReadOnlyModelViewSet):
    """Letters are built by the quarter-end task; the file downloads through the staff view,
    which checks permission and scope again."""

    serializer_class = FeedbackLetterSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["year", "quarter"]

    def get_queryset(self) -> QuerySet[FeedbackLetter]:
        return (
            FeedbackLetter.objects.visible_to(self.request.user)
            .select_related("member")
            .order_by("-year", "-quarter", "member_id")
        )
