"""Staff and secretary pages of heart-to-heart talks: the year's talks and missing pairs per
branch, and recording a talk (phone-first: one column of cards)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from accounts.access import StaffView
from accounts.service_form import ServiceFormMixin
from activities.forms import RecordTalkForm
from activities.models import Talk
from activities.talks import compliance_for, record_talk
from branches.models import Organization, OrganizationKind
from members.models import Member


def _branches(user: Any) -> QuerySet[Organization]:
    return (
        Organization.objects.visible_to(user)
        .active()
        .filter(kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH])
        .order_by("path")
    )


class TalkListView(StaffView, TemplateView):
    """Per branch in scope, for a year: talks held and the required pairs still missing."""

    permission_required = "activities.view_talk"
    template_name = "staff/activities/talk_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        if not 2000 <= year <= today.year:
            year = today.year
        branches = list(_branches(self.request.user)[:200])
        chosen = self.request.GET.get("org", "")
        selected = next((b for b in branches if str(b.pk) == chosen), None)
        shown = [selected] if selected else branches
        reports = compliance_for(shown, year, today)
        talks = (
            Talk.objects.visible_to(self.request.user)
            .in_year(year)
            .filter(organization__in=shown)
            .select_related("organization", "first", "second")[:50]
        )
        return {
            **super().get_context_data(**kwargs),
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "branches": branches,
            "selected": selected,
            "reports": [reports[b.pk] for b in shown],
            "talks": talks,
        }


class RecordTalkView(StaffView, ServiceFormMixin, FormView):
    permission_required = "activities.add_talk"
    template_name = "staff/activities/meeting_form.html"
    form_class = RecordTalkForm
    success_message = gettext_lazy("The talk is recorded.")

    def get_organization(self) -> Organization:
        return get_object_or_404(_branches(self.request.user), pk=self.kwargs["org_pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        organization = self.get_organization()
        members = Member.objects.current().filter(organization__path__startswith=organization.path)
        return {**super().get_form_kwargs(), "members": members}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "organization": self.get_organization(),
            "title": gettext_lazy("Record a heart-to-heart talk"),
        }

    def perform(self, form: RecordTalkForm) -> Talk:
        data = form.cleaned_data
        return record_talk(
            organization=self.get_organization(),
            first=data["first"],
            second=data["second"],
            held_on=data["held_on"],
            form=data["form"],
            topic=data["topic"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return f"{reverse('staff:talk-list')}?org={self.get_organization().pk}"
