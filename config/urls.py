from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api import MeView
from branches import api as branches_api
from branches import api_regional
from branches.urls import staff_urlpatterns as branches_staff
from config import views

router = DefaultRouter()
router.register("sub-districts", branches_api.SubDistrictViewSet, basename="subdistrict")
router.register("organizations", branches_api.OrganizationViewSet, basename="organization")
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

staff_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    *branches_staff,
]

public_patterns = [
    path("", views.HomeView.as_view(), name="home"),
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
