from django.urls import path

from charts.exports import views as exports
from charts.views import public, staff

staff_urlpatterns = [
    path("charts/", staff.ChartsView.as_view(), name="charts"),
    path("charts/screens/", staff.ScreenListView.as_view(), name="chart-screens"),
    path(
        "charts/screens/<int:pk>/revoke/",
        staff.ScreenRevokeView.as_view(),
        name="chart-screen-revoke",
    ),
    path("charts/exports/", exports.TemplateListView.as_view(), name="export-template-list"),
    path(
        "charts/exports/<int:pk>/",
        exports.TemplateMapView.as_view(),
        name="export-template-map",
    ),
    path(
        "charts/exports/<int:pk>/export.xlsx",
        exports.TemplateExportView.as_view(),
        name="export-template-export",
    ),
    path("charts/<slug:key>.json", staff.ChartDataView.as_view(), name="chart-data"),
    path("charts/<slug:key>.xlsx", staff.ChartXlsxView.as_view(), name="chart-xlsx"),
]

public_urlpatterns = [
    path("screen/<str:token>/", public.screen_page, name="charts-screen"),
    path("screen/<str:token>/data.json", public.screen_data, name="charts-screen-data"),
]
