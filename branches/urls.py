from django.urls import path

from branches.views import actions, regional, staff

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
    path(
        "branches/organizations/<int:pk>/terms/new/",
        actions.StartTermView.as_view(),
        name="committee-term-new",
    ),
    path(
        "branches/organizations/<int:pk>/positions/new/",
        actions.AppointPositionView.as_view(),
        name="committee-position-new",
    ),
    path(
        "branches/organizations/<int:pk>/positions/<int:position_pk>/end/",
        actions.EndPositionView.as_view(),
        name="committee-position-end",
    ),
]

# Regional party building: regional committees and co-building units.
staff_urlpatterns += [
    path(
        "branches/regional/",
        regional.RegionalCommitteeListView.as_view(),
        name="regional-committee-list",
    ),
    path(
        "branches/regional/new/",
        regional.RegionalCommitteeCreateView.as_view(),
        name="regional-committee-create",
    ),
    path(
        "branches/regional/<int:pk>/",
        regional.RegionalCommitteeDetailView.as_view(),
        name="regional-committee-detail",
    ),
    path(
        "branches/regional/<int:pk>/admit/",
        regional.AdmitUnitView.as_view(),
        name="regional-admit-unit",
    ),
    path(
        "branches/regional/memberships/<int:pk>/leave/",
        regional.RemoveUnitView.as_view(),
        name="regional-remove-unit",
    ),
    path(
        "branches/regional/<int:pk>/part-time-members/new/",
        regional.AppointPartTimeMemberView.as_view(),
        name="regional-appoint-part-time-member",
    ),
    path(
        "branches/regional/part-time-members/<int:pk>/end/",
        regional.EndPartTimeMemberView.as_view(),
        name="regional-end-part-time-member",
    ),
    path("branches/units/", regional.UnitListView.as_view(), name="unit-list"),
    path("branches/units/new/", regional.UnitCreateView.as_view(), name="unit-create"),
    path("branches/units/<int:pk>/", regional.UnitDetailView.as_view(), name="unit-detail"),
    path("branches/units/<int:pk>/edit/", regional.UnitUpdateView.as_view(), name="unit-update"),
    path(
        "branches/units/<int:pk>/visits/new/",
        regional.RecordVisitView.as_view(),
        name="unit-record-visit",
    ),
    path(
        "branches/units/visits/<int:pk>/follow-up/",
        regional.CompleteFollowUpView.as_view(),
        name="unit-complete-follow-up",
    ),
    path(
        "branches/units/<int:pk>/pairings/new/",
        regional.PairUnitView.as_view(),
        name="unit-pair",
    ),
    path(
        "branches/units/pairings/<int:pk>/end/",
        regional.EndPairingView.as_view(),
        name="unit-end-pairing",
    ),
]
