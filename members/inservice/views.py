"""Workbench pages of in-service members registered in communities: registrations (one, in bulk,
from a file), the needs list and claims, services and their review, who is behind this quarter,
and the quarter's feedback letters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.service_form import ServiceFormMixin
from config.celery import send_after_commit
from config.periods import Period, quarter
from members import importjobs
from members.errors import ImportRejected
from members.inservice import services as inservice
from members.inservice.forms import (
    BulkRegistrationForm,
    ClaimForm,
    EndRegistrationForm,
    NeedForm,
    QuarterForm,
    RegistrationForm,
    RegistrationImportForm,
    ReviewForm,
    ServiceForm,
    reachable_communities,
)
from members.models import (
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    FeedbackLetter,
    ImportJobKind,
    ReviewStatus,
)
from members.querysets import managed_communities


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def chosen_quarter(request: HttpRequest) -> Period:
    """The quarter of `?year=&quarter=`, the current one when absent or invalid."""
    form = QuarterForm(request.GET)
    if form.is_valid():
        return quarter(form.cleaned_data["year"], form.cleaned_data["quarter"])
    return inservice.current_quarter()


class RegistrationListView(StaffView, ListView):
    permission_required = "members.view_communityregistration"
    template_name = "staff/members/inservice/registration_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Any]:
        qs = CommunityRegistration.objects.visible_to(self.request.user).select_related(
            "member", "community", "employer_organization"
        )
        self.community_id = _int(self.request.GET.get("community"))
        if self.community_id:
            qs = qs.filter(community_id=self.community_id)
        self.show_ended = self.request.GET.get("ended") == "1"
        if not self.show_ended:
            qs = qs.active()
        text = self.request.GET.get("q", "").strip()
        if text:
            qs = qs.filter(member__full_name__icontains=text)
        return qs.order_by("community__name", "member__full_name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "communities": reachable_communities(self.request.user),
            "community_id": self.community_id,
            "show_ended": self.show_ended,
            "q": self.request.GET.get("q", ""),
            "end_form": EndRegistrationForm(initial={"ended_on": timezone.localdate()}),
        }


class RegistrationCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "members.add_communityregistration"
    template_name = "staff/members/inservice/registration_form.html"
    form_class = RegistrationForm
    success_message = gettext_lazy("The member is registered with the community.")
    success_url = reverse_lazy("staff:registration-list")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"registered_on": timezone.localdate()}

    def perform(self, form: RegistrationForm) -> Any:
        return inservice.register_member(actor=self.request.user, **form.cleaned_data)


class RegistrationBulkView(StaffView, View):
    """Two forms on one page: pick members from the roll, or upload an XLSX; all or nothing."""

    permission_required = "members.add_communityregistration"
    template_name = "staff/members/inservice/registration_bulk.html"

    def render(self, request: HttpRequest, **context: Any) -> HttpResponse:
        context.setdefault(
            "form",
            BulkRegistrationForm(
                user=request.user, initial={"registered_on": timezone.localdate()}
            ),
        )
        context.setdefault("import_form", RegistrationImportForm(user=request.user))
        status = context.pop("status", 200)
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if "file" in request.FILES or request.POST.get("mode") == "file":
            form = RegistrationImportForm(request.POST, request.FILES, user=request.user)
            if not form.is_valid():
                return self.render(request, import_form=form)
            upload = form.cleaned_data["file"]
            employer = {
                "employer_name": form.cleaned_data["employer_name"],
                "employer_unit": form.cleaned_data["employer_unit"],
                "employer_organization": form.cleaned_data["employer_organization"],
            }
            try:
                # A large file goes to a worker; the request only reads enough rows to know.
                if importjobs.needs_job(
                    upload, name=upload.name, width=len(inservice.BULK_HEADINGS)
                ):
                    job = importjobs.queue_import(
                        actor=request.user,
                        kind=ImportJobKind.REGISTRATIONS,
                        upload=upload,
                        name=upload.name,
                        params={
                            key: getattr(value, "pk", value) for key, value in employer.items()
                        },
                    )
                    return redirect("staff:member-import-job", pk=job.pk)
                done = inservice.import_registrations(
                    actor=request.user,
                    upload=upload,
                    size=upload.size,
                    name=upload.name,
                    employer_name=form.cleaned_data["employer_name"],
                    employer_unit=form.cleaned_data["employer_unit"],
                    employer_organization=form.cleaned_data["employer_organization"],
                )
            except ImportRejected as exc:
                return self.render(
                    request, import_form=form, error=exc.message, errors=exc.errors, status=400
                )
        else:
            form = BulkRegistrationForm(request.POST, user=request.user)
            if not form.is_valid():
                return self.render(request, form=form)
            data = form.cleaned_data
            try:
                done = inservice.register_members_in_bulk(
                    actor=request.user,
                    members=list(data["members"]),
                    community=data["community"],
                    registered_on=data["registered_on"],
                    employer_name=data["employer_name"],
                    employer_unit=data["employer_unit"],
                    employer_organization=data["employer_organization"],
                )
            except ImportRejected as exc:
                return self.render(request, form=form, error=exc.message, errors=exc.errors)
        messages.success(
            request,
            _("%(count)d members registered with their communities.") % {"count": len(done)},
        )
        return redirect("staff:registration-list")


class RegistrationTemplateView(StaffView, View):
    permission_required = "members.add_communityregistration"

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            inservice.bulk_template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="community-registration.xlsx"'
        return response


class RegistrationEndView(StaffView, View):
    permission_required = "members.change_communityregistration"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = get_object_or_404(
            CommunityRegistration.objects.visible_to(request.user), pk=pk
        )
        form = EndRegistrationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the end date."))
            return redirect("staff:registration-list")
        try:
            inservice.end_registration(
                actor=request.user, registration=registration, **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The registration has ended."))
        return redirect("staff:registration-list")


class NeedListView(StaffView, ListView):
    permission_required = "members.view_communityneed"
    template_name = "staff/members/inservice/need_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Any]:
        qs = CommunityNeed.objects.visible_to(self.request.user).select_related("community")
        self.show_all = self.request.GET.get("all") == "1"
        if not self.show_all:
            qs = qs.open().filter(needed_by__gte=timezone.localdate())
        return qs.order_by("needed_by", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "show_all": self.show_all}


class NeedCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "members.add_communityneed"
    template_name = "staff/members/inservice/need_form.html"
    form_class = NeedForm
    success_message = gettext_lazy("The need is on the community's list.")
    success_url = reverse_lazy("staff:community-need-list")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form: NeedForm) -> Any:
        return inservice.post_need(actor=self.request.user, **form.cleaned_data)


class NeedDetailView(StaffView, View):
    """A need, its claims, and a form to claim a place for a registered member."""

    permission_required = "members.view_communityneed"
    template_name = "staff/members/inservice/need_detail.html"

    def get_need(self, request: HttpRequest, pk: int) -> CommunityNeed:
        return get_object_or_404(
            CommunityNeed.objects.visible_to(request.user).select_related("community"), pk=pk
        )

    def get(self, request: HttpRequest, pk: int, form: ClaimForm | None = None) -> HttpResponse:
        need = self.get_need(request, pk)
        claims = need.claims.select_related("registration__member").order_by("created_at")
        return render(
            request,
            self.template_name,
            {
                "need": need,
                "claims": claims,
                "form": form or ClaimForm(user=request.user, need=need),
            },
            status=400 if form is not None else 200,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("members.add_needclaim"):
            raise Http404
        need = self.get_need(request, pk)
        form = ClaimForm(request.POST, user=request.user, need=need)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        try:
            inservice.claim_need(
                actor=request.user, need=need, registration=form.cleaned_data["registration"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Place claimed."))
        return redirect("staff:community-need-detail", need.pk)


class ServiceListView(StaffView, ListView):
    permission_required = "members.view_communityservice"
    template_name = "staff/members/inservice/service_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Any]:
        qs = CommunityService.objects.visible_to(self.request.user).select_related(
            "member", "community", "need", "reviewed_by"
        )
        self.status = self.request.GET.get("status", "pending")
        if self.status in ReviewStatus.values:
            qs = qs.filter(status=self.status)
        return qs.order_by("-served_on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        managed = set(managed_communities(self.request.user).values_list("pk", flat=True))
        return {
            **super().get_context_data(**kwargs),
            "status": self.status,
            "statuses": ReviewStatus.choices,
            "managed": managed,
            "review_form": ReviewForm(),
        }


class ServiceCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "members.add_communityservice"
    template_name = "staff/members/inservice/service_form.html"
    form_class = ServiceForm
    success_message = gettext_lazy("The service is recorded and awaits the community's review.")
    success_url = reverse_lazy("staff:community-service-list")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"served_on": timezone.localdate()}

    def perform(self, form: ServiceForm) -> Any:
        return inservice.record_service(actor=self.request.user, **form.cleaned_data)


class ServiceReviewView(StaffView, View):
    permission_required = "members.change_communityservice"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = get_object_or_404(CommunityService.objects.visible_to(request.user), pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose approve or reject."))
            return redirect("staff:community-service-list")
        try:
            inservice.review_service(
                actor=request.user,
                service=service,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Review saved."))
        return redirect(reverse("staff:community-service-list") + "?status=pending")


class ServicePhotoView(StaffView, View):
    """A service's photo, to those whose scope holds the service."""

    permission_required = "members.view_communityservice"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        service = get_object_or_404(
            CommunityService.objects.visible_to(request.user).exclude(photo=""), pk=pk
        )
        return FileResponse(service.photo.open("rb"), content_type="image/jpeg")


class BehindListView(StaffView, ListView):
    """Who is behind their quarterly quota, per community or per employer organisation."""

    permission_required = "members.view_communityregistration"
    template_name = "staff/members/inservice/behind_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Any]:
        self.period = chosen_quarter(self.request)
        qs = CommunityRegistration.objects.visible_to(self.request.user)
        self.community_id = _int(self.request.GET.get("community"))
        self.organization_id = _int(self.request.GET.get("organization"))
        if self.community_id:
            qs = qs.filter(community_id=self.community_id)
        if self.organization_id:
            qs = qs.filter(employer_organization_id=self.organization_id)
        return inservice.behind(qs, self.period)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from branches.models import Organization

        number = (self.period.start.month - 1) // 3 + 1
        return {
            **super().get_context_data(**kwargs),
            "period": self.period,
            "year": self.period.start.year,
            "quarter": number,
            "communities": reachable_communities(self.request.user),
            "organizations": Organization.objects.visible_to(self.request.user)
            .filter(employee_registrations__isnull=False)
            .distinct()
            .order_by("path"),
            "community_id": self.community_id,
            "organization_id": self.organization_id,
        }


class LetterListView(StaffView, ListView):
    permission_required = "members.view_feedbackletter"
    template_name = "staff/members/inservice/letter_list.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Any]:
        self.period = chosen_quarter(self.request)
        number = (self.period.start.month - 1) // 3 + 1
        return (
            FeedbackLetter.objects.visible_to(self.request.user)
            .filter(year=self.period.start.year, quarter=number)
            .select_related(
                "member", "registration__community", "registration__employer_organization"
            )
            .order_by("registration__community__name", "member__full_name", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        previous = inservice.current_quarter(self.period.start - timezone.timedelta(days=1))
        return {
            **super().get_context_data(**kwargs),
            "year": self.period.start.year,
            "quarter": (self.period.start.month - 1) // 3 + 1,
            "previous": previous,
            "previous_quarter": (previous.start.month - 1) // 3 + 1,
        }


class LetterBuildView(StaffView, View):
    """Staff: build (in the background) the missing letters of a quarter of their sub-district."""

    permission_required = "members.build_feedbackletter"

    def post(self, request: HttpRequest) -> HttpResponse:
        from accounts.scope import scope_for
        from members.tasks import build_feedback_letters

        form = QuarterForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a year and a quarter."))
            return redirect("staff:feedback-letter-list")
        year, number = form.cleaned_data["year"], form.cleaned_data["quarter"]
        if quarter(year, number).start > timezone.localdate():
            messages.error(request, _("That quarter has not started yet."))
            return redirect("staff:feedback-letter-list")
        scope = scope_for(request.user)
        targets = [None] if scope.everything else sorted(scope.sub_district_ids)
        for sub_district_id in targets:
            send_after_commit(build_feedback_letters, year, number, sub_district_id)
        messages.success(request, _("The letters are being built; reload this page in a minute."))
        return redirect(f"{reverse('staff:feedback-letter-list')}?year={year}&quarter={number}")


class LetterDownloadView(StaffView, View):
    """The letter's file, only through this permission- and scope-checked view."""

    permission_required = "members.view_feedbackletter"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = get_object_or_404(FeedbackLetter.objects.visible_to(request.user), pk=pk)
        if not letter.file:
            raise Http404
        return FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=f"feedback-{letter.year}Q{letter.quarter}-{letter.member_id}.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
