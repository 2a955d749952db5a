"""The dues API: `/api/v1/dues-bills/` and `/api/v1/dues-payments/` (read, scoped like the
pages: a secretary reads their branch's bills, staff their sub-district's). The base is not
exposed: it is personal data kept to the member's pages. Payments are recorded on the register
page (one service) and the numbers read here."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from accounts.api import ScopedModelPermissions
from dues.models import DuesBill, DuesPayment


class DuesBillSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = DuesBill
        fields = [
            "id",
            "member",
            "member_name",
            "organization",
            "month",
            "amount_due",
            "reference",
            "paid_on",
        ]


class DuesPaymentSerializer(serializers.ModelSerializer):
    receipt_number = serializers.CharField(source="receipt.number", read_only=True)

    class Meta:
        model = DuesPayment
        fields = [
            "id",
            "member",
            "organization",
            "bill",
            "kind",
            "method",
            "amount",
            "paid_on",
            "reference",
            "receipt_number",
        ]


class DuesBillViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly dues bills of branches in scope; filter by branch, member, month."""

    serializer_class = DuesBillSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["organization", "member", "month"]

    def get_queryset(self) -> QuerySet[DuesBill]:
        return (
            DuesBill.objects.visible_to(self.request.user)
            .select_related("member")
            .order_by("-month", "pk")
        )


class DuesPaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Dues received by branches in scope."""

    serializer_class = DuesPaymentSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["organization", "member", "kind"]

    def get_queryset(self) -> QuerySet[DuesPayment]:
        return (
            DuesPayment.objects.visible_to(self.request.user)
            .select_related("receipt")
            .order_by("-paid_on", "-pk")
        )
