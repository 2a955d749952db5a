"""Staff pages of dues (included under /staff/ by config/urls.py)."""

from django.urls import path

from dues.views import staff

staff_urlpatterns = [
    path("dues/", staff.RegisterView.as_view(), name="dues-register"),
    path("dues/arrears/", staff.ArrearsView.as_view(), name="dues-arrears"),
    path("dues/members/<int:pk>/", staff.MemberDuesView.as_view(), name="dues-member"),
    path("dues/members/<int:pk>/base/", staff.DeclareBaseView.as_view(), name="dues-base"),
    path("dues/members/<int:pk>/advance/", staff.AdvancePaymentView.as_view(), name="dues-advance"),
    path(
        "dues/members/<int:pk>/voluntary/",
        staff.VoluntaryPaymentView.as_view(),
        name="dues-voluntary",
    ),
    path("dues/members/<int:pk>/exception/", staff.ExceptionView.as_view(), name="dues-exception"),
    path("dues/receipts/<int:pk>/", staff.ReceiptDocxView.as_view(), name="dues-receipt"),
    path("dues/declarations/", staff.DeclarationListView.as_view(), name="dues-declarations"),
    path("dues/overview/", staff.OverviewView.as_view(), name="dues-overview"),
    path("dues/remittances/", staff.RemittanceView.as_view(), name="dues-remittances"),
    path("dues/ledger/", staff.LedgerView.as_view(), name="dues-ledger"),
    path("dues/disclosure/", staff.DisclosureView.as_view(), name="dues-disclosure"),
    path(
        "dues/disclosure/docx/",
        staff.DisclosureView.as_view(),
        {"docx": True},
        name="dues-disclosure-docx",
    ),
    path("dues/statements/", staff.StatementListView.as_view(), name="dues-statements"),
    path("dues/statements/<int:pk>/", staff.StatementDetailView.as_view(), name="dues-statement"),
    path("dues/register.xlsx", staff.RegisterExportView.as_view(), name="dues-register-xlsx"),
]
