"""Staff pages of member points (/staff/points/…)."""

from django.urls import path

from points.views import public, staff

staff_urlpatterns = [
    path("points/", staff.OverviewView.as_view(), name="points-overview"),
    path("points/branches/<int:pk>/", staff.BranchRankingView.as_view(), name="points-branch"),
    path(
        "points/branches/<int:pk>/register.xlsx",
        staff.BranchRegisterExportView.as_view(),
        name="points-branch-register",
    ),
    path("points/members/<int:pk>/", staff.MemberLedgerView.as_view(), name="points-member"),
    path("points/manual-awards/", staff.AwardListView.as_view(), name="points-award-list"),
    path("points/manual-awards/new/", staff.AwardCreateView.as_view(), name="points-award-new"),
    path(
        "points/manual-awards/<int:pk>/decide/",
        staff.AwardDecideView.as_view(),
        name="points-award-decide",
    ),
    path("points/approvals/", staff.ApprovalListView.as_view(), name="points-approvals"),
    path(
        "points/entries/<int:pk>/approve/",
        staff.EntryApproveView.as_view(),
        name="points-entry-approve",
    ),
    path("points/rules/", staff.RuleTableView.as_view(), name="points-rules"),
    path("points/rules/new/", staff.RuleCreateView.as_view(), name="points-rule-new"),
]

public_urlpatterns = [
    path("points/honour-roll/", public.HonourRollView.as_view(), name="points-honour-roll"),
]
