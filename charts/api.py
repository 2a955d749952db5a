"""The charts' API: which charts there are, and one chart's figures for the caller's scope and a
year. It reads the very function the page's JSON reads (`chart_figures_for`: the same figures,
scope and cache), so a rule lives in one place."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from charts.figures import CHARTS, TITLES
from charts.reading import VIEW_PERMISSION, chart_figures_for, chosen_year


class MayViewCharts(permissions.BasePermission):
    """Signed in, with the permission the charts page asks for; the figures are then narrowed
    to the caller's `visible_to` scope."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(VIEW_PERMISSION))


YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    description="The year (default: this one); its figures are read as of its last day, or "
    "today while it runs.",
)


class ChartSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class ChartFiguresSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="bar, line, pie, funnel or heatmap")
    categories = serializers.ListField(child=serializers.CharField())
    y_categories = serializers.ListField(child=serializers.CharField())
    series = serializers.ListField(
        child=inline_serializer(
            "ChartSeries",
            fields={
                "name": serializers.CharField(),
                "data": serializers.ListField(child=serializers.JSONField()),
            },
        )
    )
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    note = serializers.CharField()
    unit = serializers.CharField()


class ChartViewSet(viewsets.ViewSet):
    """The figures behind the workbench's charts, in the caller's scope."""

    permission_classes = [MayViewCharts]
    lookup_field = "key"
    lookup_value_regex = "[a-z-]+"

    @extend_schema(parameters=[YEAR], responses=ChartSummarySerializer(many=True))
    def list(self, request: Request) -> Response:
        year = chosen_year(request).year
        return Response(
            [
                {
                    "key": key,
                    "title": str(TITLES[key]),
                    "url": reverse("chart-detail", args=[key], request=request) + f"?year={year}",
                }
                for key in CHARTS
            ]
        )

    @extend_schema(parameters=[YEAR], responses=ChartFiguresSerializer)
    def retrieve(self, request: Request, key: str) -> Response:
        if key not in CHARTS:
            raise Http404
        return Response(chart_figures_for(request.user, key, chosen_year(request)))
