"""Party sanctions in the API: read by whoever reads the member, recorded by sub-district staff
(`members.add_sanction`) through the same service as the page; scoped like the members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from accounts.api import ScopedModelPermissions
from members.models import Member, Sanction
from members.sanctions.services import record_sanction


class SanctionSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    probation_years = serializers.ChoiceField(
        choices=[1, 2], required=False, allow_null=True, default=None
    )

    class Meta:
        model = Sanction
        fields = [
            "id",
            "member",
            "member_name",
            "kind",
            "started_on",
            "probation_years",
            "ended_on",
            "decided_by",
            "document_number",
            "reason",
            "created_at",
        ]
        read_only_fields = ["ended_on", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["member"].queryset = Member.objects.visible_to(request.user)

    def create(self, validated: dict[str, Any]) -> Sanction:
        return record_sanction(actor=self.context["request"].user, **validated)


class SanctionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Party sanctions of the members in scope. POST records one (staff only); a sanction is
    never changed or deleted afterwards."""

    serializer_class = SanctionSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["member", "kind"]

    def get_queryset(self) -> QuerySet[Sanction]:
        return Sanction.objects.visible_to(self.request.user).select_related("member")
