from django.urls import path

from branches.views import staff

staff_urlpatterns = [
    path(
        "branches/organizations/",
        staff.OrganizationListView.as_view(),
        name="organization-list",
    ),
    path(
        "branches/organizations/<int:pk>/",
        staff.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
]
