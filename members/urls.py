from django.urls import path

from members.binding import views as binding
from members.views import staff

staff_urlpatterns = [
    path("members/", staff.MemberListView.as_view(), name="member-list"),
    path("members/new/", staff.MemberCreateView.as_view(), name="member-create"),
    path("members/import/", staff.RosterImportView.as_view(), name="member-import"),
    path(
        "members/import/jobs/<int:pk>/",
        staff.ImportJobView.as_view(),
        name="member-import-job",
    ),
    path(
        "members/import/template.xlsx",
        staff.RosterTemplateView.as_view(),
        name="member-import-template",
    ),
    path("members/export.xlsx", staff.RosterExportView.as_view(), name="member-export"),
    path(
        "members/export.csv",
        staff.RosterExportView.as_view(format="csv"),
        name="member-export-csv",
    ),
    path("members/accounts/", binding.BindingListView.as_view(), name="binding-list"),
    path(
        "members/accounts/<int:pk>/<str:action>/",
        binding.BindingActionView.as_view(),
        name="binding-action",
    ),
    path(
        "members/corrections/<int:pk>/<str:action>/",
        binding.CorrectionActionView.as_view(),
        name="correction-action",
    ),
    path("members/<int:pk>/invite/", binding.InviteMemberView.as_view(), name="member-invite"),
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

from members.inservice import views as inservice_views  # noqa: E402

staff_urlpatterns += [
    path(
        "members/in-service/",
        inservice_views.RegistrationListView.as_view(),
        name="registration-list",
    ),
    path(
        "members/in-service/new/",
        inservice_views.RegistrationCreateView.as_view(),
        name="registration-create",
    ),
    path(
        "members/in-service/bulk/",
        inservice_views.RegistrationBulkView.as_view(),
        name="registration-bulk",
    ),
    path(
        "members/in-service/bulk/template.xlsx",
        inservice_views.RegistrationTemplateView.as_view(),
        name="registration-template",
    ),
    path(
        "members/in-service/<int:pk>/end/",
        inservice_views.RegistrationEndView.as_view(),
        name="registration-end",
    ),
    path(
        "members/in-service/needs/",
        inservice_views.NeedListView.as_view(),
        name="community-need-list",
    ),
    path(
        "members/in-service/needs/new/",
        inservice_views.NeedCreateView.as_view(),
        name="community-need-create",
    ),
    path(
        "members/in-service/needs/<int:pk>/",
        inservice_views.NeedDetailView.as_view(),
        name="community-need-detail",
    ),
    path(
        "members/in-service/services/",
        inservice_views.ServiceListView.as_view(),
        name="community-service-list",
    ),
    path(
        "members/in-service/services/new/",
        inservice_views.ServiceCreateView.as_view(),
        name="community-service-create",
    ),
    path(
        "members/in-service/services/<int:pk>/review/",
        inservice_views.ServiceReviewView.as_view(),
        name="community-service-review",
    ),
    path(
        "members/in-service/services/<int:pk>/photo/",
        inservice_views.ServicePhotoView.as_view(),
        name="community-service-photo",
    ),
    path(
        "members/in-service/behind/",
        inservice_views.BehindListView.as_view(),
        name="registration-behind",
    ),
    path(
        "members/in-service/letters/",
        inservice_views.LetterListView.as_view(),
        name="feedback-letter-list",
    ),
    path(
        "members/in-service/letters/build/",
        inservice_views.LetterBuildView.as_view(),
        name="feedback-letter-build",
    ),
    path(
        "members/in-service/letters/<int:pk>/download/",
        inservice_views.LetterDownloadView.as_view(),
        name="feedback-letter-download",
    ),
]

from members.sanctions import views as sanction_views  # noqa: E402

staff_urlpatterns += [
    path(
        "members/<int:pk>/sanctions/new/",
        sanction_views.SanctionCreateView.as_view(),
        name="sanction-create",
    ),
]
