"""Team management pages for a team's leader and for sub-district staff.

A leader may be a resident with no workbench role, so these pages are not `StaffView`s: access
is the team-leader check, `VolunteerTeam.objects.managed_by(user)` (the teams a user leads, plus
every team of their sub-districts for staff holding `volunteers.change_volunteerteam`). A team
outside it is a 404. Staff see the pages inside the workbench layout, leaders in the mobile one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.service_form import domain_errors_on
from volunteers import forms, rules
from volunteers.models import (
    Enrollment,
    EnrollmentStatus,
    GoodDeed,
    MembershipStatus,
    ServiceActivity,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
    Wish,
    WishStatus,
)
from volunteers.services import activities, attendance, teams, wishes


class LeaderView(LoginRequiredMixin, View):
    def base_template(self) -> str:
        return "staff/base.html" if self.request.user.uses_workbench else "public/base.html"

    def managed_teams(self) -> Any:
        return VolunteerTeam.objects.managed_by(self.request.user)

    def get_team(self, pk: int) -> VolunteerTeam:
        return get_object_or_404(self.managed_teams().select_related("community"), pk=pk)

    def get_activity(self, pk: int) -> ServiceActivity:
        return get_object_or_404(
            ServiceActivity.objects.filter(team__in=self.managed_teams()).select_related(
                "team", "team__community"
            ),
            pk=pk,
        )

    def render(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        context["base_template"] = self.base_template()
        return render(self.request, template, context, status=status)


class LeaderHomeView(LeaderView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = (
            self.managed_teams()
            .select_related("community")
            .annotate(
                pending=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.PENDING)
                ),
                active=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)),
            )
        )
        return self.render("public/volunteers/lead/home.html", {"teams": rows})


class TeamManageView(LeaderView):
    def context(self, team: VolunteerTeam, **extra: Any) -> dict[str, Any]:
        memberships = TeamMembership.objects.filter(team=team).select_related("volunteer")
        return {
            "team": team,
            "pending": [m for m in memberships if m.status == MembershipStatus.PENDING],
            "members": [m for m in memberships if m.status == MembershipStatus.ACTIVE],
            "activities": ServiceActivity.objects.filter(team=team).order_by("-starts_at")[:30],
            "open_wishes": Wish.objects.filter(
                community__sub_district_id=team.community.sub_district_id, status=WishStatus.OPEN
            ).select_related("community")[:20],
            "claimed_wishes": Wish.objects.filter(claimed_by_team=team, status=WishStatus.CLAIMED),
            "open_deeds": GoodDeed.objects.filter(team=team, closed_at=None).order_by(
                "-done_on", "-pk"
            )[:20],
            "activity_form": extra.pop("activity_form", None) or forms.ActivityForm(),
            "deed_form": extra.pop("deed_form", None)
            or forms.GoodDeedForm(volunteers=self.team_volunteers(team)),
            **extra,
        }

    def team_volunteers(self, team: VolunteerTeam) -> Any:
        return Volunteer.objects.filter(
            memberships__team=team, memberships__status=MembershipStatus.ACTIVE
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        team = self.get_team(pk)
        return self.render("public/volunteers/lead/team.html", self.context(team))


class TeamActionView(TeamManageView):
    """POSTs on a team: decide join requests, publish an activity, record a good deed, close
    one with the resident's rating,
    claim a wish for the team, mark a claimed wish done. POST only: a GET answers 405."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        team = self.get_team(pk)
        url = reverse("public:volunteer-lead-team", args=[team.pk])
        user = request.user
        try:
            if action in ("approve", "decline"):
                membership = get_object_or_404(
                    TeamMembership.objects.filter(team=team), pk=request.POST.get("membership")
                )
                teams.decide_join_request(
                    membership=membership, approve=action == "approve", actor=user
                )
                messages.success(request, _("The request is decided."))
            elif action == "remove":
                membership = get_object_or_404(
                    TeamMembership.objects.filter(team=team), pk=request.POST.get("membership")
                )
                teams.leave_team(membership=membership, actor=user)
                messages.success(request, _("The volunteer has left the team."))
            elif action == "activity":
                form = forms.ActivityForm(request.POST)
                if form.is_valid():
                    with domain_errors_on(form):
                        activity = activities.create_activity(
                            team=team, actor=user, **form.cleaned_data
                        )
                        messages.success(request, _("The activity is published."))
                        return HttpResponseRedirect(
                            reverse("public:volunteer-lead-activity", args=[activity.pk])
                        )
                return self.render(
                    "public/volunteers/lead/team.html",
                    self.context(team, activity_form=form),
                    status=400,
                )
            elif action == "deed":
                form = forms.GoodDeedForm(request.POST, volunteers=self.team_volunteers(team))
                if form.is_valid():
                    with domain_errors_on(form):
                        teams.record_good_deed(team=team, actor=user, **form.cleaned_data)
                if form.errors:
                    return self.render(
                        "public/volunteers/lead/team.html",
                        self.context(team, deed_form=form),
                        status=400,
                    )
                messages.success(request, _("The good deed is recorded."))
            elif action == "close-deed":
                deed = get_object_or_404(
                    GoodDeed.objects.filter(team=team), pk=request.POST.get("deed")
                )
                form = forms.GoodDeedCloseForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Rate from 1 to 5 stars."))
                teams.close_good_deed(deed=deed, actor=user, **form.cleaned_data)
                messages.success(request, _("The good deed is closed with the resident's rating."))
            elif action == "claim":
                wish = get_object_or_404(
                    Wish.objects.filter(community__sub_district_id=team.community.sub_district_id),
                    pk=request.POST.get("wish"),
                )
                wishes.claim_wish(wish=wish, team=team, actor=user)
                messages.success(request, _("The team has claimed the wish."))
            elif action == "done":
                wish = get_object_or_404(
                    Wish.objects.filter(claimed_by_team=team), pk=request.POST.get("wish")
                )
                form = forms.WishDoneForm(request.POST)
                note = form.cleaned_data["note"] if form.is_valid() else ""
                if not note:
                    raise DomainError(_("Say how the wish was fulfilled."))
                wishes.mark_wish_done(wish=wish, note=note, actor=user)
                messages.success(request, _("The resident is asked to confirm."))
            else:
                raise Http404
        except DomainError as refused:
            messages.error(request, refused.message)
        return HttpResponseRedirect(url)


class RosterView(LeaderView):
    """An activity's roster, its sign-in code, and the leader's sign-in, sign-out and hours."""

    def context(self, activity: ServiceActivity, **extra: Any) -> dict[str, Any]:
        enrollments = list(
            Enrollment.objects.filter(activity=activity)
            .exclude(status=EnrollmentStatus.WITHDRAWN)
            .select_related("volunteer")
            .order_by("status", "queued_at", "volunteer__full_name")
        )
        return {
            "activity": activity,
            "enrollments": enrollments,
            "length_hours": rules.hours(activity.length_minutes),
            "hours_form": forms.HoursForm(),
            **extra,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = self.get_activity(pk)
        return self.render("public/volunteers/lead/roster.html", self.context(activity))


class RosterActionView(RosterView):
    """POSTs on an activity's roster. POST only: a GET answers 405."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        activity = self.get_activity(pk)
        url = reverse("public:volunteer-lead-activity", args=[activity.pk])
        user = request.user
        try:
            if action == "rotate":
                activities.rotate_sign_in_code(activity=activity, actor=user)
                messages.success(request, _("The sign-in code has changed."))
                return HttpResponseRedirect(url)
            if action == "cancel":
                activities.cancel_activity(activity=activity, actor=user)
                messages.success(request, _("The activity is cancelled."))
                return HttpResponseRedirect(url)
            enrollment = get_object_or_404(
                Enrollment.objects.filter(activity=activity), pk=request.POST.get("enrollment")
            )
            if action == "sign-in":
                attendance.sign_in(enrollment=enrollment, actor=user)
                messages.success(request, _("Signed in."))
            elif action == "sign-out":
                attendance.sign_out(enrollment=enrollment, actor=user)
                messages.success(request, _("Signed out."))
            elif action == "hours":
                form = forms.HoursForm(request.POST)
                if form.is_valid():
                    with domain_errors_on(form, fields={"minutes": "hours"}):
                        attendance.correct_honour_hours(
                            enrollment=enrollment,
                            minutes=form.minutes,
                            reason=form.cleaned_data["reason"],
                            actor=user,
                        )
                if form.errors:
                    return self.render(
                        "public/volunteers/lead/roster.html",
                        self.context(activity, hours_form=form, hours_for=enrollment.pk),
                        status=400,
                    )
                messages.success(request, _("The hours are saved."))
            else:
                raise Http404
        except DomainError as refused:
            messages.error(request, refused.message)
        return HttpResponseRedirect(url)
