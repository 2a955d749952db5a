"""Pages of the regional committee's yearly work report: build and edit the draft, submit it,
download it (DOCX). The report is the sub-district staff's document: the permission is
`branches.*_workreport`, the committee comes from `visible_to`, so another sub-district's
committee is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.errors import DomainError
from accounts.service_form import domain_errors_on
from regional.exporters.work_report import report_sentences, work_report_docx
from regional.forms.joint import WorkReportForm
from regional.models import RegionalCommittee, WorkReport
from regional.services import work_report as services
from regional.views.joint import DOCX, JointView

MIN_YEAR, MAX_YEAR = 1949, 9998  # a URL's year outside these is no report (and no date)


class _ReportMixin:
    request: HttpRequest

    def committee(self, pk: int) -> RegionalCommittee:
        year = self.kwargs.get("year", 0)  # type: ignore[attr-defined]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise Http404
        return get_object_or_404(RegionalCommittee.objects.visible_to(self.request.user), pk=pk)

    def report(self, committee: RegionalCommittee, year: int) -> WorkReport | None:
        return (
            WorkReport.objects.visible_to(self.request.user)
            .filter(committee=committee, year=year)
            .select_related("submitted_by")
            .first()
        )


class WorkReportView(_ReportMixin, JointView, View):
    """The report of one committee for one year: figures (live while a draft), the generated
    sentences, and the narrative form; POST saves the draft (creating it on first save)."""

    permission_required = "regional.view_workreport"

    def _render(
        self, request: HttpRequest, committee: RegionalCommittee, year: int, form: Any = None
    ) -> HttpResponse:
        report = self.report(committee, year)
        if report is not None and report.is_frozen:
            figures = report.figures
        else:
            figures = services.assemble_figures(committee, year)
        can_edit = request.user.has_perm("regional.change_workreport") and not (
            report is not None and report.is_frozen
        )
        if form is None and can_edit:
            form = WorkReportForm(
                initial={
                    "dated": report.dated if report else timezone.localdate(),
                    "summary": report.summary if report else "",
                    "next_year_plan": report.next_year_plan if report else "",
                }
            )
        context = {
            "committee": committee,
            "year": year,
            "report": report,
            "figures": figures,
            "sentences": report_sentences(figures, year),
            "form": form if can_edit else None,
            "can_submit": can_edit and report is not None,
        }
        return render(request, "staff/regional/joint/work_report.html", context)

    def get(self, request: HttpRequest, pk: int, year: int) -> HttpResponse:
        return self._render(request, self.committee(pk), year)

    def post(self, request: HttpRequest, pk: int, year: int) -> HttpResponse:
        if not request.user.has_perm("regional.change_workreport"):
            raise PermissionDenied
        committee = self.committee(pk)
        form = WorkReportForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                services.save_work_report(
                    committee=committee, year=year, actor=request.user, **form.cleaned_data
                )
                messages.success(request, gettext_lazy("The draft report was saved."))
                return HttpResponseRedirect(reverse("staff:joint-work-report", args=[pk, year]))
        return self._render(request, committee, year, form)


class WorkReportSubmitView(_ReportMixin, JointView, View):
    permission_required = "regional.change_workreport"

    def post(self, request: HttpRequest, pk: int, year: int) -> HttpResponse:
        committee = self.committee(pk)
        report = self.report(committee, year)
        if report is None:
            messages.error(request, gettext_lazy("Save the draft before submitting it."))
        else:
            try:
                services.submit_work_report(report=report, actor=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, gettext_lazy("The report was submitted."))
        return HttpResponseRedirect(reverse("staff:joint-work-report", args=[pk, year]))


class WorkReportDocxView(_ReportMixin, JointView, View):
    """The printable report; the permission and the scope are checked on every download."""

    permission_required = "regional.view_workreport"

    def get(self, request: HttpRequest, pk: int, year: int) -> HttpResponse:
        report = self.report(self.committee(pk), year)
        if report is None:
            raise Http404
        response = HttpResponse(content_type=DOCX)
        work_report_docx(report, response)
        response["Content-Disposition"] = f'attachment; filename="work-report-{year}.docx"'
        return response
