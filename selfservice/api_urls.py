"""The member's API under /api/v1/me/… (included by config/urls.py)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from selfservice import api

router = SimpleRouter()
router.register("meetings", api.MyMeetingViewSet, basename="me-meeting")
router.register("leave-requests", api.MyLeaveViewSet, basename="me-leave")
router.register("make-up-tasks", api.MyMakeUpViewSet, basename="me-make-up")
router.register("claims", api.MyClaimViewSet, basename="me-claim")
router.register("dues-bills", api.MyDuesBillViewSet, basename="me-dues-bill")

urlpatterns = [
    path("branch/", api.MyBranchView.as_view(), name="me-branch"),
    path("points/", api.MyPointsView.as_view(), name="me-points"),
    path("", include(router.urls)),
]
