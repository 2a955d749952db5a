"""Workbench pages: teams, volunteers and their records, good deeds, wishes, rankings.

Rows come from `visible_to(user)`: staff see their sub-districts, secretaries the sub-district of
their branch, read-only. Managing a team (roster, codes, hours) happens on the team pages of
views/leader.py, reached from here when `managed_by` allows it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.service_form import ServiceFormMixin
from branches.models import Community
from volunteers import forms, rules
from volunteers.models import (
    Enrollment,
    GoodDeed,
    MembershipStatus,
    Volunteer,
    VolunteerTeam,
    Wish,
    WishStatus,
)
from volunteers.services import teams


class TeamListView(StaffView, ListView):
    permission_required = "volunteers.view_volunteerteam"
    template_name = "staff/volunteers/team_list.html"
    context_object_name = "teams"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[VolunteerTeam]:
        return (
            VolunteerTeam.objects.visible_to(self.request.user)
            .select_related("community", "leader")
            .annotate(
                member_count=Count(
                    "memberships",
                    filter=Q(memberships__status=MembershipStatus.ACTIVE),
                    distinct=True,
                ),
                pending_count=Count(
                    "memberships",
                    filter=Q(memberships__status=MembershipStatus.PENDING),
                    distinct=True,
                ),
            )
            .order_by("community__name", "name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["managed_ids"] = set(
            VolunteerTeam.objects.managed_by(self.request.user).values_list("pk", flat=True)
        )
        context["can_add"] = self.request.user.has_perm("volunteers.add_volunteerteam")
        return context


class TeamCreateView(StaffView, ServiceFormMixin, FormView):
    permission_required = "volunteers.add_volunteerteam"
    template_name = "staff/volunteers/form.html"
    form_class = forms.TeamForm
    success_message = gettext_lazy("The team is founded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        from accounts.scope import scope_for

        scope = scope_for(self.request.user)
        communities = Community.objects.all()
        if not scope.everything:
            communities = communities.filter(sub_district_id__in=scope.sub_district_ids)
        return {**super().get_form_kwargs(), "communities": communities}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("Found a volunteer team")}

    def perform(self, form: forms.TeamForm) -> VolunteerTeam:
        data = form.cleaned_data
        return teams.create_team(
            community=data["community"],
            name=data["name"],
            kind=data["kind"],
            leader=data["leader_phone"],
            description=data["description"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("public:volunteer-lead-team", args=[self.result.pk])


class VolunteerListView(StaffView, ListView):
    permission_required = "volunteers.view_volunteer"
    template_name = "staff/volunteers/volunteer_list.html"
    context_object_name = "volunteers"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Volunteer]:
        qs = Volunteer.objects.visible_to(self.request.user).select_related(
            "sub_district", "member"
        )
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(full_name__icontains=query) | Q(phone__icontains=query))
        return qs.order_by("full_name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["volunteers"]
        ids = [v.pk for v in page]
        totals = {
            row["volunteer_id"]: row
            for row in Enrollment.objects.filter(volunteer_id__in=ids).hours_per_volunteer()
        }
        context["rows"] = [(v, rules.hours(totals.get(v.pk, {}).get("minutes") or 0)) for v in page]
        context["query"] = self.request.GET.get("q", "")
        return context


class VolunteerDetailView(StaffView, DetailView):
    """A volunteer's record (民政部令第67号): personal information, service records, training,
    awards and evaluations."""

    permission_required = "volunteers.view_volunteer"
    template_name = "staff/volunteers/volunteer_detail.html"
    context_object_name = "volunteer"

    def get_queryset(self) -> QuerySet[Volunteer]:
        return Volunteer.objects.visible_to(self.request.user).select_related(
            "sub_district", "member", "community", "user"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        volunteer = self.object
        enrollments = list(
            volunteer.enrollments.select_related("activity", "activity__team").order_by(
                "-activity__starts_at"
            )
        )
        credited = [e for e in enrollments if e.status == "signed_up"]
        context.update(
            enrollments=enrollments,
            credit_hours=rules.hours(sum(e.credit_minutes for e in credited)),
            honour_hours=rules.hours(sum(e.honour_minutes for e in credited)),
            memberships=volunteer.memberships.select_related("team"),
            trainings=volunteer.trainings.all(),
            awards=volunteer.awards.all(),
            evaluations=volunteer.evaluations.all(),
            certificates=volunteer.certificates.all(),
        )
        return context


class GoodDeedListView(StaffView, ListView):
    permission_required = "volunteers.view_gooddeed"
    template_name = "staff/volunteers/good_deeds.html"
    context_object_name = "deeds"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[GoodDeed]:
        return (
            GoodDeed.objects.visible_to(self.request.user)
            .select_related("team")
            .prefetch_related("volunteers")
            .order_by("-done_on", "-pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["per_team"] = list(GoodDeed.objects.visible_to(self.request.user).per_team())
        return context


class WishBoardView(StaffView, ListView):
    permission_required = "volunteers.view_wish"
    template_name = "staff/volunteers/wishes.html"
    context_object_name = "wishes"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Wish]:
        qs = Wish.objects.visible_to(self.request.user).select_related(
            "community", "posted_by", "claimed_by_team", "claimed_by_volunteer"
        )
        status = self.request.GET.get("status", "")
        if status in WishStatus.values:
            qs = qs.filter(status=status)
        return qs.order_by("-created_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["statuses"] = WishStatus.choices
        context["status"] = self.request.GET.get("status", "")
        return context


class RankingsView(StaffView, TemplateView):
    """Hours per volunteer, per team and per month over a year: three aggregate queries."""

    permission_required = "volunteers.view_enrollment"
    template_name = "staff/volunteers/rankings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        if not 2000 <= year <= today.year:
            year = today.year
        base = Enrollment.objects.visible_to(self.request.user).between(
            dt.date(year, 1, 1), dt.date(year, 12, 31)
        )

        def with_hours(rows: Any) -> list[dict[str, Any]]:
            return [{**row, "hours": rules.hours(row["minutes"] or 0)} for row in rows]

        context.update(
            year=year,
            years=list(range(today.year, today.year - 5, -1)),
            per_volunteer=with_hours(base.hours_per_volunteer()[:50]),
            per_team=with_hours(base.hours_per_team()),
            per_month=with_hours(base.hours_per_month()),
        )
        return context
