from django.urls import path

from venues.views import public, staff, staff_setup

public_urlpatterns = [
    path("venues/", public.HallListView.as_view(), name="venues-halls"),
    path("venues/rooms/<int:pk>/", public.RoomDetailView.as_view(), name="venues-room"),
    path("venues/rooms/<int:pk>/book/", public.BookView.as_view(), name="venues-book"),
    path(
        "venues/rooms/<int:pk>/waitlist/",
        public.WaitlistJoinView.as_view(),
        name="venues-waitlist-join",
    ),
    path("venues/rooms/<int:pk>/calendar.ics", public.room_ical, name="venues-room-ical"),
    path(
        "venues/photos/<slug:owner>/<int:pk>/<slug:size>/",
        public.photo_file,
        name="venues-photo",
    ),
    path("venues/my/", public.MyBookingsView.as_view(), name="venues-my-bookings"),
    path("venues/my/<int:pk>/", public.BookingDetailView.as_view(), name="venues-booking"),
    path("venues/my/<int:pk>/cancel/", public.CancelView.as_view(), name="venues-cancel"),
    path("venues/my/<int:pk>/accept/", public.AcceptOfferView.as_view(), name="venues-accept"),
    path(
        "venues/waitlist/<int:pk>/leave/",
        public.LeaveWaitlistView.as_view(),
        name="venues-waitlist-leave",
    ),
]

staff_urlpatterns = [
    path("venues/", staff.HallListView.as_view(), name="venues-hall-list"),
    path("venues/halls/<int:pk>/", staff.HallCalendarView.as_view(), name="venues-hall-calendar"),
    path("venues/approvals/", staff.ApprovalQueueView.as_view(), name="venues-approvals"),
    path("venues/bookings/<int:pk>/", staff.BookingDetailView.as_view(), name="venues-booking"),
    path("venues/bookings/<int:pk>/approve/", staff.ApproveView.as_view(), name="venues-approve"),
    path("venues/bookings/<int:pk>/reject/", staff.RejectView.as_view(), name="venues-reject"),
    path("venues/bookings/<int:pk>/cancel/", staff.StaffCancelView.as_view(), name="venues-cancel"),
    path("venues/check-in/", staff.CheckInView.as_view(), name="venues-check-in"),
    path("venues/no-shows/", staff.NoShowListView.as_view(), name="venues-no-shows"),
    path(
        "venues/suspensions/<int:pk>/lift/",
        staff.LiftSuspensionView.as_view(),
        name="venues-lift-suspension",
    ),
    path("venues/blocks/new/", staff.BlockCreateView.as_view(), name="venues-block"),
    path(
        "venues/internal/new/",
        staff.InternalBookingCreateView.as_view(),
        name="venues-internal-booking",
    ),
    path(
        "venues/halls/<int:pk>/photos/",
        staff_setup.HallPhotosView.as_view(),
        name="venues-hall-photos",
    ),
    path(
        "venues/photos/<slug:owner>/<int:pk>/edit/",
        staff_setup.PhotoEditView.as_view(),
        name="venues-photo-edit",
    ),
    path(
        "venues/photos/<slug:owner>/<int:pk>/delete/",
        staff_setup.PhotoDeleteView.as_view(),
        name="venues-photo-delete",
    ),
    path(
        "venues/halls/<int:pk>/hours/",
        staff_setup.HallHoursView.as_view(),
        name="venues-hall-hours",
    ),
    path(
        "venues/closed-dates/<int:pk>/delete/",
        staff_setup.ClosedPeriodDeleteView.as_view(),
        name="venues-closed-period-delete",
    ),
    path(
        "venues/rooms/<int:pk>/rules/",
        staff_setup.RoomRulesView.as_view(),
        name="venues-room-rules",
    ),
    path("venues/policy/", staff_setup.BookingPolicyView.as_view(), name="venues-policy"),
    path(
        "venues/policy/<int:pk>/", staff_setup.BookingPolicyView.as_view(), name="venues-policy-of"
    ),
    path("venues/utilisation/", staff.UtilisationView.as_view(), name="venues-utilisation"),
]
