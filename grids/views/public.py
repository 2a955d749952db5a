"""Phone pages of grid workers and members: my grids and households, today's daily report,
and a visit in three taps (my households → the household → save).

A grid worker (leader, worker, screening officer) sees only the grids they hold an open role
on; a member sees the households of their open 联系户 and 3+2+1 pairings. Anyone else gets the
empty page, never someone else's rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.service_form import form_error_from
from branches.models import Grid
from grids import forms, services
from grids.models import (
    AssistancePairing,
    ContactAssignment,
    GridRole,
    GridRoleKind,
    Household,
    ScreeningReport,
)
from members.binding.services import member_of


def my_households(user: Any) -> QuerySet[Household]:
    """Households of the grids `user` works on, or of the member's open links."""
    today = timezone.localdate()
    q = Q(pk__in=Household.objects.of_grid_worker(user).values("pk"))
    member = member_of(user)
    if member is not None:
        q |= Q(
            pk__in=ContactAssignment.objects.open_on(today)
            .filter(member=member)
            .values("household_id")
        )
        q |= Q(
            pk__in=AssistancePairing.objects.open_on(today)
            .filter(member=member)
            .values("household_id")
        )
    return Household.objects.filter(q)


def _report_grids(user: Any) -> list[Grid]:
    today = timezone.localdate()
    return list(
        Grid.objects.filter(
            pk__in=GridRole.objects.open_on(today)
            .filter(user=user, kind__in=[GridRoleKind.SCREENING_OFFICER, GridRoleKind.LEADER])
            .values("grid_id")
        )
        .select_related("community")
        .order_by("name")
    )


class GridHomeView(LoginRequiredMixin, View):
    template_name = "public/grids/home.html"

    def context(
        self, request: HttpRequest, report_form: forms.ScreeningReportForm | None = None
    ) -> dict[str, Any]:
        today = timezone.localdate()
        user = request.user
        report_grids = _report_grids(user)
        filed = {
            r.grid_id: r for r in ScreeningReport.objects.filter(day=today, grid__in=report_grids)
        }
        owing = [g for g in report_grids if g.pk not in filed]
        if report_form is None and owing:
            report_form = forms.ScreeningReportForm(grids=owing)
        query = request.GET.get("q", "")
        households = (
            my_households(user)
            .search(query)
            .select_related("compound", "building", "grid")
            .annotate(last_visit=Max("visits__visited_on"))
            .order_by("compound__name", "address", "pk")[:100]
        )
        return {
            "today": today,
            "report_grids": report_grids,
            "filed": [filed[g.pk] for g in report_grids if g.pk in filed],
            "report_form": report_form if owing or report_form is not None else None,
            "households": list(households),
            "query": query,
            "roles": list(
                GridRole.objects.open_on(today).filter(user=user).select_related("grid__community")
            ),
            "member": member_of(user),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        """File today's daily report."""
        grids = _report_grids(request.user)
        if not grids:
            raise PermissionDenied
        form = forms.ScreeningReportForm(request.POST, grids=grids)
        if form.is_valid():
            grid = next(g for g in grids if g.pk == form.cleaned_data["grid"])
            try:
                services.file_screening_report(
                    grid=grid,
                    officer=request.user,
                    day=timezone.localdate(),
                    nothing_found=form.cleaned_data["nothing_found"],
                    notes=form.cleaned_data["notes"],
                    dispute_kind=form.cleaned_data["dispute_kind"],
                    party_a=form.cleaned_data["party_a"],
                    party_b=form.cleaned_data["party_b"],
                )
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Today's report is filed."))
                return redirect("public:grid-home")
        return render(request, self.template_name, self.context(request, form), status=400)


class HouseholdVisitView(LoginRequiredMixin, View):
    template_name = "public/grids/visit.html"

    def household(self, request: HttpRequest, pk: int) -> Household:
        found = (
            my_households(request.user)
            .select_related("grid", "compound", "building")
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def render_page(
        self, request: HttpRequest, household: Household, form: forms.VisitForm, status: int = 200
    ) -> HttpResponse:
        visits = list(household.visits.select_related("member")[:5])
        return render(
            request,
            self.template_name,
            {"household": household, "form": form, "visits": visits},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.household(request, pk), forms.VisitForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        household = self.household(request, pk)
        form = forms.VisitForm(request.POST)
        if form.is_valid():
            try:
                services.record_household_visit(
                    household=household,
                    actor=request.user,
                    member=member_of(request.user),
                    visited_on=form.cleaned_data["visited_on"],
                    findings=form.cleaned_data["findings"],
                    help_given=form.cleaned_data["help_given"],
                )
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("public:grid-home")
        return self.render_page(request, household, form, status=400)
