"""我的报到: an in-service member's registration with a community, the community's open needs,
claiming one, reporting the service done (with a photo) and seeing it reviewed. The writes are
`members.inservice.services` (the same rules as the workbench); the photo is checked by its
content and re-encoded as hall photos are (`venues.photos.process_photo`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.service_form import domain_errors_on
from members.inservice import services as inservice
from members.models import (
    CommunityNeed,
    CommunityRegistration,
    CommunityService,
    FeedbackLetter,
    NeedClaim,
)
from selfservice import forms
from selfservice.views.public import MemberView
from venues.photos import process_photo


class ServiceMixin(MemberView):
    def registration(self) -> CommunityRegistration | None:
        if not hasattr(self, "_registration"):
            self._registration = (
                CommunityRegistration.objects.filter(member=self.member)
                .open()
                .select_related("community")
                .order_by("-registered_on")
                .first()
            )
        return self._registration

    def open_needs(self) -> QuerySet[CommunityNeed]:
        registration = self.registration()
        if registration is None:
            return CommunityNeed.objects.none()
        return (
            CommunityNeed.objects.filter(
                community_id=registration.community_id, needed_by__gte=timezone.localdate()
            )
            .open()
            .annotate(
                mine=Exists(
                    NeedClaim.objects.filter(need=OuterRef("pk"), registration=registration)
                )
            )
            .order_by("needed_by", "pk")
        )


class ServiceView(ServiceMixin, View):
    template_name = "public/selfservice/service.html"

    def context(self, form: forms.ServiceReportForm | None = None) -> dict[str, Any]:
        registration = self.registration()
        context: dict[str, Any] = {
            "registration": registration,
            "letters": [
                (letter, employer_party(letter.registration))
                for letter in FeedbackLetter.objects.filter(member=self.member)
                .exclude(file="")
                .select_related(
                    "registration__employer_organization", "registration__employer_unit"
                )
                .order_by("-year", "-quarter")[:8]
            ],
        }
        if registration is None:
            return context
        period = inservice.current_quarter()
        claimed = CommunityNeed.objects.filter(claims__registration=registration).order_by(
            "needed_by"
        )
        context.update(
            needs=list(self.open_needs()[:50]),
            services=list(
                CommunityService.objects.filter(member=self.member)
                .select_related("need")
                .order_by("-served_on", "-pk")[:20]
            ),
            quarter=inservice.member_quarter(registration, period),
            period=period,
            form=form or forms.ServiceReportForm(needs=claimed),
        )
        return context

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context())


class ClaimNeedView(ServiceMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        need = get_object_or_404(self.open_needs(), pk=pk)
        try:
            inservice.claim_need(actor=request.user, need=need, registration=self.registration())
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("You have claimed this need."))
        return HttpResponseRedirect(reverse("public:me-service"))


class ReportServiceView(ServiceView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(reverse("public:me-service"))

    def post(self, request: HttpRequest) -> HttpResponse:
        registration = self.registration()
        if registration is None:
            return HttpResponseRedirect(reverse("public:me-service"))
        claimed = CommunityNeed.objects.filter(claims__registration=registration)
        form = forms.ServiceReportForm(request.POST, request.FILES, needs=claimed)
        if form.is_valid():
            data = form.cleaned_data
            with domain_errors_on(form, fields={"file": "photo"}):
                photo = process_photo(data["photo"]).image if data["photo"] else None
                inservice.record_service(
                    actor=request.user,
                    member=self.member,
                    served_on=data["served_on"],
                    hours=data["hours"],
                    description=data["description"],
                    need=data["need"],
                    photo=photo,
                )
            if not form.errors:
                messages.success(request, _("Reported. The community will review it."))
                return HttpResponseRedirect(reverse("public:me-service"))
        return render(request, self.template_name, self.context(form), status=400)


class ServicePhotoView(MemberView, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        service = get_object_or_404(
            CommunityService.objects.filter(member=self.member).exclude(photo=""), pk=pk
        )
        return FileResponse(service.photo.open("rb"), content_type="image/jpeg")


def employer_party(registration: CommunityRegistration) -> str:
    """Whom the feedback letter is addressed to: the employer's party organisation as the
    letter names it (`members.inservice.letters.letter_docx`)."""
    if registration.employer_organization:
        return registration.employer_organization.name
    unit = registration.employer_unit
    if unit and unit.party_organization_name:
        return unit.party_organization_name
    return registration.employer_name


class FeedbackLetterView(MemberView, View):
    """The member's own feedback letter (DOCX), as sent to their employer's party organisation."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        letter = get_object_or_404(
            FeedbackLetter.objects.filter(member=self.member).exclude(file=""), pk=pk
        )
        return FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=f"反馈函-{letter.year}年第{letter.quarter}季度.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
