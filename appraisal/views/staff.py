"""Staff and secretary pages of the democratic appraisal: the campaigns, one campaign with its
participants, turnout and tally, and the secretary's steps (paper tally, self-assessment, the
committee's grades, the general meeting's decision, follow-ups). Phone-first: one column of
cards below 576 px, no table wider than the screen."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.service_form import ServiceFormMixin, ServicePageMixin
from appraisal import forms
from appraisal.models import AppraisalSettings, Campaign, FollowUp, Grade, Participant
from appraisal.rules import excellent_cap
from appraisal.services import campaigns
from appraisal.services.ballots import tally, turnout
from branches.models import Organization, OrganizationKind


def _branches(user: Any) -> QuerySet[Organization]:
    return (
        Organization.objects.visible_to(user)
        .active()
        .filter(kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH])
        .order_by("path")
    )


class CampaignListView(StaffView, ListView):
    permission_required = "appraisal.view_campaign"
    template_name = "staff/appraisal/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 30

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.visible_to(self.request.user).select_related("organization")


class CampaignCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "appraisal.add_campaign"
    template_name = "staff/appraisal/form.html"
    form_class = forms.CampaignForm
    success_message = gettext_lazy("The appraisal is open.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "branches": _branches(self.request.user)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "title": gettext_lazy("Open a democratic appraisal"),
            "back_url": reverse("staff:appraisal-list"),
        }

    def perform(self, form: forms.CampaignForm) -> Campaign:
        data = form.cleaned_data
        return campaigns.open_campaign(
            organization=data["organization"],
            year=data["year"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:appraisal-detail", args=[self.result.pk])


class CampaignDetailView(StaffView, TemplateView):
    permission_required = "appraisal.view_campaign"
    template_name = "staff/appraisal/campaign_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        campaign = get_object_or_404(
            Campaign.objects.visible_to(self.request.user).select_related("organization"),
            pk=self.kwargs["pk"],
        )
        participants = list(
            campaign.participants.select_related("member", "follow_up").order_by(
                "-is_graded", "member__full_name"
            )
        )
        counted = tally(campaign)
        for participant in participants:
            received = counted.get(participant.pk, {})
            participant.tally = [(label, received.get(value, 0)) for value, label in Grade.choices]
        graded = sum(1 for p in participants if p.is_graded)
        local = AppraisalSettings.for_sub_district(campaign.organization.sub_district_id)
        today = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            "campaign": campaign,
            "participants": participants,
            "turnout": turnout(campaign),
            "grades": Grade.choices,
            "graded": graded,
            "cap": excellent_cap(graded, local.excellent_numerator, local.excellent_denominator),
            "local": local,
            "voting_open": not campaign.is_decided
            and campaign.opens_on <= today <= campaign.closes_on,
        }


class CampaignStepView(StaffView, ServicePageMixin, FormView):
    """A step on one campaign (found through `visible_to`: 404 out of scope)."""

    permission_required = "appraisal.change_campaign"
    template_name = "staff/appraisal/form.html"
    model = Campaign

    def back_url(self) -> str:
        return reverse("staff:appraisal-detail", args=[self.object.pk])

    def graded(self) -> list[Participant]:
        return list(
            self.get_object()
            .participants.graded()
            .select_related("member")
            .order_by("member__full_name")
        )


class PaperTallyView(CampaignStepView):
    form_class = forms.PaperTallyForm
    title = gettext_lazy("Enter the paper ballots")
    success_message = gettext_lazy("The paper ballots are counted.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "participants": self.graded()}

    def perform(self, form: forms.PaperTallyForm) -> Campaign:
        return campaigns.record_paper_tally(
            campaign=self.get_object(),
            ballots=form.cleaned_data["ballots"],
            counts=form.counts(),
            actor=self.request.user,
        )


class ProposeGradesView(CampaignStepView):
    form_class = forms.GradesForm
    title = gettext_lazy("The committee's proposed grades")
    success_message = gettext_lazy("The committee's proposal is recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "participants": self.graded(),
            "date_field": "proposed_on",
            "date_label": gettext_lazy("Committee met on"),
            "submit": gettext_lazy("Record the proposal"),
            "initial_from": "proposed_grade",
        }

    def perform(self, form: forms.GradesForm) -> Campaign:
        return campaigns.propose_grades(
            campaign=self.get_object(),
            grades=form.grades(),
            proposed_on=form.cleaned_data["proposed_on"],
            actor=self.request.user,
        )


class DecideGradesView(CampaignStepView):
    form_class = forms.GradesForm
    title = gettext_lazy("The general meeting's decision")
    success_message = gettext_lazy("The grades are decided.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "participants": self.graded(),
            "date_field": "decided_on",
            "date_label": gettext_lazy("General meeting held on"),
            "submit": gettext_lazy("Record the decision"),
            "initial_from": "proposed_grade",
        }

    def perform(self, form: forms.GradesForm) -> Campaign:
        return campaigns.decide_grades(
            campaign=self.get_object(),
            grades=form.grades(),
            decided_on=form.cleaned_data["decided_on"],
            actor=self.request.user,
        )


class SelfAssessmentView(StaffView, ServicePageMixin, FormView):
    permission_required = "appraisal.change_campaign"
    template_name = "staff/appraisal/form.html"
    form_class = forms.SelfAssessmentForm
    model = Participant
    title = gettext_lazy("Self-assessment")
    success_message = gettext_lazy("The self-assessment is saved.")

    def back_url(self) -> str:
        return reverse("staff:appraisal-detail", args=[self.object.campaign_id])

    def get_initial(self) -> dict[str, Any]:
        return {"text": self.get_object().self_assessment}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.object.member.full_name
        return context

    def perform(self, form: forms.SelfAssessmentForm) -> Participant:
        return campaigns.record_self_assessment(
            participant=self.get_object(), text=form.cleaned_data["text"], actor=self.request.user
        )


class CloseFollowUpView(StaffView, ServicePageMixin, FormView):
    permission_required = "appraisal.change_campaign"
    template_name = "staff/appraisal/form.html"
    form_class = forms.CloseFollowUpForm
    model = FollowUp
    title = gettext_lazy("Close the follow-up of an unqualified grade")
    success_message = gettext_lazy("The follow-up is closed.")

    def back_url(self) -> str:
        return reverse("staff:appraisal-detail", args=[self.object.participant.campaign_id])

    def perform(self, form: forms.CloseFollowUpForm) -> FollowUp:
        return campaigns.close_follow_up(
            follow_up=self.get_object(),
            outcome=form.cleaned_data["outcome"],
            closed_on=form.cleaned_data["closed_on"],
            actor=self.request.user,
        )
