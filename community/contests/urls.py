"""URLs of knowledge contests, included by `community.urls`."""

from django.urls import path

from community.contests import views

staff_urlpatterns = [
    path("community/contests/", views.StaffContestListView.as_view(), name="contest-list"),
    path("community/contests/<int:pk>/", views.StaffContestView.as_view(), name="contest-detail"),
    path(
        "community/contests/questions/import/",
        views.QuestionImportView.as_view(),
        name="contest-question-import",
    ),
    path(
        "community/contests/questions/template/",
        views.QuestionTemplateView.as_view(),
        name="contest-question-template",
    ),
]

public_urlpatterns = [
    path("contests/", views.ContestListView.as_view(), name="contest-list"),
    path("contests/<int:pk>/", views.ContestView.as_view(), name="contest-detail"),
    path("contests/<int:pk>/start/", views.StartView.as_view(), name="contest-start"),
    path("contests/attempts/<int:pk>/", views.AttemptView.as_view(), name="contest-attempt"),
]
