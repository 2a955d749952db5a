"""Resident pages: activities to join, sign-up, sign-in by code, my hours and certificates,
teams to join, wishes. Only the resident's own data is shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import DomainError
from accounts.service_form import domain_errors_on
from branches.models import Community
from volunteers import forms, rules
from volunteers.models import (
    Certificate,
    CertificateStatus,
    Enrollment,
    EnrollmentStatus,
    ServiceActivity,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
    Wish,
)
from volunteers.services import activities, attendance, certificates, teams, wishes


class ActivityListView(TemplateView):
    """Upcoming activities anyone may see; signed-in residents see their own places too."""

    template_name = "public/volunteers/activity_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = list(
            ServiceActivity.objects.open_to(user)
            .select_related("team", "team__community")
            .order_by("starts_at")[:50]
        )
        mine: dict[int, Enrollment] = {}
        if user.is_authenticated:
            mine = {
                e.activity_id: e
                for e in Enrollment.objects.filter(
                    volunteer__user=user, activity__in=[a.pk for a in rows]
                ).exclude(status=EnrollmentStatus.WITHDRAWN)
            }
        context["rows"] = [(a, mine.get(a.pk)) for a in rows]
        return context


class ActivityDetailView(TemplateView):
    template_name = "public/volunteers/activity_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        activity = get_object_or_404(
            ServiceActivity.objects.open_to(self.request.user).select_related(
                "team", "team__community"
            ),
            pk=self.kwargs["pk"],
        )
        enrollment = None
        if self.request.user.is_authenticated:
            enrollment = (
                Enrollment.objects.filter(activity=activity, volunteer__user=self.request.user)
                .exclude(status=EnrollmentStatus.WITHDRAWN)
                .first()
            )
        context.update(activity=activity, enrollment=enrollment)
        return context


class SignUpView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = get_object_or_404(
            ServiceActivity.objects.open_to(request.user).select_related("team__community"),
            pk=pk,
        )
        url = reverse("public:volunteer-activity", args=[pk])
        volunteer = teams.volunteer_for_user(
            user=request.user, sub_district=activity.team.community.sub_district
        )
        try:
            enrollment = activities.sign_up(
                activity=activity, volunteer=volunteer, actor=request.user
            )
        except DomainError as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(url)
        if enrollment.status == EnrollmentStatus.SIGNED_UP:
            messages.success(request, _("You have a place. See you there!"))
        else:
            messages.info(
                request,
                _(
                    "The activity is full; you are on the waiting list and will be told "
                    "if a place comes free."
                ),
            )
        return HttpResponseRedirect(url)


class WithdrawView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrollment = get_object_or_404(
            Enrollment.objects.filter(volunteer__user=request.user), activity_id=pk
        )
        try:
            activities.withdraw(enrollment=enrollment, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("You have withdrawn."))
        return HttpResponseRedirect(reverse("public:volunteer-activity", args=[pk]))


class CodeView(LoginRequiredMixin, View):
    """Sign in or out with the code the team leader shows."""

    template_name = "public/volunteers/code.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": forms.CodeForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.CodeForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                enrollment = attendance.enrollment_for_code(
                    user=request.user, code=form.cleaned_data["code"]
                )
                if form.cleaned_data["action"] == "in":
                    enrollment = attendance.sign_in(enrollment=enrollment, actor=request.user)
                    messages.success(
                        request,
                        _("Signed in to %(title)s.") % {"title": enrollment.activity.title},
                    )
                else:
                    enrollment = attendance.sign_out(enrollment=enrollment, actor=request.user)
                    messages.success(
                        request,
                        _("Signed out. %(hours)s hours credited. Thank you!")
                        % {"hours": rules.hours(enrollment.credit_minutes)},
                    )
                return HttpResponseRedirect(reverse("public:volunteer-me"))
        return render(request, self.template_name, {"form": form}, status=400)


class MyHoursView(LoginRequiredMixin, TemplateView):
    template_name = "public/volunteers/me.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        volunteers = list(Volunteer.objects.filter(user=user).select_related("sub_district"))
        enrollments = list(
            Enrollment.objects.filter(volunteer__user=user)
            .exclude(status=EnrollmentStatus.WITHDRAWN)
            .select_related("activity", "activity__team")
            .order_by("-activity__starts_at")[:100]
        )
        credit = sum(e.credit_minutes for e in enrollments if e.status == "signed_up")
        honour = sum(e.honour_minutes for e in enrollments if e.status == "signed_up")
        context.update(
            volunteers=volunteers,
            enrollments=enrollments,
            credit_hours=rules.hours(credit),
            honour_hours=rules.hours(honour),
            total_hours=rules.hours(credit + honour),
            memberships=TeamMembership.objects.filter(volunteer__user=user).select_related("team"),
            certificates=Certificate.objects.filter(volunteer__user=user),
            certificate_form=forms.CertificateForm(),
        )
        return context


class RequestCertificateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.CertificateForm(request.POST)
        volunteer = Volunteer.objects.filter(user=request.user).first()
        url = reverse("public:volunteer-me")
        if volunteer is None:
            messages.error(request, _("You have no volunteer record yet."))
        elif not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                certificate = certificates.request_certificate(
                    volunteer=volunteer,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    actor=request.user,
                )
            except DomainError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("Certificate %(number)s is being prepared; it appears here in a minute.")
                    % {"number": certificate.number},
                )
        return HttpResponseRedirect(url)


class CertificateDownloadView(LoginRequiredMixin, View):
    """The certificate file, for its volunteer and for staff who see it; never a public URL."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        certificate = Certificate.objects.filter(pk=pk, volunteer__user=user).first()
        if certificate is None and user.has_perm("volunteers.view_certificate"):
            certificate = Certificate.objects.visible_to(user).filter(pk=pk).first()
        if certificate is None or certificate.status != CertificateStatus.READY:
            raise Http404
        return FileResponse(
            certificate.file.open("rb"),
            as_attachment=True,
            filename=f"{certificate.number}.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )


class TeamListView(TemplateView):
    template_name = "public/volunteers/team_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        status: dict[int, str] = {}
        if user.is_authenticated:
            status = dict(
                TeamMembership.objects.filter(volunteer__user=user).values_list("team_id", "status")
            )
        rows = (
            VolunteerTeam.objects.active()
            .select_related("community", "leader")
            .order_by("community__name", "name")
        )
        context["rows"] = [(team, status.get(team.pk)) for team in rows]
        context["form"] = forms.JoinForm()
        return context


class JoinTeamView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        team = get_object_or_404(VolunteerTeam.objects.active().select_related("community"), pk=pk)
        form = forms.JoinForm(request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else ""
        try:
            teams.request_to_join(team=team, user=request.user, message=message)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Your request to join %(team)s is with the leader.") % {"team": team}
            )
        return HttpResponseRedirect(reverse("public:volunteer-teams"))


class WishListView(LoginRequiredMixin, View):
    """The resident's own wishes, and the form to post one."""

    template_name = "public/volunteers/wishes.html"

    def communities(self) -> Any:
        return Community.objects.select_related("sub_district").order_by("sub_district", "name")

    def get(self, request: HttpRequest, form: Any = None, status: int = 200) -> HttpResponse:
        wishes_qs = Wish.objects.filter(posted_by=request.user).select_related(
            "claimed_by_team", "claimed_by_volunteer"
        )
        return render(
            request,
            self.template_name,
            {
                "wishes": wishes_qs,
                "form": form or forms.WishForm(communities=self.communities()),
                "confirm_form": forms.ConfirmWishForm(),
            },
            status=status,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.WishForm(request.POST, communities=self.communities())
        if form.is_valid():
            with domain_errors_on(form):
                wishes.post_wish(
                    user=request.user,
                    community=form.cleaned_data["community"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
                messages.success(request, _("Your wish is posted."))
                return HttpResponseRedirect(reverse("public:volunteer-wishes"))
        return self.get(request, form=form, status=400)


class WishActionView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        wish = get_object_or_404(Wish.objects.filter(posted_by=request.user), pk=pk)
        try:
            if action == "confirm":
                form = forms.ConfirmWishForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Rate from 1 to 5 stars."))
                wishes.confirm_wish(
                    wish=wish,
                    user=request.user,
                    rating=form.cleaned_data["rating"],
                    feedback=form.cleaned_data["feedback"],
                )
                messages.success(request, _("Thank you for your rating."))
            elif action == "withdraw":
                wishes.withdraw_wish(wish=wish, user=request.user)
                messages.success(request, _("The wish is withdrawn."))
            else:
                raise Http404
        except DomainError as refused:
            messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("public:volunteer-wishes"))
