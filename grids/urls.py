from django.urls import path

from grids.views import assignments, public, staff

staff_urlpatterns = [
    path("grids/", staff.GridOverviewView.as_view(), name="grid-overview"),
    path("grids/<int:pk>/", assignments.GridDetailView.as_view(), name="grid-detail"),
    path(
        "grids/<int:pk>/roles/new/",
        assignments.GridRoleCreateView.as_view(),
        name="grid-role-create",
    ),
    path("grids/roles/<int:pk>/end/", assignments.GridRoleEndView.as_view(), name="grid-role-end"),
    path(
        "grids/<int:pk>/road-sections/new/",
        assignments.RoadSectionAssignView.as_view(),
        name="grid-road-section-create",
    ),
    path(
        "grids/contacts/<int:pk>/end/",
        assignments.ContactEndView.as_view(),
        name="grid-contact-end",
    ),
    path(
        "grids/households/<int:pk>/pair/",
        assignments.PairingCreateView.as_view(),
        name="grid-household-pair",
    ),
    path(
        "grids/pairings/<int:pk>/end/",
        assignments.PairingEndView.as_view(),
        name="grid-pairing-end",
    ),
    path(
        "grids/households/<int:pk>/care/",
        assignments.CareVisitCreateView.as_view(kind="household"),
        name="grid-household-care",
    ),
    path(
        "grids/care/members/<int:pk>/",
        assignments.CareVisitCreateView.as_view(kind="member"),
        name="grid-member-care",
    ),
    path(
        "grids/care/new/", assignments.CareCampaignCreateView.as_view(), name="grid-campaign-create"
    ),
    path("grids/missing-reports/", staff.MissingReportsView.as_view(), name="grid-missing-reports"),
    path("grids/households/", staff.HouseholdListView.as_view(), name="grid-household-list"),
    path(
        "grids/households/new/", staff.HouseholdCreateView.as_view(), name="grid-household-create"
    ),
    path(
        "grids/households/<int:pk>/contact/",
        staff.ContactAssignView.as_view(),
        name="grid-household-contact",
    ),
    path(
        "grids/households/<int:pk>/",
        staff.HouseholdDetailView.as_view(),
        name="grid-household-detail",
    ),
    path(
        "grids/households/<int:pk>/reveal/",
        staff.HouseholdRevealView.as_view(),
        name="grid-household-reveal",
    ),
    path("grids/care/", staff.CareCampaignListView.as_view(), name="grid-campaign-list"),
    path(
        "grids/care/<int:pk>/",
        staff.CareCampaignDetailView.as_view(),
        name="grid-campaign-detail",
    ),
    path("grids/disputes/", staff.DisputeListView.as_view(), name="grid-dispute-list"),
    path("grids/disputes/new/", staff.DisputeCreateView.as_view(), name="grid-dispute-create"),
    path("grids/disputes/<int:pk>/", staff.DisputeDetailView.as_view(), name="grid-dispute-detail"),
    path(
        "grids/disputes/<int:pk>/<slug:action>/",
        staff.DisputeActionView.as_view(),
        name="grid-dispute-action",
    ),
]

public_urlpatterns = [
    path("grid/", public.GridHomeView.as_view(), name="grid-home"),
    path(
        "grid/households/<int:pk>/visit/",
        public.HouseholdVisitView.as_view(),
        name="grid-household-visit",
    ),
]
