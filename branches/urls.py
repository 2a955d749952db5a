from django.urls import path

from branches.views import actions, staff

staff_urlpatterns = [
    path("branches/organizations/", staff.OrganizationListView.as_view(), name="organization-list"),
    path("branches/tree/", staff.OrganizationTreeView.as_view(), name="organization-tree"),
    path("branches/health/", staff.StructureHealthView.as_view(), name="structure-health"),
    path(
        "branches/organizations/<int:pk>/",
        staff.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(
        "branches/organizations/<int:pk>/found/",
        actions.FoundChildView.as_view(),
        name="organization-found",
    ),
    path(
        "branches/organizations/<int:pk>/rename/",
        actions.RenameView.as_view(),
        name="organization-rename",
    ),
    path(
        "branches/organizations/<int:pk>/kind/",
        actions.ChangeKindView.as_view(),
        name="organization-change-kind",
    ),
    path(
        "branches/organizations/<int:pk>/move/",
        actions.MoveView.as_view(),
        name="organization-move",
    ),
    path(
        "branches/organizations/<int:pk>/merge/",
        actions.MergeView.as_view(),
        name="organization-merge",
    ),
    path(
        "branches/organizations/<int:pk>/split/",
        actions.SplitView.as_view(),
        name="organization-split",
    ),
    path(
        "branches/organizations/<int:pk>/dissolve/",
        actions.DissolveView.as_view(),
        name="organization-dissolve",
    ),
]
