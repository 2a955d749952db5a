"""Member API: scoped like the pages; an ID number can be written but is only ever read masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions
from branches.models import Community, Organization, OrganizationKind
from members import rules, services, transfers
from members.models import Member, MemberChange, Transfer
from members.roster import MEMBER_BRANCH_KINDS

READ_FIELDS = [
    "id",
    "full_name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_masked",
    "is_demo_id",
    "phone_masked",
    "education",
    "occupation",
    "work_unit",
    "address",
    "community",
    "organization",
    "organization_name",
    "party_group",
    "status",
    "category",
    "joined_on",
    "confirmed_on",
    "state",
    "state_changed_on",
    "in_hardship",
    "out_of_contact_since",
    "has_voting_rights",
    "created_at",
    "updated_at",
]


class MemberSerializer(serializers.ModelSerializer):
    """Reading never exposes the ID number beyond its mask, nor the phone beyond its mask in
    lists; `id_number` is write-only."""

    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    phone_masked = serializers.CharField(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    has_voting_rights = serializers.BooleanField(read_only=True)

    class Meta:
        model = Member
        fields = [*READ_FIELDS, "id_number", "phone", "note"]
        read_only_fields = [
            "id_number_masked",
            "is_demo_id",
            "state",
            "state_changed_on",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"phone": {"write_only": True}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "organization" in self.fields:
            user = request.user
            visible = Organization.objects.visible_to(user)
            self.fields["organization"].queryset = visible.filter(kind__in=MEMBER_BRANCH_KINDS)
            self.fields["party_group"].queryset = visible.filter(kind=OrganizationKind.PARTY_GROUP)
            self.fields["community"].queryset = Community.objects.visible_to(user)
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            self.fields["organization"].read_only = True

    def validate_id_number(self, value: str) -> str:
        if not value:
            return ""
        try:
            return rules.validate_id_number(value)
        except rules.InvalidIdNumber as exc:
            raise serializers.ValidationError(str(exc)) from None

    def create(self, validated: dict[str, Any]) -> Member:
        id_number = validated.pop("id_number", "")
        if not id_number:
            raise serializers.ValidationError(
                {"id_number": [serializers.CharField.default_error_messages["required"]]}
            )
        return services.create_member(
            actor=self.context["request"].user, fields=validated, id_number=id_number
        )

    def update(self, instance: Member, validated: dict[str, Any]) -> Member:
        id_number = validated.pop("id_number", "") or None
        validated.pop("organization", None)
        return services.update_member(
            member=instance,
            actor=self.context["request"].user,
            fields=validated,
            id_number=id_number,
        )


class MemberDetailSerializer(MemberSerializer):
    """One record: the phone in full (the ID number stays masked)."""

    class Meta(MemberSerializer.Meta):
        extra_kwargs: dict[str, Any] = {}


class MemberChangeSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = MemberChange
        fields = ["id", "action", "summary", "changes", "actor", "created_at"]


class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Members in the caller's scope. `?q=` searches name, ID suffix (last 4) and phone suffix.
    Records are never deleted through the API: a member leaves the roll through a state change."""

    permission_classes = [ScopedModelPermissions]
    filterset_fields = [
        "status",
        "category",
        "organization",
        "state",
        "in_hardship",
        "community",
    ]
    ordering_fields = ["full_name", "joined_on", "created_at"]
    ordering = ["organization__path", "full_name", "id"]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MemberSerializer if self.action == "list" else MemberDetailSerializer

    def get_queryset(self) -> QuerySet[Member]:
        qs = Member.objects.visible_to(self.request.user).select_related("organization")
        request: Request = self.request
        text = request.query_params.get("q", "") if hasattr(request, "query_params") else ""
        if text:
            qs = qs.search(text[:50])
        return qs


class TransferSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "number",
            "member",
            "member_name",
            "kind",
            "from_organization",
            "to_organization",
            "external_organization",
            "issued_on",
            "valid_until",
            "state",
            "reason",
            "decision_note",
            "decided_at",
        ]
        read_only_fields = [
            "number",
            "from_organization",
            "valid_until",
            "state",
            "decision_note",
            "decided_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["member"].queryset = Member.objects.visible_to(request.user)
            self.fields["to_organization"].queryset = Organization.objects.filter(
                kind__in=MEMBER_BRANCH_KINDS
            )

    def create(self, validated: dict[str, Any]) -> Transfer:
        return transfers.issue_transfer(
            actor=self.context["request"].user,
            member=validated["member"],
            kind=validated["kind"],
            issued_on=validated["issued_on"],
            to_organization=validated.get("to_organization"),
            external_organization=validated.get("external_organization", ""),
            reason=validated.get("reason", ""),
        )


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TransferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Transfers visible to either end. POST issues a letter; accept / reject / revoke are
    actions (409 when someone else already decided it)."""

    serializer_class = TransferSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["state", "kind", "member"]

    def get_queryset(self) -> QuerySet[Transfer]:
        return Transfer.objects.visible_to(self.request.user).select_related("member")

    def _decide(self, request: Request, func: Any) -> Response:
        if not request.user.has_perm("members.change_transfer"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = func(
            actor=request.user, transfer=self.get_object(), note=data.validated_data.get("note", "")
        )
        return Response(TransferSerializer(transfer, context={"request": request}).data)

    @extend_schema(request=DecisionSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, transfers.accept_transfer)

    @extend_schema(request=DecisionSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, transfers.reject_transfer)

    @extend_schema(request=DecisionSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, transfers.revoke_transfer)
