"""Staff pages of elections, included in `activities.urls`."""

from django.urls import path

from activities.elections import views

staff_urlpatterns = [
    path("activities/elections/", views.ElectionListView.as_view(), name="election-list"),
    path(
        "activities/organizations/<int:org_pk>/elections/new/",
        views.ElectionCreateView.as_view(),
        name="election-new",
    ),
    path(
        "activities/elections/<int:pk>/",
        views.ElectionDetailView.as_view(),
        name="election-detail",
    ),
]
