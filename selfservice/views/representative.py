"""我的述职评议: a representative (a member or a resident the sub-district named for the year-end
assessment) rates the secretaries' reports on their phone — one secret ballot per round, in the
rating window.

The ballot goes through `assessment.services.year_end.cast_rating`, which stores that the
representative rated apart from what they gave (ADR 0009, as the appraisal's ballot): these pages
show whether they rated, never what anyone gave. A round they do not represent is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import DomainError
from assessment.models import AssessmentRound, RepresentativeTurnout, YearGrade
from assessment.services import year_end
from members.binding import services as binding
from selfservice.representation import rating_open, represented_by
from selfservice.views.public import SignedInView


class RoundListView(SignedInView, TemplateView):
    """The year-end assessments the account represents, with what is left to do."""

    template_name = "public/selfservice/assessment_rounds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rounds = list(represented_by(user))
        voted = set(
            RepresentativeTurnout.objects.filter(voter=user, round__in=rounds).values_list(
                "round_id", flat=True
            )
        )
        context["user_is_member"] = binding.member_of(user) is not None
        context["rows"] = [
            {"round": r, "open": rating_open(r), "voted": r.pk in voted} for r in rounds
        ]
        return context


class BallotView(SignedInView, View):
    """One round: the branches' reports and a grade for each, while the window is open and the
    representative has not rated."""

    template_name = "public/selfservice/assessment_ballot.html"

    def get_round(self, pk: int) -> AssessmentRound:
        return get_object_or_404(represented_by(self.request.user), pk=pk)

    def page(self, assessment_round: AssessmentRound, **extra: Any) -> dict[str, Any]:
        voted = RepresentativeTurnout.objects.filter(
            round=assessment_round, voter=self.request.user
        ).exists()
        branches = list(
            assessment_round.branches.select_related("organization").order_by("organization__path")
        )
        return {
            "round": assessment_round,
            "branches": branches,
            "grades": YearGrade.choices,
            "voted": voted,
            "may_vote": rating_open(assessment_round) and not voted,
            "chosen": {},
            **extra,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.page(self.get_round(pk)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment_round = self.get_round(pk)
        page = self.page(assessment_round)
        chosen = {}
        for branch in page["branches"]:
            grade = request.POST.get(f"grade_{branch.pk}", "")
            if grade:
                chosen[branch.pk] = grade
        try:
            if len(chosen) != len(page["branches"]):
                raise DomainError(_("Choose a grade for every branch listed."))
            year_end.cast_rating(
                assessment_round=assessment_round, voter=request.user, grades=chosen
            )
        except DomainError as refused:
            page.update(vote_error=refused.message, chosen=chosen)
            return render(request, self.template_name, page, status=refused.status_code)
        messages.success(request, _("Your ballot is cast. Who gave which grade is never shown."))
        return HttpResponseRedirect(reverse("public:me-assessment-rounds"))
