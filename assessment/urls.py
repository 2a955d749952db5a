"""Staff pages of targets, the weekly ranking and inspections (included under /staff/)."""

from django.urls import path

from assessment.views import public, staff

public_urlpatterns = [
    path("ranking/", public.RankingView.as_view(), name="assessment-ranking"),
]

staff_urlpatterns = [
    path("assessment/", staff.PlanListView.as_view(), name="assessment-plans"),
    path("assessment/plans/new/", staff.PlanCreateView.as_view(), name="assessment-plan-new"),
    path("assessment/plans/<int:pk>/", staff.PlanDetailView.as_view(), name="assessment-plan"),
    path(
        "assessment/plans/<int:pk>/targets/new/",
        staff.TargetCreateView.as_view(),
        name="assessment-target-new",
    ),
    path(
        "assessment/plans/<int:pk>/adopt/",
        staff.AdoptPlanView.as_view(),
        name="assessment-plan-adopt",
    ),
    path(
        "assessment/targets/<int:pk>/report/",
        staff.ReportView.as_view(),
        name="assessment-target-report",
    ),
    path(
        "assessment/reports/<int:pk>/review/",
        staff.ReviewReportView.as_view(),
        name="assessment-report-review",
    ),
    path("assessment/ranking/", staff.RankingView.as_view(), name="assessment-ranking"),
    path(
        "assessment/ranking/publish/",
        staff.PublishRankingView.as_view(),
        name="assessment-ranking-publish",
    ),
    path(
        "assessment/inspections/",
        staff.InspectionListView.as_view(),
        name="assessment-inspections",
    ),
    path(
        "assessment/checklists/<int:pk>/inspect/",
        staff.InspectionCreateView.as_view(),
        name="assessment-inspection-new",
    ),
    path(
        "assessment/inspections/<int:pk>/",
        staff.InspectionDetailView.as_view(),
        name="assessment-inspection",
    ),
    path(
        "assessment/inspections/<int:pk>/rectifications/new/",
        staff.RectificationCreateView.as_view(),
        name="assessment-rectification-new",
    ),
    path(
        "assessment/rectifications/<int:pk>/evidence/",
        staff.EvidenceView.as_view(),
        name="assessment-rectification-evidence",
    ),
    path(
        "assessment/rectifications/<int:pk>/review/",
        staff.ReviewRectificationView.as_view(),
        name="assessment-rectification-review",
    ),
]

from assessment.views import year_end  # noqa: E402

staff_urlpatterns += [
    path("assessment/year-end/", year_end.RoundListView.as_view(), name="assessment-rounds"),
    path(
        "assessment/year-end/new/",
        year_end.RoundCreateView.as_view(),
        name="assessment-round-new",
    ),
    path(
        "assessment/year-end/<int:pk>/",
        year_end.RoundDetailView.as_view(),
        name="assessment-round",
    ),
    path(
        "assessment/year-end/<int:pk>/decide/",
        year_end.DecideRoundView.as_view(),
        name="assessment-round-decide",
    ),
    path(
        "assessment/year-end/<int:pk>/notice.docx",
        year_end.NoticeDocxView.as_view(),
        name="assessment-round-notice",
    ),
    path(
        "assessment/year-end/branches/<int:pk>/report/",
        year_end.RecordReportView.as_view(),
        name="assessment-branch-report",
    ),
    path(
        "assessment/year-end/branches/<int:pk>/rating/",
        year_end.CommitteeRatingView.as_view(),
        name="assessment-branch-rating",
    ),
    path(
        "assessment/year-end/branches/<int:pk>/result.docx",
        year_end.BranchDocxView.as_view(),
        name="assessment-branch-docx",
    ),
    path(
        "assessment/year-end/<int:pk>/ballot/",
        year_end.BallotView.as_view(),
        name="assessment-round-ballot",
    ),
    path(
        "assessment/year-end/<int:pk>/representatives/",
        year_end.RepresentativesView.as_view(),
        name="assessment-round-representatives",
    ),
    path(
        "assessment/year-end/<int:pk>/representatives/<int:user_pk>/remove/",
        year_end.RemoveRepresentativeView.as_view(),
        name="assessment-round-representative-remove",
    ),
    path(
        "assessment/unit-letter/",
        year_end.UnitLetterView.as_view(),
        name="assessment-unit-letter",
    ),
]
