"""Workbench pages of targets, the weekly ranking and inspections.

Sub-district staff plan, inspect, review and publish for their sub-district. A secretary sees the
plans of their sub-district with the figures of their own branch only, the published rankings of
their sub-district, the inspections of their own branch, and submits their reports and evidence.
Every row comes through `visible_to` (404 out of scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.models import User
from accounts.scope import scope_for
from accounts.service_form import ServiceFormMixin, ServicePageMixin
from assessment import forms
from assessment.models import (
    Checklist,
    Inspection,
    Plan,
    RankingRow,
    RankingWeek,
    Rectification,
    RectificationStatus,
    ReportStatus,
    Target,
    TargetReport,
)
from assessment.progress import by_owner, plan_progress
from assessment.ranking import week_of, weekly_ranking
from assessment.services import inspections, targets
from branches.models import Organization, OrganizationKind, SubDistrict

BRANCH_KINDS = [OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH]


def visible_branches(user: Any) -> QuerySet[Organization]:
    return (
        Organization.objects.visible_to(user)
        .active()
        .filter(kind__in=BRANCH_KINDS)
        .order_by("path")
    )


def sub_district_ids(user: Any) -> set[int]:
    """The sub-districts a user works in: staff theirs, a secretary their branch's."""
    return set(
        Organization.objects.visible_to(user).values_list("sub_district_id", flat=True).distinct()
    )


def runs(user: Any, sub_district_id: int) -> bool:
    """Whether `user` works for the whole sub-district (staff), not one branch."""
    scope = scope_for(user)
    return scope.everything or sub_district_id in scope.sub_district_ids


def _owners(sub_district_id: int) -> QuerySet[User]:
    """Who may own a target or a rectification: active people with a role in the
    sub-district (staff of it, secretaries of its organisations)."""
    in_sub_district = Q(role_assignments__sub_district_id=sub_district_id) | Q(
        role_assignments__organization__sub_district_id=sub_district_id
    )
    return (
        User.objects.filter(in_sub_district, is_active=True, role_assignments__is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


# --- plans and targets ------------------------------------------------------------------------


class PlanListView(StaffView, ListView):
    permission_required = "assessment.view_plan"
    template_name = "staff/assessment/plan_list.html"
    context_object_name = "plans"
    paginate_by = 30

    def get_queryset(self) -> QuerySet[Plan]:
        return (
            Plan.objects.filter(sub_district_id__in=sub_district_ids(self.request.user))
            .select_related("sub_district")
            .order_by("-year", "sub_district__name")
        )


class PlanCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "assessment.add_plan"
    template_name = "staff/assessment/form.html"
    form_class = forms.PlanForm
    success_message = gettext_lazy("The plan is created. Add its targets.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "sub_districts": SubDistrict.objects.visible_to(self.request.user),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "title": gettext_lazy("New target plan"),
            "back_url": reverse("staff:assessment-plans"),
        }

    def perform(self, form: forms.PlanForm) -> Plan:
        data = form.cleaned_data
        return targets.create_plan(
            sub_district=data["sub_district"],
            year=data["year"],
            title=data["title"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:assessment-plan", args=[self.result.pk])


def _plan_for(user: Any, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.filter(sub_district_id__in=sub_district_ids(user)).select_related(
            "sub_district"
        ),
        pk=pk,
    )


class PlanDetailView(StaffView, TemplateView):
    """The plan's targets with their progress and traffic lights, and progress per owner. A
    secretary sees the targets that cover their branch, with their branch's figures only."""

    permission_required = "assessment.view_plan"
    template_name = "staff/assessment/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        plan = _plan_for(user, self.kwargs["pk"])
        whole = runs(user, plan.sub_district_id)
        branch_ids = None if whole else set(visible_branches(user).values_list("pk", flat=True))
        items = list(plan.targets.select_related("owner", "organization"))
        progress = plan_progress(plan, items, timezone.localdate(), branch_ids=branch_ids)
        if not whole:
            progress = [p for p in progress if p.figures or p.target.owner_id == user.pk]
        pending = TargetReport.objects.filter(
            target__plan=plan, status=ReportStatus.PENDING
        ).select_related("target", "submitted_by")
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "progress": progress,
            "owners": by_owner(progress),
            "weights": sum(t.weight for t in items),
            "whole": whole,
            "pending": list(pending) if whole else [],
        }


class PlanStepView(StaffView, ServicePageMixin, FormView):
    template_name = "staff/assessment/form.html"
    model = Plan

    def get_object(self) -> Plan:
        if self.object is None:
            self.object = get_object_or_404(
                Plan.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self.object

    def back_url(self) -> str:
        return reverse("staff:assessment-plan", args=[self.object.pk])


class TargetCreateView(PlanStepView):
    permission_required = "assessment.add_target"
    form_class = forms.TargetForm
    title = gettext_lazy("Add a target")
    success_message = gettext_lazy("The target is added.")

    def get_form_kwargs(self) -> dict[str, Any]:
        plan = self.get_object()
        return {
            **super().get_form_kwargs(),
            "branches": visible_branches(self.request.user).filter(
                sub_district_id=plan.sub_district_id
            ),
            "owners": _owners(plan.sub_district_id),
        }

    def perform(self, form: forms.TargetForm) -> Target:
        data = form.cleaned_data
        return targets.add_target(
            plan=self.get_object(),
            title=data["title"],
            owner=data["owner"],
            deadline=data["deadline"],
            weight=data["weight"],
            goal=data["goal"],
            metric=data["metric"],
            organization=data["organization"],
            sector=data["sector"],
            actor=self.request.user,
        )


class AdoptPlanView(StaffView, View):
    permission_required = "assessment.change_plan"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
        try:
            targets.adopt_plan(plan=plan, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, gettext_lazy("The plan is adopted."))
        return HttpResponseRedirect(reverse("staff:assessment-plan", args=[pk]))


class ReportView(StaffView, ServicePageMixin, FormView):
    """The owner's report on a target measured by report (found among the targets of the
    plans the user works in)."""

    permission_required = "assessment.add_targetreport"
    template_name = "staff/assessment/form.html"
    form_class = forms.ReportForm
    title = gettext_lazy("Report on the target")
    success_message = gettext_lazy("The report is submitted for review.")

    def get_object(self) -> Target:
        if self.object is None:
            self.object = get_object_or_404(
                Target.objects.filter(
                    plan__sub_district_id__in=sub_district_ids(self.request.user),
                    owner=self.request.user,
                ),
                pk=self.kwargs["pk"],
            )
        return self.object

    def back_url(self) -> str:
        return reverse("staff:assessment-plan", args=[self.object.plan_id])

    def perform(self, form: forms.ReportForm) -> TargetReport:
        data = form.cleaned_data
        return targets.submit_report(
            target=self.get_object(),
            value=data["value"],
            text=data["text"],
            evidence=data["evidence"],
            actor=self.request.user,
        )


class ReviewReportView(StaffView, ServicePageMixin, FormView):
    permission_required = "assessment.change_targetreport"
    template_name = "staff/assessment/form.html"
    form_class = forms.ReviewForm
    model = TargetReport
    title = gettext_lazy("Review the report")
    success_message = gettext_lazy("The review is recorded.")

    def back_url(self) -> str:
        return reverse("staff:assessment-plan", args=[self.object.target.plan_id])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subtitle"] = f"{self.object.target} · {self.object.value} · {self.object.text}"
        return context

    def perform(self, form: forms.ReviewForm) -> TargetReport:
        return targets.review_report(
            report=self.get_object(),
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
            actor=self.request.user,
        )


# --- the weekly ranking -----------------------------------------------------------------------


class RankingView(StaffView, TemplateView):
    """Staff see any past week's ranking as the records stand (and publish it); a secretary sees
    the weeks published for their sub-district."""

    permission_required = "assessment.view_rankingweek"
    template_name = "staff/assessment/ranking.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        scope = scope_for(user)
        staff_of = (
            set(SubDistrict.objects.values_list("pk", flat=True))
            if scope.everything
            else set(scope.sub_district_ids)
        )
        today = timezone.localdate()
        try:
            week = week_of(dt.date.fromisoformat(self.request.GET.get("week", "")))
        except ValueError:
            week = week_of(today) - dt.timedelta(days=7)
        live = (
            weekly_ranking(Organization.objects.filter(sub_district_id__in=staff_of), week)
            if staff_of
            else []
        )
        published = list(
            RankingWeek.objects.published()
            .filter(sub_district_id__in=sub_district_ids(user))
            .select_related("sub_district")
            .prefetch_related(
                Prefetch(
                    "rows",
                    queryset=RankingRow.objects.select_related("organization").order_by(
                        "rank", "organization__name"
                    ),
                )
            )
            .order_by("-week_start")[:4]
        )
        return {
            **super().get_context_data(**kwargs),
            "week": week,
            "week_end": week + dt.timedelta(days=6),
            "previous": week - dt.timedelta(days=7),
            "next": week + dt.timedelta(days=7) if week + dt.timedelta(days=13) < today else None,
            "live": live,
            "published": published,
            "can_publish": bool(staff_of) and user.has_perm("assessment.add_rankingweek"),
            "publish_form": forms.PublishForm(initial={"week_start": week}),
        }


class PublishRankingView(StaffView, View):
    permission_required = "assessment.add_rankingweek"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.PublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext_lazy("Enter the Monday of the week."))
            return HttpResponseRedirect(reverse("staff:assessment-ranking"))
        week = form.cleaned_data["week_start"]
        for sub_district in SubDistrict.objects.visible_to(request.user):
            try:
                targets.publish_ranking(
                    sub_district=sub_district, week_start=week, actor=request.user
                )
            except DomainError as refused:
                messages.error(request, f"{sub_district}: {refused.message}")
            else:
                messages.success(
                    request, gettext_lazy("The ranking is published to the secretaries.")
                )
        return HttpResponseRedirect(
            reverse("staff:assessment-ranking") + f"?week={week.isoformat()}"
        )


# --- inspections --------------------------------------------------------------------------------


class InspectionListView(StaffView, ListView):
    permission_required = "assessment.view_inspection"
    template_name = "staff/assessment/inspection_list.html"
    context_object_name = "inspections"
    paginate_by = 30

    def get_queryset(self) -> QuerySet[Inspection]:
        rows = Inspection.objects.visible_to(self.request.user).select_related(
            "organization", "checklist"
        )
        query = self.request.GET.get("q", "").strip()
        if query:
            rows = rows.filter(organization__name__icontains=query)
        return rows.order_by("-visited_on", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "query": self.request.GET.get("q", ""),
            "checklists": Checklist.objects.visible_to(user).order_by("title")
            if user.has_perm("assessment.add_inspection")
            else [],
            "my_rectifications": Rectification.objects.visible_to(user)
            .open()
            .filter(owner=user)
            .select_related("inspection__organization")
            .order_by("deadline")[:20],
        }


class InspectionCreateView(StaffView, ServicePageMixin, FormView):
    permission_required = "assessment.add_inspection"
    template_name = "staff/assessment/form.html"
    form_class = forms.InspectionForm
    model = Checklist
    title = gettext_lazy("Record an inspection")
    success_message = gettext_lazy("The inspection is recorded.")

    def back_url(self) -> str:
        return reverse("staff:assessment-inspections")

    def get_form_kwargs(self) -> dict[str, Any]:
        checklist = self.get_object()
        return {
            **super().get_form_kwargs(),
            "checklist": checklist,
            "branches": visible_branches(self.request.user).filter(
                sub_district_id=checklist.sub_district_id
            ),
        }

    def perform(self, form: forms.InspectionForm) -> Inspection:
        data = form.cleaned_data
        return inspections.record_inspection(
            checklist=self.get_object(),
            organization=data["organization"],
            visited_on=data["visited_on"],
            inspectors=data["inspectors"],
            summary=data["summary"],
            scores=form.scores(),
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:assessment-inspection", args=[self.result.pk])


class InspectionDetailView(StaffView, TemplateView):
    permission_required = "assessment.view_inspection"
    template_name = "staff/assessment/inspection_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        inspection = get_object_or_404(
            Inspection.objects.visible_to(self.request.user).select_related(
                "organization", "checklist"
            ),
            pk=self.kwargs["pk"],
        )
        return {
            **super().get_context_data(**kwargs),
            "inspection": inspection,
            "findings": inspection.findings.select_related("item"),
            "rectifications": inspection.rectifications.select_related("owner").order_by(
                "deadline", "pk"
            ),
            "today": timezone.localdate(),
            "statuses": RectificationStatus,
        }


class RectificationCreateView(StaffView, ServicePageMixin, FormView):
    permission_required = "assessment.add_rectification"
    template_name = "staff/assessment/form.html"
    form_class = forms.RectificationForm
    model = Inspection
    title = gettext_lazy("Add a rectification")
    success_message = gettext_lazy("The rectification is added.")

    def back_url(self) -> str:
        return reverse("staff:assessment-inspection", args=[self.object.pk])

    def get_form_kwargs(self) -> dict[str, Any]:
        inspection = self.get_object()
        return {
            **super().get_form_kwargs(),
            "inspection": inspection,
            "owners": _owners(inspection.organization.sub_district_id),
        }

    def perform(self, form: forms.RectificationForm) -> Rectification:
        data = form.cleaned_data
        return inspections.add_rectification(
            inspection=self.get_object(),
            description=data["description"],
            owner=data["owner"],
            deadline=data["deadline"],
            actor=self.request.user,
        )


class EvidenceView(StaffView, ServicePageMixin, FormView):
    permission_required = "assessment.view_rectification"
    template_name = "staff/assessment/form.html"
    form_class = forms.EvidenceForm
    model = Rectification
    title = gettext_lazy("Submit the evidence of rectification")
    success_message = gettext_lazy("The evidence is submitted for review.")

    def back_url(self) -> str:
        return reverse("staff:assessment-inspection", args=[self.object.inspection_id])

    def perform(self, form: forms.EvidenceForm) -> Rectification:
        return inspections.submit_evidence(
            item=self.get_object(),
            text=form.cleaned_data["text"],
            evidence=form.cleaned_data["evidence"],
            actor=self.request.user,
        )


class ReviewRectificationView(StaffView, ServicePageMixin, FormView):
    permission_required = "assessment.change_rectification"
    template_name = "staff/assessment/form.html"
    form_class = forms.ReviewForm
    model = Rectification
    title = gettext_lazy("Review the evidence of rectification")
    success_message = gettext_lazy("The review is recorded.")

    def back_url(self) -> str:
        return reverse("staff:assessment-inspection", args=[self.object.inspection_id])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subtitle"] = f"{self.object.description} · {self.object.evidence_text}"
        return context

    def perform(self, form: forms.ReviewForm) -> Rectification:
        return inspections.review_rectification(
            item=self.get_object(),
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
            actor=self.request.user,
        )
