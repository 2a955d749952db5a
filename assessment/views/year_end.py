"""Workbench pages of the year-end assessment (述职评议) and the letter to a co-building unit's
superior organisation. Staff open, rate and decide; a secretary writes their branch's report
and reads their branch's result. Rows through `visible_to` (404 out of scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.service_form import ServiceFormMixin, ServicePageMixin
from accounts.services import record_audit
from assessment import documents, forms
from assessment.models import AssessmentRound, BranchAssessment
from assessment.services import year_end
from assessment.views.staff import runs, sub_district_ids
from branches.models import CoBuildingUnit, SubDistrict

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


class RoundListView(StaffView, ListView):
    permission_required = "assessment.view_assessmentround"
    template_name = "staff/assessment/round_list.html"
    context_object_name = "rounds"
    paginate_by = 30

    def get_queryset(self) -> QuerySet[AssessmentRound]:
        return (
            AssessmentRound.objects.filter(sub_district_id__in=sub_district_ids(self.request.user))
            .select_related("sub_district")
            .order_by("-year", "sub_district__name")
        )


class RoundCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "assessment.add_assessmentround"
    template_name = "staff/assessment/form.html"
    form_class = forms.RoundForm
    success_message = gettext_lazy("The year-end assessment is open.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "sub_districts": SubDistrict.objects.visible_to(self.request.user),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "title": gettext_lazy("Open the year-end assessment"),
            "back_url": reverse("staff:assessment-rounds"),
        }

    def perform(self, form: forms.RoundForm) -> AssessmentRound:
        data = form.cleaned_data
        return year_end.open_round(
            sub_district=data["sub_district"],
            year=data["year"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            weights=(data["metrics_weight"], data["inspection_weight"], data["report_weight"]),
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:assessment-round", args=[self.result.pk])


def _round_for(user: Any, pk: int) -> AssessmentRound:
    return get_object_or_404(
        AssessmentRound.objects.filter(sub_district_id__in=sub_district_ids(user)).select_related(
            "sub_district"
        ),
        pk=pk,
    )


class RoundDetailView(StaffView, TemplateView):
    permission_required = "assessment.view_assessmentround"
    template_name = "staff/assessment/round_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        assessment_round = _round_for(user, self.kwargs["pk"])
        whole = runs(user, assessment_round.sub_district_id)
        branches = (
            BranchAssessment.objects.visible_to(user)
            .filter(round=assessment_round)
            .select_related("organization")
            .order_by("rank", "organization__name")
        )
        return {
            **super().get_context_data(**kwargs),
            "round": assessment_round,
            "branches": branches,
            "whole": whole,
            "turnout": assessment_round.turnout.count(),
            "representatives": assessment_round.representatives.count(),
            "is_representative": assessment_round.representatives.filter(user=user).exists(),
        }


class BranchStepView(StaffView, ServicePageMixin, FormView):
    template_name = "staff/assessment/form.html"
    model = BranchAssessment

    def back_url(self) -> str:
        return reverse("staff:assessment-round", args=[self.object.round_id])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subtitle"] = self.object.organization.name
        return context


class RecordReportView(BranchStepView):
    permission_required = "assessment.change_branchassessment"
    form_class = forms.ReportTextForm
    title = gettext_lazy("Secretary's report")
    success_message = gettext_lazy("The report is saved.")

    def get_initial(self) -> dict[str, Any]:
        return {"text": self.get_object().report_text}

    def perform(self, form: forms.ReportTextForm) -> BranchAssessment:
        return year_end.record_report(
            branch=self.get_object(), text=form.cleaned_data["text"], actor=self.request.user
        )


class CommitteeRatingView(BranchStepView):
    permission_required = "assessment.change_assessmentround"
    form_class = forms.CommitteeRatingForm
    title = gettext_lazy("The committee's rating")
    success_message = gettext_lazy("The rating is recorded.")

    def perform(self, form: forms.CommitteeRatingForm) -> BranchAssessment:
        return year_end.rate_by_committee(
            branch=self.get_object(), score=form.cleaned_data["score"], actor=self.request.user
        )


class DecideRoundView(StaffView, View):
    permission_required = "assessment.change_assessmentround"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment_round = get_object_or_404(
            AssessmentRound.objects.visible_to(request.user), pk=pk
        )
        try:
            year_end.decide_round(assessment_round=assessment_round, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, gettext_lazy("The assessment is decided."))
        return HttpResponseRedirect(reverse("staff:assessment-round", args=[pk]))


class BranchDocxView(StaffView, View):
    permission_required = "assessment.view_assessmentround"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        branch = get_object_or_404(
            BranchAssessment.objects.visible_to(request.user).select_related(
                "organization", "round__sub_district"
            ),
            pk=pk,
        )
        return _docx(
            documents.branch_report_docx(branch),
            f"assessment-{branch.round.year}-{branch.organization_id}.docx",
        )


class NoticeDocxView(StaffView, View):
    permission_required = "assessment.change_assessmentround"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment_round = get_object_or_404(
            AssessmentRound.objects.visible_to(request.user).select_related("sub_district"),
            pk=pk,
            decided_on__isnull=False,
        )
        return _docx(
            documents.ranked_notice_docx(assessment_round),
            f"assessment-notice-{assessment_round.year}.docx",
        )


class UnitLetterView(StaffView, FormView):
    """The letter to a co-building unit's superior organisation, as a DOCX download."""

    permission_required = "assessment.add_inspection"
    template_name = "staff/assessment/form.html"
    form_class = forms.UnitLetterForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "units": CoBuildingUnit.objects.visible_to(self.request.user).order_by("name"),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "title": gettext_lazy("Letter to a unit's superior organisation"),
            "back_url": reverse("staff:assessment-inspections"),
        }

    def form_valid(self, form: forms.UnitLetterForm) -> HttpResponse:
        data = form.cleaned_data
        unit = data["unit"]
        content = documents.unit_letter_docx(
            unit=unit,
            superior=data["superior"],
            failings=data["failings"],
            requested=data["requested"],
            reply_by=data["reply_by"],
            today=timezone.localdate(),
        )
        record_audit(actor=self.request.user, action="assessment.unit_letter", target=unit)
        return _docx(content, f"unit-letter-{unit.pk}.docx")


class BallotView(StaffView, ServicePageMixin, FormView):
    """A representative's secret ballot on the round's reports (one per representative)."""

    permission_required = "assessment.view_assessmentround"
    template_name = "staff/assessment/form.html"
    form_class = forms.BallotForm
    title = gettext_lazy("Rate the secretaries' reports")
    success_message = gettext_lazy("Your ballot is cast. Who gave which grade is never shown.")

    def get_object(self) -> AssessmentRound:
        if self.object is None:
            self.object = _round_for(self.request.user, self.kwargs["pk"])
            if not self.object.representatives.filter(user=self.request.user).exists():
                raise Http404
        return self.object

    def back_url(self) -> str:
        return reverse("staff:assessment-round", args=[self.object.pk])

    def get_form_kwargs(self) -> dict[str, Any]:
        branches = list(
            self.get_object().branches.select_related("organization").order_by("organization__path")
        )
        return {**super().get_form_kwargs(), "branches": branches}

    def perform(self, form: forms.BallotForm) -> AssessmentRound:
        year_end.cast_rating(
            assessment_round=self.get_object(), voter=self.request.user, grades=form.grades()
        )
        return self.object


class RemoveRepresentativeView(StaffView, View):
    """Take a representative named in error off the round (POST), as long as they have not
    rated (staff of the sub-district)."""

    permission_required = "assessment.change_assessmentround"

    def post(self, request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
        assessment_round = _round_for(request.user, pk)
        if not runs(request.user, assessment_round.sub_district_id):
            raise Http404
        named = get_object_or_404(
            assessment_round.representatives.select_related("user"), user_id=user_pk
        )
        try:
            year_end.remove_representative(
                assessment_round=assessment_round, user=named.user, actor=request.user
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, gettext("%(name)s is no longer a representative.") % {"name": named.user}
            )
        return HttpResponseRedirect(
            reverse("staff:assessment-round-representatives", args=[assessment_round.pk])
        )


class RepresentativesView(StaffView, ServiceFormMixin, FormView):
    """The round's representatives, and a form naming more (staff of the sub-district)."""

    permission_required = "assessment.change_assessmentround"
    template_name = "staff/assessment/representatives.html"
    form_class = forms.RepresentativesForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.round = _round_for(request.user, kwargs["pk"])
            if not runs(request.user, self.round.sub_district_id):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "round": self.round,
            "named": self.round.representatives.select_related("user").order_by(
                "user__full_name", "user__username"
            ),
        }

    def get_success_message(self) -> str:
        return gettext("%(n)d representatives added.") % {"n": self.result}

    def perform(self, form: forms.RepresentativesForm) -> int:
        return year_end.name_representatives(
            assessment_round=self.round,
            users=form.cleaned_data["people"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:assessment-round-representatives", args=[self.round.pk])
