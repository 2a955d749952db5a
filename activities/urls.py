from django.urls import path

from activities.elections.urls import staff_urlpatterns as election_urlpatterns
from activities.minutes.urls import staff_urlpatterns as minutes_urlpatterns
from activities.views import staff, talks

staff_urlpatterns = [
    path("activities/meetings/", staff.MeetingListView.as_view(), name="meeting-list"),
    path(
        "activities/organizations/<int:org_pk>/plan/",
        staff.PlanMeetingView.as_view(),
        name="meeting-plan",
    ),
    path(
        "activities/organizations/<int:org_pk>/record-held/",
        staff.RecordHeldMeetingView.as_view(),
        name="meeting-record-held",
    ),
    path("activities/meetings/<int:pk>/", staff.MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "activities/meetings/<int:pk>/record/",
        staff.RecordMeetingView.as_view(),
        name="meeting-record",
    ),
    path(
        "activities/meetings/<int:pk>/check-in-code/",
        staff.CheckInCodeView.as_view(),
        name="meeting-check-in-code",
    ),
    path(
        "activities/meetings/<int:pk>/sign-off/",
        staff.SignOffView.as_view(),
        name="meeting-sign-off",
    ),
    path(
        "activities/meetings/<int:pk>/cancel/",
        staff.CancelMeetingView.as_view(),
        name="meeting-cancel",
    ),
    path(
        "activities/meetings/<int:pk>/attachments/",
        staff.AttachmentUploadView.as_view(),
        name="meeting-attach",
    ),
    path(
        "activities/attachments/<int:pk>/",
        staff.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path("activities/make-up/", staff.MakeUpListView.as_view(), name="make-up-list"),
    path("activities/make-up/<int:pk>/done/", staff.MakeUpDoneView.as_view(), name="make-up-done"),
    path("activities/compliance/", staff.ComplianceView.as_view(), name="compliance"),
    path("activities/talks/", talks.TalkListView.as_view(), name="talk-list"),
    path(
        "activities/organizations/<int:org_pk>/talks/new/",
        talks.RecordTalkView.as_view(),
        name="talk-new",
    ),
    path(
        "activities/organizations/<int:org_pk>/calendar/",
        staff.CalendarLinkView.as_view(),
        name="meeting-calendar-links",
    ),
    *minutes_urlpatterns,
    *election_urlpatterns,
]

public_urlpatterns = [
    path("calendar/meetings/<str:token>.ics", staff.meeting_calendar, name="meeting-calendar"),
]
