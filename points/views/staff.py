"""Workbench pages of member points: the overview of branches (staff), a branch's ranking (the
secretary's phone page), a member's ledger with each entry's source, manual awards and their
approval, entries waiting for approval, the rule table.

Every row comes through `visible_to(user)` (404 out of scope); every write goes to a service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Case, QuerySet, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.scope import scope_for
from accounts.service_form import ServiceFormMixin
from branches.models import Organization, SubDistrict
from config.periods import Period, period_containing
from members.models import Member
from points import documents, forms, rankings
from points.models import EVENT_LABELS, ManualAward, ManualAwardStatus, PointEntry, PointRule
from points.services import decisions


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year else today.year


def _years() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year, today.year - 5, -1))


class OverviewView(StaffView, TemplateView):
    """Branches ranked by star rating (支部创星) and average points for a year."""

    permission_required = "points.view_pointentry"
    template_name = "staff/points/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        context.update(
            year=year,
            years=_years(),
            rows=rankings.branches_ranked(Organization.objects.visible_to(self.request.user), year),
        )
        return context


class BranchRankingView(StaffView, TemplateView):
    """A branch's members ranked for a month, quarter or year, with the change since the period
    before (who dropped). Phone first."""

    permission_required = "points.view_pointentry"
    template_name = "staff/points/branch_ranking.html"
    model = Organization

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        branch = get_object_or_404(
            Organization.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        today = timezone.localdate()
        asked = self.request.GET.get("period")
        period: Period | None = rankings.parse_period(asked, today) if asked else None
        if asked and period is None:
            messages.error(
                self.request,
                _("Give the period as 2026-03 (a month), 2026Q1 (a quarter) or 2026 (a year)."),
            )
        period = period or period_containing(today, "month")
        rows = rankings.with_member_stars(
            list(rankings.branch_ranking(branch, period)), branch.sub_district_id
        )
        context.update(
            branch=branch,
            period=period,
            rows=rows,
            choices=[
                period_containing(today, "month"),
                rankings.previous(period_containing(today, "month")),
                period_containing(today, "quarter"),
                period_containing(today, "year"),
            ],
        )
        return context


class MemberLedgerView(StaffView, TemplateView):
    """A member's entries of a year, each with its source and a link to it."""

    permission_required = "points.view_pointentry"
    template_name = "staff/points/member_ledger.html"
    model = Member

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        member = get_object_or_404(
            Member.objects.visible_to(self.request.user).select_related("organization"),
            pk=self.kwargs["pk"],
        )
        year = _year(self.request)
        lines, total = rankings.member_ledger(member, year)
        context.update(
            member=member,
            year=year,
            years=_years(),
            lines=lines,
            total=total,
            summary=rankings.member_year(member, year),
            can_approve=self.request.user.has_perm("points.add_entryapproval"),
        )
        return context


class AwardListView(StaffView, ListView):
    """Manual awards and deductions: those waiting for a decision first."""

    permission_required = "points.view_manualaward"
    template_name = "staff/points/award_list.html"
    context_object_name = "awards"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[ManualAward]:
        return (
            ManualAward.objects.visible_to(self.request.user)
            .select_related("member", "proposed_by", "decided_by")
            .alias(waiting=Case(When(status=ManualAwardStatus.PENDING, then=0), default=1))
            .order_by("waiting", "-created_at", "-pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("points.add_manualaward")
        context["can_decide"] = self.request.user.has_perm("points.change_manualaward")
        context["pending"] = ManualAwardStatus.PENDING
        return context


class AwardCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "points.add_manualaward"
    template_name = "staff/points/form.html"
    form_class = forms.AwardForm
    success_message = gettext_lazy("The proposal is recorded; it counts once approved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        members = Member.objects.visible_to(self.request.user).current().order_by("full_name", "pk")
        return {**super().get_form_kwargs(), "members": members}

    def get_initial(self) -> dict[str, Any]:
        return {"day": timezone.localdate(), "member": self.request.GET.get("member")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("Propose an award or deduction")}

    def perform(self, form: forms.AwardForm) -> ManualAward:
        data = form.cleaned_data
        return decisions.propose_award(
            member=data["member"],
            day=data["day"],
            points=data["points"],
            reason=data["reason"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:points-award-list")


class AwardDecideView(StaffView, View):
    """POST: approve or reject a proposed award; a refusal is a message, nothing written."""

    permission_required = "points.change_manualaward"
    model = ManualAward

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        award = get_object_or_404(ManualAward.objects.visible_to(request.user), pk=pk)
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to approve or to reject."))
        else:
            try:
                decisions.decide_award(
                    award=award,
                    approve=form.cleaned_data["approve"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except DomainError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The decision is recorded."))
        return HttpResponseRedirect(reverse("staff:points-award-list"))


class ApprovalListView(StaffView, ListView):
    """Entries whose rule needs a person's approval (good deeds by default), not yet approved."""

    permission_required = "points.add_entryapproval"
    template_name = "staff/points/approvals.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[PointEntry]:
        return (
            PointEntry.objects.visible_to(self.request.user)
            .pending_approval()
            .select_related("member")
            .order_by("-day", "-pk")
        )


class EntryApproveView(StaffView, View):
    permission_required = "points.add_entryapproval"
    model = PointEntry

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(PointEntry.objects.visible_to(request.user), pk=pk)
        try:
            decisions.approve_entry(entry=entry, actor=request.user)
        except DomainError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Approved: the points count after the recomputation."))
        return HttpResponseRedirect(reverse("staff:points-approvals"))


class RuleTableView(StaffView, TemplateView):
    """The rule table of the sub-districts in scope: every dated row, the ones in force marked."""

    permission_required = "points.view_pointrule"
    template_name = "staff/points/rules.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = list(
            PointRule.objects.visible_to(self.request.user)
            .select_related("sub_district")
            .order_by("sub_district__name", "event", "-valid_from")
        )
        in_force = set(
            PointRule.objects.visible_to(self.request.user)
            .in_force_on(today)
            .values_list("pk", flat=True)
        )
        for row in rows:
            row.in_force = row.pk in in_force
            row.label = EVENT_LABELS.get(row.event, row.event)
        context.update(
            rules=rows,
            today=today,
            can_change=self.request.user.has_perm("points.add_pointrule"),
        )
        return context


class RuleCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "points.add_pointrule"
    template_name = "staff/points/form.html"
    form_class = forms.RuleForm
    success_message = gettext_lazy("The rule is saved; the points are being recomputed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        scope = scope_for(self.request.user)
        sub_districts = SubDistrict.objects.order_by("name")
        if not scope.everything:
            sub_districts = sub_districts.filter(pk__in=scope.sub_district_ids)
        return {**super().get_form_kwargs(), "sub_districts": sub_districts}

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {"valid_from": dt.date(today.year, today.month, 1)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("Change a point rule")}

    def form_valid(self, form: forms.RuleForm) -> HttpResponse:
        """「预览」: the branches' average points of the rule's year with and without it, from a
        dry run that writes nothing; 「保存」 saves as before."""
        if "preview" not in self.request.POST:
            return super().form_valid(form)
        data = form.cleaned_data
        try:
            preview = decisions.preview_rule(
                sub_district=data["sub_district"],
                year=data["valid_from"].year,
                event=data["event"],
                valid_from=data["valid_from"],
                points=data["points"],
                cap_month=data["cap_month"],
                cap_year=data["cap_year"],
                needs_approval=data["needs_approval"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(getattr(error, "field", None), str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        context = self.get_context_data(form=form, preview=preview)
        context["preview_year"] = data["valid_from"].year
        return self.render_to_response(context)

    def perform(self, form: forms.RuleForm) -> PointRule:
        data = form.cleaned_data
        return decisions.set_rule(
            sub_district=data["sub_district"],
            event=data["event"],
            valid_from=data["valid_from"],
            points=data["points"],
            cap_month=data["cap_month"],
            cap_year=data["cap_year"],
            needs_approval=data["needs_approval"],
            note=data["note"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:points-rules")


class BranchRegisterExportView(StaffView, View):
    """The branch's points register of a year (XLSX), in the scope of the user."""

    permission_required = "points.view_pointentry"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        branch = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
        year = _year(request)
        response = HttpResponse(documents.register_xlsx(branch, year), content_type=documents.XLSX)
        response["Content-Disposition"] = f'attachment; filename="points-register-{year}.xlsx"'
        return response
