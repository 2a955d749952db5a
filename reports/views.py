"""Staff pages of the report pack: ask for a report, watch it being built, read and download it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.access import RecentPasswordRequiredMixin, StaffView
from accounts.errors import DomainError
from accounts.service_form import ServiceFormMixin
from reports import services
from reports.forms import ExportRequestForm
from reports.models import ExportJob, JobStatus


def _jobs(user: Any) -> QuerySet[ExportJob]:
    return ExportJob.objects.visible_to(user).select_related(
        "sub_district", "organization", "committee", "requested_by"
    )


class ExportListView(StaffView, ListView):
    permission_required = "reports.view_exportjob"
    template_name = "staff/reports/export_list.html"
    context_object_name = "jobs"
    paginate_by = 30

    def get_queryset(self) -> QuerySet[ExportJob]:
        qs = _jobs(self.request.user).defer("figures")
        status = self.request.GET.get("status", "")
        if status in JobStatus.values:
            qs = qs.filter(status=status)
        year = self.request.GET.get("year", "")
        if year.isdigit():
            qs = qs.filter(year=int(year))
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            statuses=JobStatus.choices,
            status=self.request.GET.get("status", ""),
            year=self.request.GET.get("year", ""),
            can_request=self.request.user.has_perm("reports.add_exportjob"),
        )
        return context


class ExportRequestView(StaffView, ServiceFormMixin, FormView):
    permission_required = "reports.add_exportjob"
    template_name = "staff/reports/export_form.html"
    form_class = ExportRequestForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form: ExportRequestForm) -> tuple[ExportJob, bool]:
        data = form.cleaned_data
        return services.request_export(
            sub_district=data["sub_district"],
            organization=data["organization"],
            committee=data["committee"],
            year=data["year"],
            number=data["quarter"],
            format=data["format"],
            new_version=data["new_version"],
            actor=self.request.user,
        )

    def announce(self) -> None:
        job, created = self.result
        if created:
            messages.success(self.request, _("The report is being built."))
        else:
            messages.info(
                self.request,
                _("This report exists already (version %(version)s); here it is.")
                % {"version": job.version},
            )

    def get_success_url(self) -> str:
        job, _created = self.result
        return reverse("staff:report_detail", args=[job.pk])


class ExportDetailView(StaffView, DetailView):
    permission_required = "reports.view_exportjob"
    template_name = "staff/reports/export_detail.html"
    context_object_name = "job"

    def get_queryset(self) -> QuerySet[ExportJob]:
        return _jobs(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.object
        context.update(
            sections=(job.figures or {}).get("sections", []) if job.status == "done" else [],
            versions=_jobs(self.request.user)
            .defer("figures")
            .filter(
                kind=job.kind,
                scope_key=job.scope_key,
                year=job.year,
                quarter=job.quarter,
                format=job.format,
            )
            .order_by("-version"),
            can_request=self.request.user.has_perm("reports.add_exportjob"),
        )
        return context


class ExportStatusView(StaffView, View):
    """The job's progress as JSON, polled by the detail page while the report is built."""

    permission_required = "reports.view_exportjob"

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = get_object_or_404(_jobs(request.user).defer("figures"), pk=pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": job.progress,
                "finished": job.is_finished,
                "download_url": reverse("staff:report_download", args=[job.pk])
                if job.status == JobStatus.DONE
                else None,
            }
        )


class ExportRegenerateView(StaffView, View):
    permission_required = "reports.add_exportjob"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(_jobs(request.user).defer("figures"), pk=pk)
        try:
            new, _created = services.request_export(
                sub_district=job.sub_district,
                organization=job.organization,
                committee=job.committee,
                year=job.year,
                number=job.quarter,
                format=job.format,
                new_version=True,
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("staff:report_detail", pk=job.pk)
        messages.success(
            request, _("Version %(version)s is being built.") % {"version": new.version}
        )
        return redirect("staff:report_detail", pk=new.pk)


class ExportDownloadView(StaffView, RecentPasswordRequiredMixin, View):
    """The file, to who may still see the job (permission and scope are checked again now). The
    pack names members (who is behind the in-service quota), so it asks for the password again
    like every export of personal data."""

    permission_required = "reports.view_exportjob"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job = get_object_or_404(_jobs(request.user).defer("figures"), pk=pk)
        if job.status != JobStatus.DONE or not job.file:
            raise Http404(_("This report has no file to download."))
        services.record_download(job, request.user)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
