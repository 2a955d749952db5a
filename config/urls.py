from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api import MeView
from branches import api as branches_api
from branches import api_places
from branches.urls import staff_urlpatterns as branches_staff
from config import views
from volunteers import api as volunteers_api
from volunteers.urls import public_urlpatterns as volunteers_public
from volunteers.urls import staff_urlpatterns as volunteers_staff

router = DefaultRouter()
router.register("sub-districts", branches_api.SubDistrictViewSet, basename="subdistrict")
router.register("organizations", branches_api.OrganizationViewSet, basename="organization")
router.register("units", branches_api.CoBuildingUnitViewSet, basename="cobuildingunit")
router.register("committee-terms", branches_api.CommitteeTermViewSet, basename="committeeterm")
router.register("communities", api_places.CommunityViewSet, basename="community")
router.register("grids", api_places.GridViewSet, basename="grid")
router.register("compounds", api_places.CompoundViewSet, basename="compound")
router.register("buildings", api_places.BuildingViewSet, basename="building")
router.register("volunteer-teams", volunteers_api.VolunteerTeamViewSet, basename="volunteerteam")
router.register("volunteers", volunteers_api.VolunteerViewSet, basename="volunteer")
router.register(
    "volunteer-activities", volunteers_api.ServiceActivityViewSet, basename="serviceactivity"
)
router.register("volunteer-enrollments", volunteers_api.EnrollmentViewSet, basename="enrollment")
router.register("good-deeds", volunteers_api.GoodDeedViewSet, basename="gooddeed")
router.register("wishes", volunteers_api.WishViewSet, basename="wish")

staff_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    *branches_staff,
    *volunteers_staff,
]

public_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    *volunteers_public,
]

urlpatterns = [
    path("", include((public_patterns, "public"))),
    path("staff/", include((staff_patterns, "staff"))),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/me/", MeView.as_view(), name="api-me"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", views.healthz, name="healthz"),
]
