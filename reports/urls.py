from django.urls import path

from reports import views

staff_urlpatterns = [
    path("reports/", views.ExportListView.as_view(), name="report_list"),
    path("reports/new/", views.ExportRequestView.as_view(), name="report_request"),
    path("reports/<int:pk>/", views.ExportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/status/", views.ExportStatusView.as_view(), name="report_status"),
    path(
        "reports/<int:pk>/regenerate/",
        views.ExportRegenerateView.as_view(),
        name="report_regenerate",
    ),
    path("reports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="report_download"),
]
