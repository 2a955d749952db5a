from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api import MeView
from branches import api as branches_api
from branches.urls import staff_urlpatterns as branches_staff
from config import views
from members import api as members_api
from members.urls import staff_urlpatterns as members_staff

router = DefaultRouter()
router.register("sub-districts", branches_api.SubDistrictViewSet, basename="subdistrict")
router.register("organizations", branches_api.OrganizationViewSet, basename="organization")
router.register("units", branches_api.CoBuildingUnitViewSet, basename="cobuildingunit")
router.register("members", members_api.MemberViewSet, basename="member")
router.register("transfers", members_api.TransferViewSet, basename="transfer")

staff_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    *branches_staff,
    *members_staff,
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
