"""API of the report pack: ask for an export, follow it, download it. Scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.api import ScopedModelPermissions
from branches.models import Organization, SubDistrict
from regional.models import RegionalCommittee
from reports import services
from reports.models import ExportFormat, ExportJob, JobStatus


@extend_schema_field(OpenApiTypes.INT)
class VisibleField(serializers.PrimaryKeyRelatedField):
    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.context["request"].user)


class ExportJobSerializer(serializers.ModelSerializer):
    sub_district = VisibleField(SubDistrict)
    organization = VisibleField(Organization, required=False, allow_null=True)
    committee = VisibleField(RegionalCommittee, required=False, allow_null=True)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    format = serializers.ChoiceField(
        choices=ExportFormat.choices,
        required=False,
        default=ExportFormat.PACK,
        help_text="pack (XLSX, DOCX and CSV in one ZIP, the default), xlsx, docx or csv.",
    )
    new_version = serializers.BooleanField(write_only=True, required=False, default=False)
    scope = serializers.CharField(source="scope_label", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "sub_district",
            "organization",
            "committee",
            "scope",
            "year",
            "quarter",
            "format",
            "new_version",
            "version",
            "status",
            "progress",
            "file_size",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = [
            "version",
            "status",
            "progress",
            "file_size",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return reverse("exportjob-file", args=[job.pk], request=self.context["request"])


class ExportJobViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Report exports. POST asks for one (the existing report is returned, 200, unless
    `new_version`); poll the job until `status` is `done`, then GET its `file`. Without a
    `format` the whole pack is built as one job: a ZIP of the XLSX, the DOCX and the CSV files."""

    serializer_class = ExportJobSerializer
    permission_classes = [ScopedModelPermissions]
    filterset_fields = ["status", "year", "quarter", "format", "sub_district"]

    def get_queryset(self) -> QuerySet[ExportJob]:
        return (
            ExportJob.objects.visible_to(self.request.user)
            .select_related("sub_district", "organization", "committee")
            .defer("figures")
            .order_by("-created_at", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job, created = services.request_export(
            sub_district=data["sub_district"],
            organization=data.get("organization"),
            committee=data.get("committee"),
            year=data["year"],
            number=data["quarter"],
            format=data["format"],
            new_version=data.get("new_version", False),
            actor=request.user,
        )
        return Response(
            self.get_serializer(job).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> FileResponse:
        job = self.get_object()
        if job.status != JobStatus.DONE or not job.file:
            raise Http404(_("This report has no file to download."))
        services.record_download(job, request.user)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
