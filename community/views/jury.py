"""The jury's scores page, shared by the workbench (staff of the campaign's sub-district) and
the resident site (the campaign's jury members, on their phones). Both call
`setup.record_jury_scores`, which keeps the window (weighted campaigns or those without a public
vote, after nominations close, until the results are published) and the jury (named jury
members, or staff managing the campaign, recorded as themselves). Each person writes and sees
only their own scores; staff also see the jury's average and how many scored."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.errors import DomainError
from accounts.service_form import form_error_from
from community.forms import JuryScoreForm
from community.models import Campaign, JuryScore, Nomination, NominationStatus
from community.services import setup


class JuryScoresBase(FormView):
    form_class = JuryScoreForm
    campaign: Campaign
    #: Staff see the jury's average and how many scored; a juror sees only their own scores.
    show_average = False

    def campaigns(self) -> QuerySet[Campaign]:
        raise NotImplementedError("a jury page says whose campaigns it shows")

    def done_url(self) -> str:
        raise NotImplementedError("a jury page says where to go next")

    def setup_campaign(self) -> None:
        self.campaign = get_object_or_404(self.campaigns(), pk=self.kwargs["pk"])
        nominations = Nomination.objects.filter(
            category__campaign=self.campaign, status=NominationStatus.ACCEPTED
        ).select_related("category")
        if self.show_average:
            nominations = nominations.with_jury()
        self.nominations = list(nominations.order_by("category_id", "pk"))
        self.own = dict(
            JuryScore.objects.filter(
                juror=self.request.user,
                nomination__category__campaign=self.campaign,
            ).values_list("nomination_id", "score")
        )
        try:
            setup.check_jury_can_score(self.campaign, timezone.now())
        except DomainError as refused:
            self.refusal: str | None = refused.message
        else:
            self.refusal = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_campaign()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_campaign()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "nominations": self.nominations,
            "own": self.own,
            "show_average": self.show_average,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(campaign=self.campaign, refusal=self.refusal)
        return context

    def form_valid(self, form: JuryScoreForm) -> HttpResponse:
        try:
            changed = setup.record_jury_scores(
                campaign=self.campaign, scores=form.scores(), juror=self.request.user
            )
        except DomainError as refused:
            form_error_from(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, _("%(count)d jury scores are saved.") % {"count": changed})
        return HttpResponseRedirect(self.done_url())
