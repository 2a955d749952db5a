"""Staff pages of branch committees, at the addresses and names they had under `branches`."""

from django.urls import path

from committees.views import staff

staff_urlpatterns = [
    path(
        "branches/organizations/<int:pk>/terms/new/",
        staff.StartTermView.as_view(),
        name="committee-term-new",
    ),
    path(
        "branches/organizations/<int:pk>/positions/new/",
        staff.AppointPositionView.as_view(),
        name="committee-position-new",
    ),
    path(
        "branches/organizations/<int:pk>/positions/<int:position_pk>/end/",
        staff.EndPositionView.as_view(),
        name="committee-position-end",
    ),
    path(
        "branches/organizations/<int:pk>/terms/extend/",
        staff.ExtendTermView.as_view(),
        name="committee-term-extend",
    ),
]
