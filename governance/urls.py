from django.urls import path

from governance.views import public, staff

staff_urlpatterns = [
    path("governance/opinions/", staff.LedgerView.as_view(), name="opinion-ledger"),
    path("governance/opinions/new/", staff.RecordOpinionView.as_view(), name="opinion-new"),
    path("governance/opinions/<int:pk>/", staff.OpinionView.as_view(), name="opinion-detail"),
    path("governance/matters/", staff.MatterListView.as_view(), name="matter-list"),
    path("governance/matters/new/", staff.MatterCreateView.as_view(), name="matter-new"),
    path("governance/matters/<int:pk>/", staff.MatterView.as_view(), name="matter-detail"),
    path(
        "governance/publications/<int:pk>/notice.docx",
        staff.NoticeView.as_view(),
        name="publication-notice",
    ),
]

public_urlpatterns = [
    path("voice/", public.MyOpinionsView.as_view(), name="my-opinions"),
    path("voice/new/", public.SubmitOpinionView.as_view(), name="opinion-submit"),
    path("voice/<int:pk>/", public.OpinionDetailView.as_view(), name="opinion-detail"),
    path("voice/photos/<int:pk>/", public.OpinionPhotoView.as_view(), name="opinion-photo"),
    path(
        "voice/consultations/<int:pk>/",
        public.ConsultationView.as_view(),
        name="consultation",
    ),
    path(
        "communities/public/",
        public.DisclosureIndexView.as_view(),
        name="community-disclosures",
    ),
    path(
        "communities/<int:pk>/public/",
        public.DisclosureView.as_view(),
        name="community-disclosure",
    ),
]
