"""The staff page that records a party sanction on a member's record (sub-district staff)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from accounts.access import StaffView
from accounts.service_form import ServicePageMixin
from members.models import Member, Sanction
from members.sanctions.forms import SanctionForm
from members.sanctions.services import record_sanction


class SanctionCreateView(StaffView, ServicePageMixin, FormView):
    permission_required = ("members.view_member", "members.add_sanction")
    template_name = "staff/members/sanction_form.html"
    form_class = SanctionForm
    model = Member
    title = gettext_lazy("Record a party sanction")
    success_message = gettext_lazy("The sanction is recorded on the member's record.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(member=self.object, sanctions=self.object.sanctions.all())
        return context

    def perform(self, form: SanctionForm) -> Sanction:
        return record_sanction(member=self.object, actor=self.request.user, **form.cleaned_data)

    def back_url(self) -> str:
        return reverse("staff:member-detail", args=[self.object.pk])
