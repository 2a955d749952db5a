"""Staff and secretary pages of elections: the list in scope, the form that records one (the
roster of the election day, as every meeting's record), and the record itself. Phone first: the
form is one column below 576 px."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from accounts.access import StaffView
from accounts.service_form import ServiceFormMixin
from activities import services as meeting_services
from activities.elections import services
from activities.elections.forms import ElectionForm
from activities.elections.models import Election
from activities.models import MeetingKind
from activities.views.staff import _roster_day
from branches.models import Organization
from members.models import Member


def elections_for(user: Any) -> QuerySet[Election]:
    return Election.objects.visible_to(user).select_related(
        "meeting", "meeting__organization", "term"
    )


class ElectionListView(StaffView, ListView):
    permission_required = "activities.view_election"
    template_name = "staff/activities/elections/election_list.html"
    context_object_name = "elections"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Election]:
        return elections_for(self.request.user).order_by("-meeting__held_on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organizations = (
            Organization.objects.visible_to(self.request.user)
            .active()
            .filter(kind__in=services.ELECTED_KINDS)
            .order_by("path")
        )
        return {
            **super().get_context_data(**kwargs),
            "organizations": organizations
            if self.request.user.has_perm("activities.add_election")
            else [],
        }


class ElectionCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = ("activities.add_election", "activities.add_meeting")
    template_name = "staff/activities/elections/election_form.html"
    form_class = ElectionForm
    success_message = gettext_lazy(
        "The election is recorded: the new committee term is open with its positions."
    )

    def get_organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                Organization.objects.visible_to(self.request.user)
                .active()
                .filter(kind__in=services.ELECTED_KINDS),
                pk=self.kwargs["org_pk"],
            )
        return self._organization

    def roster_day(self) -> Any:
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return _roster_day(data, timezone.localdate())

    def get_initial(self) -> dict[str, Any]:
        organization = self.get_organization()
        parent = organization.get_parent()
        return {
            "topic": gettext_lazy("Committee election"),
            "approved_by": parent.name if parent is not None else "",
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        organization = self.get_organization()
        members = Member.objects.current().filter(organization__path__startswith=organization.path)
        return {
            **super().get_form_kwargs(),
            "roster": meeting_services.expected_attendees(
                organization, kind=MeetingKind.ELECTION, day=self.roster_day()
            ),
            "members": members,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "organization": self.get_organization(),
            "roster_day": self.roster_day(),
        }

    def perform(self, form: ElectionForm) -> Election:
        return services.record_election(
            organization=self.get_organization(),
            data=form.election_input(),
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:election-detail", args=[self.result.pk])


class ElectionDetailView(StaffView, DetailView):
    permission_required = "activities.view_election"
    template_name = "staff/activities/elections/election_detail.html"
    context_object_name = "election"

    def get_queryset(self) -> QuerySet[Election]:
        return elections_for(self.request.user).select_related(
            "meeting__chair", "meeting__note_taker", "created_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        election = self.object
        return {
            **super().get_context_data(**kwargs),
            "candidates": election.candidates.all(),
            "absent": election.meeting.attendances.exclude(status="present"),
        }
