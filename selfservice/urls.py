from django.urls import path

from selfservice.views import appraisal, mine, public, representative, service

public_urlpatterns = [
    path("me/", public.HomeView.as_view(), name="me"),
    path("me/bind/", public.BindView.as_view(), name="me-bind"),
    path("me/invitation/<str:token>/", public.InvitationView.as_view(), name="me-invitation"),
    path("me/meetings/", public.MeetingListView.as_view(), name="me-meetings"),
    path("me/meetings/<int:pk>/", public.MeetingDetailView.as_view(), name="me-meeting"),
    path("me/meetings/<int:pk>/leave/", public.LeaveView.as_view(), name="me-leave"),
    path("me/meetings/<int:pk>/check-in/", public.CheckInView.as_view(), name="me-check-in"),
    path(
        "me/leave/<int:pk>/withdraw/",
        public.WithdrawLeaveView.as_view(),
        name="me-leave-withdraw",
    ),
    path("me/make-up/<int:pk>/", public.MakeUpView.as_view(), name="me-make-up"),
    path("me/record/", public.RecordView.as_view(), name="me-record"),
    path("me/reminders/", public.ReminderView.as_view(), name="me-reminders"),
    path("me/dues/", mine.DuesView.as_view(), name="me-dues"),
    path("me/points/", mine.PointsView.as_view(), name="me-points"),
    path("me/appraisal/", appraisal.AppraisalListView.as_view(), name="me-appraisals"),
    path("me/appraisal/<int:pk>/", appraisal.CampaignView.as_view(), name="me-appraisal"),
    path(
        "me/assessment/",
        representative.RoundListView.as_view(),
        name="me-assessment-rounds",
    ),
    path(
        "me/assessment/<int:pk>/",
        representative.BallotView.as_view(),
        name="me-assessment-ballot",
    ),
    path("me/service/", service.ServiceView.as_view(), name="me-service"),
    path("me/service/report/", service.ReportServiceView.as_view(), name="me-service-report"),
    path("me/service/<int:pk>/photo/", service.ServicePhotoView.as_view(), name="me-service-photo"),
    path(
        "me/service/letters/<int:pk>/",
        service.FeedbackLetterView.as_view(),
        name="me-feedback-letter",
    ),
    path("me/needs/<int:pk>/claim/", service.ClaimNeedView.as_view(), name="me-need-claim"),
]
