"""我的评议: the member's part in their branch's yearly democratic appraisal — their own
self-assessment and a secret ballot grading the other graded members, once, within the window.

The ballot goes through `appraisal.services.ballots.cast_ballot`, which stores that the member
voted apart from what they voted; these pages show the member whether they voted, never what
anyone else voted, and their own grade only once the general meeting has decided it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import DomainError
from appraisal.models import Campaign, Grade, Participant, Turnout
from appraisal.services import ballots, campaigns
from selfservice.views.public import MemberView


def _open_for_ballots(campaign: Campaign) -> bool:
    today = timezone.localdate()
    return (
        not campaign.is_decided
        and campaign.paper_ballots is None
        and campaign.opens_on <= today <= campaign.closes_on
    )


class AppraisalListView(MemberView, TemplateView):
    """The appraisals the member took part in, newest first, with what is left for them to do."""

    template_name = "public/selfservice/appraisals.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = list(
            Participant.objects.filter(member=self.member)
            .select_related("campaign__organization")
            .order_by("-campaign__year")
        )
        voted = set(
            Turnout.objects.filter(
                voter=self.member, campaign__in=[p.campaign_id for p in mine]
            ).values_list("campaign_id", flat=True)
        )
        context["rows"] = [
            {
                "participant": p,
                "campaign": p.campaign,
                "open": _open_for_ballots(p.campaign) and p.can_vote,
                "voted": p.campaign_id in voted,
            }
            for p in mine
        ]
        return context


class CampaignView(MemberView, View):
    """One appraisal: the self-assessment form while the campaign is undecided, and the ballot
    while the window is open and the member has not voted."""

    template_name = "public/selfservice/appraisal.html"

    def get_participant(self, pk: int) -> Participant:
        return get_object_or_404(
            Participant.objects.filter(member=self.member).select_related("campaign__organization"),
            campaign_id=pk,
        )

    def page(self, participant: Participant, **extra: Any) -> dict[str, Any]:
        campaign = participant.campaign
        others = list(
            campaign.participants.graded()
            .exclude(member=self.member)
            .select_related("member")
            .order_by("member__full_name", "pk")
        )
        voted = ballots.has_voted(campaign, self.member)
        return {
            "participant": participant,
            "campaign": campaign,
            "others": others,
            "grades": Grade.choices,
            "may_vote": participant.can_vote and _open_for_ballots(campaign) and not voted,
            "voted": voted,
            "may_assess": not campaign.is_decided,
            "chosen": {},
            **extra,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = self.get_participant(pk)
        return render(request, self.template_name, self.page(participant))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = self.get_participant(pk)
        if request.POST.get("action") == "self_assessment":
            return self.assess(request, participant)
        return self.vote(request, participant)

    def assess(self, request: HttpRequest, participant: Participant) -> HttpResponse:
        text = request.POST.get("self_assessment", "")[:5000]
        try:
            if participant.campaign.is_decided:
                raise DomainError(_("The appraisal is decided; the self-assessment is closed."))
            campaigns.record_self_assessment(participant=participant, text=text, actor=request.user)
        except DomainError as refused:
            return render(
                request,
                self.template_name,
                self.page(participant, assess_error=refused.message, draft=text),
                status=400,
            )
        messages.success(request, _("Your self-assessment is saved."))
        return HttpResponseRedirect(reverse("public:me-appraisal", args=[participant.campaign_id]))

    def vote(self, request: HttpRequest, participant: Participant) -> HttpResponse:
        page = self.page(participant)
        chosen = {}
        for other in page["others"]:
            grade = request.POST.get(f"grade_{other.member_id}", "")
            if grade:
                chosen[other.member_id] = grade
        try:
            if len(chosen) != len(page["others"]):
                raise DomainError(_("Choose a grade for every member listed."))
            ballots.cast_ballot(participant.campaign, self.member, chosen, actor=request.user)
        except DomainError as refused:
            page.update(vote_error=refused.message, chosen=chosen)
            return render(request, self.template_name, page, status=400)
        messages.success(request, _("Your ballot is counted. Nobody can see what you voted."))
        return HttpResponseRedirect(reverse("public:me-appraisals"))
