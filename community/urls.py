from django.urls import path

from community.contests import urls as contest_urls
from community.views import public, setup, staff

staff_urlpatterns = [
    path("community/courses/", staff.CourseOverviewView.as_view(), name="course-overview"),
    path(
        "community/courses/<int:pk>/schedule/",
        staff.ScheduleCourseView.as_view(),
        name="course-schedule",
    ),
    path("community/awards/", staff.CampaignListView.as_view(), name="award-campaign-list"),
    path("community/awards/<int:pk>/", staff.CampaignReviewView.as_view(), name="award-campaign"),
    path(
        "community/awards/<int:pk>/publish/",
        staff.PublishResultsView.as_view(),
        name="award-publish",
    ),
    path(
        "community/nominations/<int:pk>/review/",
        staff.ReviewNominationView.as_view(),
        name="award-review",
    ),
    path("community/schools/", setup.SchoolListView.as_view(), name="community-school-list"),
    path("community/schools/new/", setup.SchoolFormView.as_view(), name="community-school-new"),
    path(
        "community/schools/<int:pk>/edit/",
        setup.SchoolFormView.as_view(),
        name="community-school-edit",
    ),
    path("community/terms/new/", setup.TermFormView.as_view(), name="community-term-new"),
    path(
        "community/terms/<int:pk>/edit/", setup.TermFormView.as_view(), name="community-term-edit"
    ),
    path("community/courses/new/", setup.CourseFormView.as_view(), name="course-new"),
    path("community/courses/<int:pk>/edit/", setup.CourseFormView.as_view(), name="course-edit"),
    path("community/awards/new/", setup.CampaignFormView.as_view(), name="award-campaign-new"),
    path(
        "community/awards/<int:pk>/edit/",
        setup.CampaignFormView.as_view(),
        name="award-campaign-edit",
    ),
    path(
        "community/awards/<int:pk>/nominate/",
        setup.StaffNominateView.as_view(),
        name="award-nominate",
    ),
    path("community/awards/<int:pk>/jury/", setup.JuryScoresView.as_view(), name="award-jury"),
    path("community/contests/new/", setup.ContestFormView.as_view(), name="contest-new"),
    path(
        "community/contests/<int:pk>/edit/",
        setup.ContestFormView.as_view(),
        name="contest-edit",
    ),
    *contest_urls.staff_urlpatterns,
]

public_urlpatterns = [
    path("courses/", public.CatalogueView.as_view(), name="course-list"),
    path("courses/me/", public.MyCoursesView.as_view(), name="course-mine"),
    path("courses/code/", public.CodeView.as_view(), name="course-code"),
    path("courses/teach/", public.TeachingView.as_view(), name="course-teaching"),
    path("courses/sessions/<int:pk>/roster/", public.RosterView.as_view(), name="course-roster"),
    path("courses/<int:pk>/", public.CourseDetailView.as_view(), name="course-detail"),
    path("courses/<int:pk>/enrol/", public.EnrolView.as_view(), name="course-enrol"),
    path("courses/<int:pk>/withdraw/", public.WithdrawView.as_view(), name="course-withdraw"),
    path(
        "courses/enrolments/<int:pk>/certificate/",
        public.CertificateView.as_view(),
        name="course-certificate",
    ),
    path("awards/", public.CampaignListView.as_view(), name="award-campaigns"),
    path("awards/<int:pk>/", public.CampaignView.as_view(), name="award-campaign"),
    path("awards/<int:pk>/nominate/", public.NominateView.as_view(), name="award-nominate"),
    path("awards/<int:pk>/jury/", public.JurorScoresView.as_view(), name="award-jury"),
    path("awards/nominations/<int:pk>/vote/", public.VoteView.as_view(), name="award-vote"),
    *contest_urls.public_urlpatterns,
]
