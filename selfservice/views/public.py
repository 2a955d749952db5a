"""The party member's own pages (党员端), phone-first, under /me/.

Every page needs a signed-in account; every page but the binding ones needs a bound member
(`member_of`), and every row comes through the member's own scope: their record, their branch's
meetings (`participation.meetings_of`), their own leave, check-ins and make-up tasks. A row
outside it is a 404, as in the workbench.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import DomainError
from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.service_form import domain_errors_on
from activities import participation
from activities.models import (
    Attendance,
    CheckIn,
    LeaveRequest,
    LeaveStatus,
    MakeUpTask,
    Meeting,
    MeetingStatus,
)
from members.binding import services as binding
from members.models import (
    BindingStatus,
    CorrectionRequest,
    Member,
    MemberBinding,
    ReminderPreference,
)
from selfservice import forms
from selfservice.checkin import check_in_limited
from selfservice.representation import represented_by, rounds_to_rate


class SignedInView(LoginRequiredMixin):
    """A page for any signed-in account (the binding pages)."""


class MemberView(SignedInView):
    """A page of a bound member; an unbound account is sent to the binding page."""

    member: Member

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        member = binding.member_of(request.user)
        if member is None:
            return HttpResponseRedirect(reverse("public:me"))
        self.member = member
        return super().dispatch(request, *args, **kwargs)

    def meetings(self) -> QuerySet[Meeting]:
        return participation.meetings_of(self.member)


def _secretaries(member: Member) -> list[Any]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.SECRETARY, organization_id=member.organization_id, is_active=True
        ).select_related("user")
    ]


class HomeView(SignedInView, TemplateView):
    """我的支部 for a bound member; for anyone else, how to become one."""

    template_name = "public/selfservice/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        member = binding.member_of(self.request.user)
        context["member"] = member
        # A representative of a year-end assessment (a member or a resident) rates from here.
        context["represents"] = represented_by(self.request.user).exists()
        context["to_rate"] = rounds_to_rate(self.request.user) if context["represents"] else 0
        if member is None:
            context["pending"] = MemberBinding.objects.filter(
                user=self.request.user, status=BindingStatus.REQUESTED
            ).first()
            return context
        context.update(
            secretaries=_secretaries(member),
            upcoming=list(
                participation.meetings_of(member)
                .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
                .select_related("organization")
                .order_by("starts_at")[:3]
            ),
            open_make_up=MakeUpTask.objects.filter(member=member, done_on__isnull=True).count(),
        )
        return context


class BindView(SignedInView, View):
    template_name = "public/selfservice/bind.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": forms.BindForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.BindForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                binding.request_binding(
                    user=request.user,
                    full_name=form.cleaned_data["full_name"],
                    id_tail=form.cleaned_data["id_tail"],
                )
            if not form.errors:
                messages.success(
                    request, _("Your request is sent. The branch secretary will confirm it.")
                )
                return HttpResponseRedirect(reverse("public:me"))
        return render(request, self.template_name, {"form": form}, status=400)


class InvitationView(SignedInView, View):
    template_name = "public/selfservice/invitation.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = binding.invitation_for(token)
        return render(
            request,
            self.template_name,
            {"invitation": invitation},
            status=200 if invitation else 404,
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            binding.accept_invitation(token=token, user=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(reverse("public:me"))
        messages.success(request, _("Your account is now your member account."))
        return HttpResponseRedirect(reverse("public:me"))


class MeetingListView(MemberView, TemplateView):
    """我的组织生活: upcoming meetings, past ones with my attendance, my make-up study."""

    template_name = "public/selfservice/meetings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        member = self.member
        now = timezone.now()
        mine = [
            Prefetch(
                "leave_requests",
                LeaveRequest.objects.filter(member=member, status="requested"),
                to_attr="my_leave",
            ),
            Prefetch("check_ins", CheckIn.objects.filter(member=member), to_attr="my_check_in"),
            Prefetch(
                "attendances", Attendance.objects.filter(member=member), to_attr="my_attendance"
            ),
        ]
        meetings = self.meetings().select_related("organization", "booking__room")
        context.update(
            upcoming=list(
                meetings.filter(status=MeetingStatus.PLANNED, starts_at__gte=now - _window_slack())
                .prefetch_related(*mine)
                .order_by("starts_at")[:20]
            ),
            past=list(
                meetings.filter(status=MeetingStatus.HELD)
                .prefetch_related(*mine)
                .order_by("-held_on", "-starts_at")[:20]
            ),
            make_up=list(
                MakeUpTask.objects.filter(member=member)
                .select_related("meeting")
                .order_by("done_on", "due_on")[:20]
            ),
        )
        return context


def _window_slack() -> dt.timedelta:
    """A planned meeting stays "upcoming" until its check-in has closed (and a while after, until
    the secretary records it)."""
    return dt.timedelta(minutes=settings.CHECKIN_CLOSE_MINUTES + 240)


class MeetingDetailView(MemberView, View):
    template_name = "public/selfservice/meeting.html"

    def get_meeting(self) -> Meeting:
        return get_object_or_404(
            self.meetings().select_related("organization", "booking__room"), pk=self.kwargs["pk"]
        )

    def page(self, request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
        member = self.member
        return {
            "meeting": meeting,
            "leave": LeaveRequest.objects.filter(
                meeting=meeting, member=member, status=LeaveStatus.REQUESTED
            ).first(),
            "check_in": CheckIn.objects.filter(meeting=meeting, member=member).first(),
            "attendance": Attendance.objects.filter(meeting=meeting, member=member).first(),
            "check_in_open": participation.check_in_open(meeting),
            "may_ask_leave": meeting.status == MeetingStatus.PLANNED
            and meeting.starts_at > timezone.now(),
            "leave_form": extra.get("leave_form") or forms.LeaveForm(),
            "check_in_form": extra.get("check_in_form")
            or forms.CheckInForm(initial={"code": request.GET.get("code", "")[:6]}),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_meeting()
        return render(request, self.template_name, self.page(request, meeting))


class LeaveView(MeetingDetailView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_meeting()
        form = forms.LeaveForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                participation.request_leave(
                    meeting=meeting,
                    member=self.member,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            if not form.errors:
                messages.success(request, _("Your leave request is sent to the secretary."))
                return HttpResponseRedirect(reverse("public:me-meeting", args=[meeting.pk]))
        return render(
            request, self.template_name, self.page(request, meeting, leave_form=form), status=400
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("public:me-meeting", args=[pk]))


class WithdrawLeaveView(MemberView, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        leave = get_object_or_404(LeaveRequest.objects.filter(member=self.member), pk=pk)
        try:
            participation.withdraw_leave(leave=leave, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your leave request is withdrawn."))
        return HttpResponseRedirect(reverse("public:me-meeting", args=[leave.meeting_id]))


class CheckInView(MeetingDetailView):
    """The page a scanned QR opens (`?code=` fills the field) and where a typed code is sent."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_meeting()
        form = forms.CheckInForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                check_in_limited(
                    meeting=meeting,
                    member=self.member,
                    code=form.cleaned_data["code"],
                    actor=request.user,
                    ip_address=request.META.get("REMOTE_ADDR") or None,
                )
            if not form.errors:
                messages.success(request, _("You are checked in."))
                return HttpResponseRedirect(reverse("public:me-meeting", args=[meeting.pk]))
        return render(
            request,
            self.template_name,
            self.page(request, meeting, check_in_form=form),
            status=400,
        )


class MakeUpView(MemberView, View):
    template_name = "public/selfservice/make_up.html"

    def get_task(self) -> MakeUpTask:
        return get_object_or_404(
            MakeUpTask.objects.filter(member=self.member).select_related("meeting"),
            pk=self.kwargs["pk"],
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"task": self.get_task(), "form": forms.MakeUpReportForm()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = self.get_task()
        form = forms.MakeUpReportForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                participation.report_make_up(
                    task=task,
                    member=self.member,
                    done_on=form.cleaned_data["done_on"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            if not form.errors:
                messages.success(request, _("Reported. The secretary will confirm it."))
                return HttpResponseRedirect(reverse("public:me-meetings"))
        return render(request, self.template_name, {"task": task, "form": form}, status=400)


class RecordView(MemberView, View):
    """我的信息: the record as the branch holds it (ID masked), corrections asked and their
    answers, and the form to ask for one."""

    template_name = "public/selfservice/record.html"

    def context(self, form: forms.CorrectionForm) -> dict[str, Any]:
        preference = ReminderPreference.objects.filter(member=self.member).first()
        return {
            "member": self.member,
            "form": form,
            "reminder_form": forms.ReminderForm(
                initial={
                    "sms": preference.sms if preference else True,
                    "email": preference.email if preference else True,
                }
            ),
            "corrections": CorrectionRequest.objects.filter(member=self.member)[:20],
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(forms.CorrectionForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.CorrectionForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                binding.request_correction(
                    member=self.member, user=request.user, **form.cleaned_data
                )
            if not form.errors:
                messages.success(request, _("Your request is sent to the secretary."))
                return HttpResponseRedirect(reverse("public:me-record"))
        return render(request, self.template_name, self.context(form), status=400)


class ReminderView(MemberView, View):
    """The member's reminder channels (opt-out per channel)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ReminderForm(request.POST)
        form.is_valid()  # two checkboxes: always valid
        binding.set_reminder_preference(
            member=self.member,
            user=request.user,
            sms=form.cleaned_data.get("sms", False),
            email=form.cleaned_data.get("email", False),
        )
        messages.success(request, _("Your reminder channels are saved."))
        return HttpResponseRedirect(reverse("public:me-record"))

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(reverse("public:me-record"))
