"""API of the regional committee's yearly work report: list and read (scoped to the caller's
sub-districts), create or edit the draft, submit it, download it as DOCX.

Writes call regional.services.work_report: a broken rule is a 400 with its field, an edit of a
submitted report a 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedModelPermissions
from regional.exporters.work_report import report_sentences, work_report_docx
from regional.models import RegionalCommittee, WorkReport
from regional.services import work_report as services
from regional.views.joint import DOCX

MAX_NARRATIVE = services.MAX_NARRATIVE


class WorkReportSerializer(serializers.ModelSerializer):
    committee = serializers.PrimaryKeyRelatedField(queryset=RegionalCommittee.objects.all())
    sentences = serializers.SerializerMethodField()
    summary = serializers.CharField(max_length=MAX_NARRATIVE, required=False, allow_blank=True)
    next_year_plan = serializers.CharField(
        max_length=MAX_NARRATIVE, required=False, allow_blank=True
    )
    dated = serializers.DateField(required=False)

    class Meta:
        model = WorkReport
        fields = [
            "id",
            "committee",
            "year",
            "dated",
            "status",
            "summary",
            "next_year_plan",
            "figures",
            "sentences",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = ["status", "figures", "sentences", "submitted_at", "updated_at"]
        # The service decides "one report a committee a year" (a 409 for a race, an update
        # otherwise); the model's unique constraint stays the last word.
        validators: list[Any] = []

    def get_sentences(self, report: WorkReport) -> dict[str, str]:
        return report_sentences(report.figures or {}, report.year)

    def validate_committee(self, committee: RegionalCommittee) -> RegionalCommittee:
        user = self.context["request"].user
        if not RegionalCommittee.objects.visible_to(user).filter(pk=committee.pk).exists():
            raise serializers.ValidationError("Invalid pk - object does not exist.")
        return committee


class WorkReportViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Create saves the draft of (committee, year), creating it on first save; update edits the
    narrative of a draft and reassembles its figures."""

    serializer_class = WorkReportSerializer
    permission_classes = [ScopedModelPermissions]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[WorkReport]:
        return (
            WorkReport.objects.visible_to(self.request.user)
            .select_related("committee")
            .order_by("-year", "pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.save_work_report(
            committee=data["committee"],
            year=data["year"],
            summary=data.get("summary", ""),
            next_year_plan=data.get("next_year_plan", ""),
            dated=data.get("dated"),
            actor=self.request.user,
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        report = serializer.instance
        data = serializer.validated_data
        if data.get("committee", report.committee) != report.committee or (
            data.get("year", report.year) != report.year
        ):
            raise serializers.ValidationError(
                {"year": ["The committee and the year of a report cannot change."]}
            )
        serializer.instance = services.save_work_report(
            committee=report.committee,
            year=report.year,
            summary=data.get("summary", report.summary),
            next_year_plan=data.get("next_year_plan", report.next_year_plan),
            dated=data.get("dated", report.dated),
            actor=self.request.user,
        )

    @extend_schema(request=None, responses=WorkReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit the report; from then on it is frozen (409 on any change)."""
        report = services.submit_work_report(report=self.get_object(), actor=request.user)
        return Response(
            WorkReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_200_OK,
        )

    @extend_schema(
        responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="DOCX")}
    )
    @action(detail=True, methods=["get"])
    def docx(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The printable report (the scope and permission are checked like any read)."""
        report = self.get_object()
        response = HttpResponse(content_type=DOCX)
        work_report_docx(report, response)
        response["Content-Disposition"] = f'attachment; filename="work-report-{report.year}.docx"'
        return response
