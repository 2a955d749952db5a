from django.urls import path

from regional.views import committees as regional
from regional.views import joint, work_report

# Paths keep their /staff/branches/... prefix and names, so bookmarks and links still work.
# Regional party building: regional committees and co-building units.
staff_urlpatterns = [
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
    path("branches/joint/meetings/", joint.MeetingListView.as_view(), name="joint-meeting-list"),
    path(
        "branches/joint/meetings/new/",
        joint.MeetingCreateView.as_view(),
        name="joint-meeting-create",
    ),
    path(
        "branches/joint/meetings/<int:pk>/",
        joint.MeetingDetailView.as_view(),
        name="joint-meeting-detail",
    ),
    path(
        "branches/joint/meetings/<int:pk>/topics/new/",
        joint.TopicSubmitView.as_view(),
        name="joint-topic-submit",
    ),
    path(
        "branches/joint/meetings/<int:pk>/attendance/",
        joint.AttendanceView.as_view(),
        name="joint-meeting-attendance",
    ),
    path(
        "branches/joint/meetings/<int:pk>/hold/",
        joint.HoldView.as_view(),
        name="joint-meeting-hold",
    ),
    path(
        "branches/joint/meetings/<int:pk>/resolutions/new/",
        joint.ResolutionView.as_view(),
        name="joint-resolution-add",
    ),
    path(
        "branches/joint/meetings/<int:pk>/agenda/",
        joint.BuildAgendaView.as_view(),
        name="joint-agenda-build",
    ),
    path(
        "branches/joint/meetings/<int:pk>/publish/",
        joint.PublishListsView.as_view(),
        name="joint-lists-publish",
    ),
    path(
        "branches/joint/meetings/<int:pk>/lists.xlsx",
        joint.ListsExportView.as_view(),
        name="joint-lists-export",
    ),
    path(
        "branches/joint/action-items/", joint.ActionItemListView.as_view(), name="joint-action-list"
    ),
    path(
        "branches/joint/action-items/<int:pk>/",
        joint.ActionProgressView.as_view(),
        name="joint-action-progress",
    ),
    path("branches/joint/needs/", joint.NeedListView.as_view(), name="joint-need-list"),
    path("branches/joint/needs/new/", joint.NeedCreateView.as_view(), name="joint-need-create"),
    path(
        "branches/joint/needs/<int:pk>/claim/",
        joint.ClaimNeedView.as_view(),
        name="joint-need-claim",
    ),
    path(
        "branches/joint/needs/<int:pk>/release/",
        joint.ReleaseNeedView.as_view(),
        name="joint-need-release",
    ),
    path("branches/joint/resources/", joint.ResourceListView.as_view(), name="joint-resource-list"),
    path(
        "branches/joint/resources/<int:pk>/release/",
        joint.ReleaseResourceView.as_view(),
        name="joint-resource-release",
    ),
    path(
        "branches/joint/community-action-items/",
        joint.CommunityActionListView.as_view(),
        name="joint-community-actions",
    ),
    path(
        "branches/joint/committees/<int:pk>/report/<int:year>/",
        work_report.WorkReportView.as_view(),
        name="joint-work-report",
    ),
    path(
        "branches/joint/committees/<int:pk>/report/<int:year>/submit/",
        work_report.WorkReportSubmitView.as_view(),
        name="joint-work-report-submit",
    ),
    path(
        "branches/joint/committees/<int:pk>/report/<int:year>/report.docx",
        work_report.WorkReportDocxView.as_view(),
        name="joint-work-report-docx",
    ),
    path(
        "branches/joint/resources/new/",
        joint.ResourceCreateView.as_view(),
        name="joint-resource-create",
    ),
    path(
        "branches/joint/resources/<int:pk>/claim/",
        joint.ClaimResourceView.as_view(),
        name="joint-resource-claim",
    ),
    path("branches/joint/projects/", joint.ProjectListView.as_view(), name="joint-project-list"),
    path(
        "branches/joint/projects/<int:pk>/",
        joint.ProjectDetailView.as_view(),
        name="joint-project-detail",
    ),
    path(
        "branches/joint/projects/<int:pk>/done/",
        joint.ConfirmDoneView.as_view(),
        name="joint-project-done",
    ),
    path(
        "branches/joint/committees/<int:pk>/evaluation/<int:year>/",
        joint.EvaluationView.as_view(),
        name="joint-evaluation",
    ),
    path(
        "branches/joint/committees/<int:pk>/evaluation/<int:year>/notice.docx",
        joint.NoticeExportView.as_view(),
        name="joint-notice",
    ),
    path(
        "branches/joint/evaluations/<int:pk>/judge/", joint.JudgeView.as_view(), name="joint-judge"
    ),
]
