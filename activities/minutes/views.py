"""Workbench pages of sealed minutes: verify a meeting's chain, print minutes as DOCX (one
meeting, or a branch's year), remove an attachment with a reason. Each reads its rows through
`visible_to`, so a secretary reaches only their own branch (404 elsewhere)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.access import StaffView
from accounts.service_form import ServiceFormMixin
from activities.minutes import services
from activities.minutes.document import minutes_docx
from activities.minutes.forms import RemoveAttachmentForm
from activities.minutes.verification import for_verification, verify
from activities.models import Attachment, Meeting, MeetingStatus
from branches.models import Organization, OrganizationKind
from config.documents import document_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _meetings(user: Any) -> QuerySet[Meeting]:
    return for_verification(Meeting.objects.visible_to(user))


def branch_of(organization: Organization) -> Organization:
    """The branch whose year of minutes a meeting belongs to: a party group's is its parent."""
    if organization.kind == OrganizationKind.PARTY_GROUP:
        parent = organization.get_parent()
        if parent is not None:
            return parent
    return organization


class MinutesVerifyView(StaffView, TemplateView):
    """The chain of a meeting's sealed versions, recomputed now, files read again."""

    permission_required = "activities.view_meeting"
    template_name = "staff/activities/minutes_verify.html"
    model = Meeting

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(_meetings(self.request.user), pk=self.kwargs["pk"])
        result = verify(meeting, files=True)
        services.record_verification(meeting=meeting, result=result, actor=self.request.user)
        revisions = sorted(meeting.revisions.all(), key=lambda r: r.version)
        broken = result.broken_version
        context.update(
            meeting=meeting,
            result=result,
            links=[
                (
                    revision,
                    "broken"
                    if broken == revision.version
                    else "unchecked"
                    if broken is not None and revision.version > broken
                    else "ok",
                )
                for revision in revisions
            ],
            year=(meeting.held_on or timezone.localtime(meeting.starts_at).date()).year,
            branch=branch_of(meeting.organization),
        )
        return context


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class MeetingMinutesDocxView(StaffView, View):
    """One meeting's minutes to print."""

    permission_required = "activities.view_meeting"
    model = Meeting

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(_meetings(request.user), pk=pk)
        if meeting.status != MeetingStatus.HELD:
            raise Http404
        minutes = _("Meeting minutes")
        header = f"{meeting.organization.name} · {minutes}"
        content = document_bytes(minutes_docx([meeting], header=header))
        services.record_export(actor=request.user, meeting=meeting)
        day = meeting.held_on.isoformat() if meeting.held_on else ""
        return _docx_response(content, f"{meeting.organization.name}-{day}-{minutes}.docx")


class BranchMinutesDocxView(StaffView, View):
    """A branch's year of minutes (its party groups' included), oldest first, one per page.
    Written in the request: the rows are read in a fixed number of queries and the body is
    parsed once (tests/activities/minutes/test_document.py times a year)."""

    permission_required = "activities.view_meeting"

    def get(self, request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
        organization = get_object_or_404(
            Organization.objects.visible_to(request.user).select_related("sub_district"),
            pk=org_pk,
        )
        if not 2000 <= year <= timezone.localdate().year:
            raise Http404
        meetings = list(
            _meetings(request.user)
            .filter(
                organization__path__startswith=organization.path,
                status=MeetingStatus.HELD,
                held_on__gte=dt.date(year, 1, 1),
                held_on__lte=dt.date(year, 12, 31),
            )
            .order_by("held_on", "starts_at", "pk")
        )
        header = f"{organization.sub_district.name} · {organization.name} · " + _(
            "Minutes of %(year)s"
        ) % {"year": year}
        content = document_bytes(minutes_docx(meetings, header=header))
        services.record_export(
            actor=request.user, organization=organization, year=year, count=len(meetings)
        )
        return _docx_response(
            content,
            f"{organization.name}-" + _("Minutes of %(year)s") % {"year": year} + ".docx",
        )


class RemoveAttachmentView(StaffView, ServiceFormMixin, FormView):
    """Remove an attachment; on signed-off minutes the form asks the reason the new version
    is sealed with."""

    permission_required = "activities.change_meeting"
    template_name = "staff/activities/minutes_remove_attachment.html"
    form_class = RemoveAttachmentForm
    success_message = gettext_lazy("The attachment is removed.")
    model = Attachment

    def get_attachment(self) -> Attachment:
        if not hasattr(self, "_attachment"):
            self._attachment = get_object_or_404(
                Attachment.objects.visible_to(self.request.user).select_related(
                    "meeting", "meeting__organization"
                ),
                pk=self.kwargs["pk"],
            )
        return self._attachment

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "signed_off": self.get_attachment().meeting.is_signed_off,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        attachment = self.get_attachment()
        return {
            **super().get_context_data(**kwargs),
            "attachment": attachment,
            "meeting": attachment.meeting,
        }

    def perform(self, form: RemoveAttachmentForm) -> Meeting:
        return services.remove_attachment(
            attachment=self.get_attachment(),
            actor=self.request.user,
            change_reason=form.cleaned_data["change_reason"],
        )

    def get_success_url(self) -> str:
        return reverse("staff:meeting-detail", args=[self.get_attachment().meeting_id])
