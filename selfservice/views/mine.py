"""我的党费 and 我的积分: what the branch's books hold of the member — their dues base, bills,
reference codes and receipts; their points of the year with each entry's source, their total and
stars. Payments are recorded by the secretary, points derived from the records; the member
declares their own base here, and the secretary confirms it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.service_form import domain_errors_on
from dues import figures as dues_figures
from dues.forms import MemberDeclarationForm
from dues.services import bases
from points import rankings
from selfservice.views.public import MemberView


class DuesView(MemberView, TemplateView):
    template_name = "public/selfservice/dues.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member = self.member
        return {
            **super().get_context_data(**kwargs),
            "declaration_form": kwargs.get("declaration_form") or MemberDeclarationForm(),
            "declarations": member.dues_declarations.order_by("-declared_at", "-pk")[:3],
            "bases": member.dues_bases.order_by("-started_on")[:3],
            "bills": member.dues_bills.order_by("-month")[:24],
            "receipts": member.dues_receipts.order_by("-issued_on", "-pk")[:12],
            "paid_through": dues_figures.paid_through(member.pk, timezone.localdate()),
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        """The member declares their base; it waits for the secretary's confirmation."""
        form = MemberDeclarationForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                bases.submit_declaration(
                    actor=request.user, member=self.member, **form.cleaned_data
                )
                messages.success(request, _("Your declaration is sent to the branch's secretary."))
                return HttpResponseRedirect(request.path)
        context = self.get_context_data(declaration_form=form)
        return self.render_to_response(context, status=400)


class PointsView(MemberView, TemplateView):
    template_name = "public/selfservice/points.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year)
        lines, total = rankings.member_ledger(self.member, year)
        return {
            **super().get_context_data(**kwargs),
            "year": year,
            "years": range(today.year, max(today.year - 5, 1999), -1),
            "lines": lines[:200],
            "total": total,
            "standing": rankings.member_year(self.member, year),
        }
