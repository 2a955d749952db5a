from django.urls import path

from activities.minutes import views

staff_urlpatterns = [
    path(
        "activities/meetings/<int:pk>/verify/",
        views.MinutesVerifyView.as_view(),
        name="meeting-verify",
    ),
    path(
        "activities/meetings/<int:pk>/minutes.docx",
        views.MeetingMinutesDocxView.as_view(),
        name="meeting-minutes-docx",
    ),
    path(
        "activities/organizations/<int:org_pk>/minutes/<int:year>.docx",
        views.BranchMinutesDocxView.as_view(),
        name="branch-minutes-docx",
    ),
    path(
        "activities/attachments/<int:pk>/remove/",
        views.RemoveAttachmentView.as_view(),
        name="attachment-remove",
    ),
]
