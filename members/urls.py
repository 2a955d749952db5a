from django.urls import path

from members.views import staff

staff_urlpatterns = [
    path("members/", staff.MemberListView.as_view(), name="member-list"),
    path("members/new/", staff.MemberCreateView.as_view(), name="member-create"),
    path("members/import/", staff.RosterImportView.as_view(), name="member-import"),
    path(
        "members/import/template.xlsx",
        staff.RosterTemplateView.as_view(),
        name="member-import-template",
    ),
    path("members/export.xlsx", staff.RosterExportView.as_view(), name="member-export"),
    path("members/<int:pk>/", staff.MemberDetailView.as_view(), name="member-detail"),
    path("members/<int:pk>/edit/", staff.MemberUpdateView.as_view(), name="member-update"),
    path("members/<int:pk>/state/", staff.MemberStateView.as_view(), name="member-state"),
    path("members/<int:pk>/reveal/", staff.MemberRevealView.as_view(), name="member-reveal"),
    path("members/<int:pk>/photo/", staff.MemberPhotoView.as_view(), name="member-photo"),
]

from members.views import transfers as transfer_views  # noqa: E402

staff_urlpatterns += [
    path("members/transfers/", transfer_views.TransferListView.as_view(), name="transfer-list"),
    path(
        "members/transfers/inbound/",
        transfer_views.InboundTransferView.as_view(),
        name="transfer-inbound",
    ),
    path(
        "members/transfers/<int:pk>/",
        transfer_views.TransferDetailView.as_view(),
        name="transfer-detail",
    ),
    path(
        "members/transfers/<int:pk>/<slug:action>/",
        transfer_views.TransferDecisionView.as_view(),
        name="transfer-decide",
    ),
    path(
        "members/<int:pk>/transfer/",
        transfer_views.TransferIssueView.as_view(),
        name="transfer-issue",
    ),
]

from members.views import joining as joining_views  # noqa: E402

staff_urlpatterns += [
    path("members/joining/", joining_views.DevelopmentListView.as_view(), name="development-list"),
    path(
        "members/joining/new/",
        joining_views.DevelopmentCreateView.as_view(),
        name="development-create",
    ),
    path(
        "members/joining/<int:pk>/",
        joining_views.DevelopmentDetailView.as_view(),
        name="development-detail",
    ),
]
