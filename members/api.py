"""Member API: scoped like the pages; an ID number can be written but is only ever read masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions, require_perms
from branches.models import Community, Organization, OrganizationKind
from members import importjobs, joining, roster, rules, services, transfers
from members.errors import ImportRejected
from members.models import Development, ImportJob, ImportJobKind, Member, MemberChange, Transfer
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


class RosterImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The filled-in roster template, .xlsx or .csv.")

    def validate_file(self, upload: Any) -> Any:
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise serializers.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
        return upload


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "file_name",
            "rows_checked",
            "created_count",
            "message",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    """Large imports (see `members.importjobs`): each caller sees only the jobs they asked for;
    poll one until its status is `done` or `failed`."""

    serializer_class = ImportJobSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[ImportJob]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ImportJob.objects.none()
        return ImportJob.objects.filter(requested_by=self.request.user)


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

    @extend_schema(
        request={"multipart/form-data": RosterImportSerializer},
        responses={
            201: inline_serializer("RosterImported", {"created": serializers.IntegerField()}),
            202: ImportJobSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        permission_classes=[require_perms("members.import_member", "members.add_member")],
    )
    def import_roster(self, request: Request) -> Response:
        """Import a roster, all or nothing: 201 `{"created": n}`, or 400 `{"detail", "errors"}`
        (by row and column) and nothing written; a large file becomes a job (202, poll
        `/api/v1/import-jobs/<id>/`)."""
        serializer = RosterImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            if importjobs.needs_job(upload, name=upload.name, width=len(roster.COLUMNS)):
                job = importjobs.queue_import(
                    actor=request.user, kind=ImportJobKind.ROSTER, upload=upload, name=upload.name
                )
                return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
            result = roster.import_roster(
                actor=request.user, upload=upload, size=upload.size, name=upload.name
            )
        except ImportRejected as exc:
            return Response(
                {"detail": exc.message, "errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response({"created": result.created}, status=status.HTTP_201_CREATED)

    def get_queryset(self) -> QuerySet[Member]:
        qs = (
            Member.objects.visible_to(self.request.user)
            .select_related("organization")
            .with_standing_on(timezone.localdate())  # `has_voting_rights` reads 留党察看 from it
        )
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


# --- The joining pipeline ----------------------------------------------------------------------


class DevelopmentSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Development
        fields = [
            "id",
            "organization",
            "organization_name",
            "full_name",
            "birth_date",
            "stage",
            "applied_on",
            "talked_on",
            "activist_on",
            "candidate_on",
            "training_completed_on",
            "training_hours",
            "voted_on",
            "approved_on",
            "probation_ends_on",
            "extension_months",
            "confirmed_on",
            "member",
            "sponsors",
            "mentors",
        ]
        read_only_fields = [
            f for f in fields if f not in ("organization", "full_name", "birth_date", "applied_on")
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = Organization.objects.visible_to(
                request.user
            ).filter(kind__in=MEMBER_BRANCH_KINDS)

    def create(self, validated: dict[str, Any]) -> Development:
        return joining.register_applicant(actor=self.context["request"].user, **validated)


class DevelopmentActionSerializer(serializers.Serializer):
    """One step of the pipeline. `action` picks the service; the other fields are its inputs."""

    action = serializers.ChoiceField(
        choices=["step", "talk", "review", "training", "vote", "sponsors", "mentors", "extend"]
    )
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hours = serializers.IntegerField(required=False, min_value=0, max_value=1000)
    months = serializers.IntegerField(required=False)
    members = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Member.objects.all()
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        needs = {
            "step": "on",
            "talk": "on",
            "review": "on",
            "training": "on",
            "vote": "on",
            "sponsors": "members",
            "mentors": "members",
            "extend": "months",
        }
        field = needs[data["action"]]
        if field not in data or (data["action"] == "training" and "hours" not in data):
            missing = field if field not in data else "hours"
            raise serializers.ValidationError({missing: [_required()]})
        return data


def _required() -> str:
    return str(serializers.Field.default_error_messages["required"])


class DevelopmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """People in the joining pipeline. POST records an application; POST `{id}/act/` takes a
    step (400 with the rule's reason when it is too early or out of order)."""

    serializer_class = DevelopmentSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["stage", "organization"]

    def get_queryset(self) -> QuerySet[Development]:
        return (
            Development.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related("sponsors", "mentors")
            .order_by("organization__path", "applied_on", "pk")
        )

    @extend_schema(request=DevelopmentActionSerializer, responses=DevelopmentSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str | None = None) -> Response:
        if not request.user.has_perm("members.change_development"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        development = self.get_object()
        data = DevelopmentActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        kind = values["action"]
        actor = request.user
        if kind == "step":
            index = rules.STAGE_ORDER.index(development.stage)
            target = rules.STAGE_ORDER[min(index + 1, len(rules.STAGE_ORDER) - 1)]
            joining.take_step(actor=actor, development=development, target=target, on=values["on"])
        elif kind == "talk":
            joining.record_talk(actor=actor, development=development, on=values["on"])
        elif kind == "review":
            joining.record_review(
                actor=actor, development=development, on=values["on"], note=values.get("note", "")
            )
        elif kind == "training":
            joining.record_training(
                actor=actor,
                development=development,
                completed_on=values["on"],
                hours=values["hours"],
            )
        elif kind == "vote":
            joining.record_vote(actor=actor, development=development, on=values["on"])
        elif kind == "sponsors":
            joining.set_sponsors(actor=actor, development=development, sponsors=values["members"])
        elif kind == "mentors":
            joining.set_mentors(actor=actor, development=development, mentors=values["members"])
        elif kind == "extend":
            joining.extend_probation(
                actor=actor,
                development=development,
                months=values["months"],
                reason=values.get("note", ""),
            )
        development = self.get_queryset().get(pk=development.pk)
        return Response(DevelopmentSerializer(development, context={"request": request}).data)
