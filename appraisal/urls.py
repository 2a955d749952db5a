"""Staff pages of the democratic appraisal (included under /staff/ by config/urls.py)."""

from django.urls import path

from appraisal.views import staff

staff_urlpatterns = [
    path("appraisal/", staff.CampaignListView.as_view(), name="appraisal-list"),
    path("appraisal/new/", staff.CampaignCreateView.as_view(), name="appraisal-new"),
    path(
        "appraisal/campaigns/<int:pk>/", staff.CampaignDetailView.as_view(), name="appraisal-detail"
    ),
    path(
        "appraisal/campaigns/<int:pk>/paper-tally/",
        staff.PaperTallyView.as_view(),
        name="appraisal-paper-tally",
    ),
    path(
        "appraisal/campaigns/<int:pk>/propose/",
        staff.ProposeGradesView.as_view(),
        name="appraisal-propose",
    ),
    path(
        "appraisal/campaigns/<int:pk>/decide/",
        staff.DecideGradesView.as_view(),
        name="appraisal-decide",
    ),
    path(
        "appraisal/participants/<int:pk>/self-assessment/",
        staff.SelfAssessmentView.as_view(),
        name="appraisal-self-assessment",
    ),
    path(
        "appraisal/followups/<int:pk>/close/",
        staff.CloseFollowUpView.as_view(),
        name="appraisal-follow-up-close",
    ),
]
