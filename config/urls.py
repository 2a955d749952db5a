from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from accounts.api import MeView
from accounts.views_audit import AuditLogView
from activities import api as activities_api
from activities.elections import api as elections_api
from activities.urls import public_urlpatterns as activities_public
from activities.urls import staff_urlpatterns as activities_staff
from appraisal import api as appraisal_api
from appraisal.urls import staff_urlpatterns as appraisal_staff
from assessment import api as assessment_api
from assessment.urls import public_urlpatterns as assessment_public
from assessment.urls import staff_urlpatterns as assessment_staff
from branches.api import organizations as branches_api
from branches.api import places as api_places
from branches.urls import staff_urlpatterns as branches_staff
from charts import api as charts_api
from charts.urls import public_urlpatterns as charts_public
from charts.urls import staff_urlpatterns as charts_staff
from committees import api as committees_api
from committees.urls import staff_urlpatterns as committees_staff
from community import api as community_api
from community.contests import api as contests_api
from community.urls import public_urlpatterns as community_public
from community.urls import staff_urlpatterns as community_staff
from config import views
from dues import api as dues_api
from dues.urls import staff_urlpatterns as dues_staff
from governance import api as governance_api
from governance.urls import public_urlpatterns as governance_public
from governance.urls import staff_urlpatterns as governance_staff
from grids import api as grids_api
from grids.urls import public_urlpatterns as grids_public
from grids.urls import staff_urlpatterns as grids_staff
from members import api as members_api
from members.inservice import api as api_inservice
from members.sanctions import api as api_sanctions
from members.urls import staff_urlpatterns as members_staff
from points import api as points_api
from points.urls import public_urlpatterns as points_public
from points.urls import staff_urlpatterns as points_staff
from regional.api import committees as api_regional
from regional.api import joint as api_joint
from regional.api import work_report as api_work_report
from regional.urls import staff_urlpatterns as regional_staff
from reports import api as reports_api
from reports.urls import staff_urlpatterns as reports_staff
from selfservice.urls import public_urlpatterns as selfservice_public
from venues import api as venues_api
from venues.urls import public_urlpatterns as venues_public
from venues.urls import staff_urlpatterns as venues_staff
from volunteers import api as volunteers_api
from volunteers.urls import public_urlpatterns as volunteers_public
from volunteers.urls import staff_urlpatterns as volunteers_staff

MOVED_TO_REGIONAL = sorted(
    model._meta.model_name for model in django_apps.get_app_config("regional").get_models()
)
MOVED_TO_COMMITTEES = sorted(
    model._meta.model_name for model in django_apps.get_app_config("committees").get_models()
)

router = DefaultRouter()
router.register("sub-districts", branches_api.SubDistrictViewSet, basename="subdistrict")
router.register("organizations", branches_api.OrganizationViewSet, basename="organization")
router.register("committee-terms", committees_api.CommitteeTermViewSet, basename="committeeterm")
router.register("communities", api_places.CommunityViewSet, basename="community")
router.register("grids", api_places.GridViewSet, basename="grid")
router.register("compounds", api_places.CompoundViewSet, basename="compound")
router.register("buildings", api_places.BuildingViewSet, basename="building")
router.register("rooms", venues_api.RoomViewSet, basename="room")
router.register("bookings", venues_api.BookingViewSet, basename="booking")
router.register("meetings", activities_api.MeetingViewSet, basename="meeting")
router.register("elections", elections_api.ElectionViewSet, basename="election")
router.register("talks", activities_api.TalkViewSet, basename="talk")
router.register("appraisal-campaigns", appraisal_api.CampaignViewSet, basename="appraisalcampaign")
router.register("target-plans", assessment_api.PlanViewSet, basename="targetplan")
router.register("inspections", assessment_api.InspectionViewSet, basename="inspection")
router.register("rankings", assessment_api.RankingWeekViewSet, basename="rankingweek")
router.register("members", members_api.MemberViewSet, basename="member")
router.register("import-jobs", members_api.ImportJobViewSet, basename="importjob")
router.register("transfers", members_api.TransferViewSet, basename="transfer")
router.register("sanctions", api_sanctions.SanctionViewSet, basename="sanction")
router.register("developments", members_api.DevelopmentViewSet, basename="development")
router.register(
    "community-registrations",
    api_inservice.CommunityRegistrationViewSet,
    basename="communityregistration",
)
router.register("community-needs", api_inservice.CommunityNeedViewSet, basename="communityneed")
router.register(
    "community-services", api_inservice.CommunityServiceViewSet, basename="communityservice"
)
router.register("feedback-letters", api_inservice.FeedbackLetterViewSet, basename="feedbackletter")
router.register("units", api_regional.CoBuildingUnitViewSet, basename="cobuildingunit")
router.register(
    "regional-committees", api_regional.RegionalCommitteeViewSet, basename="regionalcommittee"
)
router.register(
    "regional-memberships", api_regional.RegionalMembershipViewSet, basename="regionalmembership"
)
router.register("part-time-members", api_regional.PartTimeMemberViewSet, basename="parttimemember")
router.register("unit-visits", api_regional.UnitVisitViewSet, basename="unitvisit")
router.register("pairings", api_regional.PairingViewSet, basename="pairing")
router.register("joint-meetings", api_joint.JointMeetingViewSet, basename="jointmeeting")
router.register("needs", api_joint.NeedViewSet, basename="need")
router.register("resources", api_joint.ResourceViewSet, basename="resource")
router.register("projects", api_joint.ProjectViewSet, basename="project")
router.register("action-items", api_joint.ActionItemViewSet, basename="actionitem")
router.register("unit-evaluations", api_joint.UnitEvaluationViewSet, basename="unitevaluation")
router.register("opinions", governance_api.OpinionViewSet, basename="opinion")
router.register("my-opinions", governance_api.MyOpinionViewSet, basename="my-opinion")
router.register("community-matters", governance_api.MatterViewSet, basename="communitymatter")
router.register("work-reports", api_work_report.WorkReportViewSet, basename="workreport")
router.register("volunteer-teams", volunteers_api.VolunteerTeamViewSet, basename="volunteerteam")
router.register("volunteers", volunteers_api.VolunteerViewSet, basename="volunteer")
router.register(
    "volunteer-activities", volunteers_api.ServiceActivityViewSet, basename="serviceactivity"
)
router.register("volunteer-enrollments", volunteers_api.EnrollmentViewSet, basename="enrollment")
router.register("good-deeds", volunteers_api.GoodDeedViewSet, basename="gooddeed")
router.register("wishes", volunteers_api.WishViewSet, basename="wish")
router.register("point-entries", points_api.PointEntryViewSet, basename="pointentry")
router.register("point-rankings", points_api.BranchRankingViewSet, basename="pointranking")
router.register("manual-awards", points_api.ManualAwardViewSet, basename="manualaward")
router.register("report-exports", reports_api.ExportJobViewSet, basename="exportjob")
router.register("charts", charts_api.ChartViewSet, basename="chart")
router.register("dues-bills", dues_api.DuesBillViewSet, basename="duesbill")
router.register("dues-payments", dues_api.DuesPaymentViewSet, basename="duespayment")
router.register("households", grids_api.HouseholdViewSet, basename="household")
router.register("screening-reports", grids_api.ScreeningReportViewSet, basename="screeningreport")
router.register("disputes", grids_api.DisputeViewSet, basename="dispute")
router.register("courses", community_api.CourseViewSet, basename="course")
router.register("course-enrolments", community_api.EnrolmentViewSet, basename="courseenrolment")
router.register("award-campaigns", community_api.CampaignViewSet, basename="awardcampaign")
router.register("nominations", community_api.NominationViewSet, basename="nomination")
router.register("contests", contests_api.ContestViewSet, basename="contest")
router.register("contest-attempts", contests_api.MyAttemptViewSet, basename="contestattempt")

staff_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("audit/", AuditLogView.as_view(), name="audit-log"),
    *branches_staff,
    *committees_staff,
    *activities_staff,
    *appraisal_staff,
    *assessment_staff,
    *venues_staff,
    *members_staff,
    *volunteers_staff,
    *regional_staff,
    *dues_staff,
    *governance_staff,
    *points_staff,
    *reports_staff,
    *grids_staff,
    *community_staff,
    *charts_staff,
]

public_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    *venues_public,
    *volunteers_public,
    *selfservice_public,
    *points_public,
    *assessment_public,
    *governance_public,
    *grids_public,
    *community_public,
    *charts_public,
]

urlpatterns = [
    path("", include((public_patterns, "public"))),
    path("staff/", include((staff_patterns, "staff"))),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Admin pages of the models that moved from branches to regional and committees: old links
    # and bookmarks land on the new address (the admin's URLs follow the app label).
    re_path(
        rf"^admin/branches/(?P<model>{'|'.join(MOVED_TO_REGIONAL)})/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/regional/%(model)s/%(rest)s", query_string=True),
    ),
    re_path(
        rf"^admin/branches/(?P<model>{'|'.join(MOVED_TO_COMMITTEES)})/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/committees/%(model)s/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/me/", MeView.as_view(), name="api-me"),
    path("api/v1/me/", include(("selfservice.api_urls", "me-api"))),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", views.SchemaDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the static file.
    path("favicon.ico", views.favicon, name="favicon"),
    *activities_public,
]

if settings.BENCH_MODE:
    from config import bench

    urlpatterns += [
        path("bench/floor/", bench.floor),
        path("bench/floor-sql/", bench.floor_sql),
        path("bench/floor-sql/<slug:page>/", bench.floor_sql),
    ]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
