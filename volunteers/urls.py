from django.urls import path

from volunteers.views import leader, public, staff

staff_urlpatterns = [
    path("volunteers/teams/", staff.TeamListView.as_view(), name="volunteer-team-list"),
    path("volunteers/teams/new/", staff.TeamCreateView.as_view(), name="volunteer-team-new"),
    path("volunteers/people/", staff.VolunteerListView.as_view(), name="volunteer-list"),
    path(
        "volunteers/people/<int:pk>/",
        staff.VolunteerDetailView.as_view(),
        name="volunteer-detail",
    ),
    path("volunteers/good-deeds/", staff.GoodDeedListView.as_view(), name="good-deed-list"),
    path("volunteers/wishes/", staff.WishBoardView.as_view(), name="wish-board"),
    path("volunteers/rankings/", staff.RankingsView.as_view(), name="volunteer-rankings"),
]

public_urlpatterns = [
    path("volunteers/", public.ActivityListView.as_view(), name="volunteer-activities"),
    path(
        "volunteers/activities/<int:pk>/",
        public.ActivityDetailView.as_view(),
        name="volunteer-activity",
    ),
    path(
        "volunteers/activities/<int:pk>/sign-up/",
        public.SignUpView.as_view(),
        name="volunteer-sign-up",
    ),
    path(
        "volunteers/activities/<int:pk>/withdraw/",
        public.WithdrawView.as_view(),
        name="volunteer-withdraw",
    ),
    path("volunteers/code/", public.CodeView.as_view(), name="volunteer-code"),
    path("volunteers/me/", public.MyHoursView.as_view(), name="volunteer-me"),
    path(
        "volunteers/me/certificates/",
        public.RequestCertificateView.as_view(),
        name="volunteer-certificate-request",
    ),
    path(
        "volunteers/certificates/<int:pk>/download/",
        public.CertificateDownloadView.as_view(),
        name="volunteer-certificate-download",
    ),
    path("volunteers/teams/", public.TeamListView.as_view(), name="volunteer-teams"),
    path("volunteers/teams/<int:pk>/join/", public.JoinTeamView.as_view(), name="volunteer-join"),
    path("volunteers/wishes/", public.WishListView.as_view(), name="volunteer-wishes"),
    path(
        "volunteers/wishes/<int:pk>/<slug:action>/",
        public.WishActionView.as_view(),
        name="volunteer-wish-action",
    ),
    path("volunteers/lead/", leader.LeaderHomeView.as_view(), name="volunteer-lead"),
    path(
        "volunteers/lead/teams/<int:pk>/",
        leader.TeamManageView.as_view(),
        name="volunteer-lead-team",
    ),
    path(
        "volunteers/lead/teams/<int:pk>/<slug:action>/",
        leader.TeamActionView.as_view(),
        name="volunteer-lead-team-action",
    ),
    path(
        "volunteers/lead/activities/<int:pk>/",
        leader.RosterView.as_view(),
        name="volunteer-lead-activity",
    ),
    path(
        "volunteers/lead/activities/<int:pk>/<slug:action>/",
        leader.RosterActionView.as_view(),
        name="volunteer-lead-activity-action",
    ),
]
