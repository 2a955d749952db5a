"""Staff pages of grid work: the overview by grid, the missing daily reports, households (with
the audited phone reveal), the households overdue a visit, disputes and their mediation.

Rows come from `visible_to(request.user)`: staff see their sub-district, a secretary the
communities of their branches. Writes go through grids.services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from accounts.access import RecentPasswordRequiredMixin, StaffView
from accounts.errors import DomainError
from accounts.service_form import form_error_from
from branches.models import Grid
from grids import forms, services
from grids.models import (
    CareFund,
    CareVisit,
    ContactAssignment,
    Dispute,
    DisputeKind,
    DisputeStatus,
    GridRole,
    GridRoleKind,
    Household,
    ScreeningReport,
)
from grids.querysets import GridQuerySet
from members.views.staff import client_ip

PAGE_SIZE = 50


def visible_grids(user: Any) -> QuerySet[Grid]:
    """`branches.Grid` narrowed by this app's scope (a secretary: their communities' grids)."""
    return GridQuerySet(model=Grid).visible_to(user)


def visible_household_or_404(user: Any, pk: int) -> Household:
    """One household of the user's scope, with its grid, else 404 (an id out of scope is not
    told apart from one that does not exist)."""
    return get_object_or_404(Household.objects.visible_to(user).select_related("grid"), pk=pk)


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    counted = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class GridOverviewView(StaffView, ListView):
    """The map-free list by grid: people, households, hardship coverage, today's report."""

    permission_required = "grids.view_household"
    template_name = "staff/grids/overview.html"
    context_object_name = "grids"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Grid]:
        today = timezone.localdate()
        roles = GridRole.objects.open_on(today)
        tagged = Household.objects.tagged()
        paired = tagged.filter(
            pk__in=services.AssistancePairing.objects.open_on(today).values("household_id")
        )
        qs = (
            visible_grids(self.request.user)
            .select_related("community")
            .annotate(
                household_count=_count(Household.objects.all(), "grid"),
                tagged_count=_count(tagged, "grid"),
                paired_count=_count(paired, "grid"),
                worker_count=_count(roles.filter(kind=GridRoleKind.WORKER), "grid"),
                open_disputes=_count(Dispute.objects.unresolved(), "grid"),
                reported_today=Exists(
                    ScreeningReport.objects.filter(grid=OuterRef("pk"), day=today)
                ),
                has_officer=Exists(
                    roles.filter(grid=OuterRef("pk"), kind=GridRoleKind.SCREENING_OFFICER)
                ),
            )
        )
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(community__name__icontains=query))
        return qs.order_by("community__name", "name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        today = timezone.localdate()
        context["today"] = today
        # Hardship coverage per community: tagged households with an open 3+2+1 pairing.
        tagged = Household.objects.tagged().filter(grid__in=visible_grids(self.request.user))
        paired_ids = services.AssistancePairing.objects.open_on(today).values("household_id")
        context["coverage"] = list(
            tagged.values("grid__community__name")
            .annotate(tagged=Count("pk"), paired=Count("pk", filter=Q(pk__in=paired_ids)))
            .order_by("grid__community__name")
        )
        return context


class MissingReportsView(StaffView, TemplateView):
    """Yesterday's missing daily reports (seen the next morning) and the week's figure."""

    permission_required = "grids.view_screeningreport"
    template_name = "staff/grids/missing_reports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        yesterday = today - dt.timedelta(days=1)
        grids = visible_grids(self.request.user)
        context["day"] = yesterday
        context["missing"] = list(
            services.missing_reports(grids, yesterday)
            .select_related("community")
            .order_by("community__name", "name")
        )
        week = [today - dt.timedelta(days=n) for n in range(7, 0, -1)]
        owed = filed = 0
        for day in week:  # seven days, two queries each: bounded whatever the number of grids
            expecting = services.grids_expecting_reports(grids, day)
            owed += expecting.count()
            filed += ScreeningReport.objects.filter(day=day, grid__in=expecting).count()
        context["week_start"], context["week_end"] = week[0], week[-1]
        context["week_owed"], context["week_filed"] = owed, filed
        context["week_missing"] = owed - filed
        return context


class HouseholdListView(StaffView, ListView):
    permission_required = "grids.view_household"
    template_name = "staff/grids/household_list.html"
    context_object_name = "households"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Household]:
        qs = Household.objects.visible_to(self.request.user).select_related(
            "grid__community", "compound", "building"
        )
        qs = qs.search(self.request.GET.get("q", ""))
        tag = self.request.GET.get("tag", "")
        if tag in Household.TAG_FIELDS:
            qs = qs.filter(**{tag: True})
        if self.request.GET.get("overdue"):
            qs = services.overdue_households(qs, timezone.localdate())
        return qs.order_by("grid__community__name", "grid__name", "address", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        context["tag"] = self.request.GET.get("tag", "")
        context["overdue"] = bool(self.request.GET.get("overdue"))
        context["tags"] = [
            (f, Household._meta.get_field(f).verbose_name) for f in Household.TAG_FIELDS
        ]
        return context


class HouseholdDetailView(StaffView, DetailView):
    permission_required = "grids.view_household"
    template_name = "staff/grids/household_detail.html"
    context_object_name = "household"

    def get_queryset(self) -> QuerySet[Household]:
        return Household.objects.visible_to(self.request.user).select_related(
            "grid__community", "compound", "building"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        household = self.object
        today = timezone.localdate()
        context["visits"] = list(household.visits.select_related("member", "recorded_by")[:30])
        context["contacts"] = list(
            ContactAssignment.objects.filter(household=household)
            .open_on(today)
            .select_related("member")
        )
        context["pairings"] = list(
            services.AssistancePairing.objects.filter(household=household)
            .open_on(today)
            .select_related("member")
        )
        context["care_visits"] = list(CareVisit.objects.filter(household=household)[:20])
        context["reveal_form"] = forms.RevealForm()
        context["today"] = today
        return context


class HouseholdRevealView(StaffView, RecentPasswordRequiredMixin, View):
    permission_required = ("grids.view_household", "grids.reveal_household_phone")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        household = get_object_or_404(
            Household.objects.visible_to(request.user).select_related("compound", "building"),
            pk=pk,
        )
        form = forms.RevealForm(request.POST)
        context: dict[str, Any] = {"household": household, "form": form}
        if form.is_valid():
            try:
                context["phone"] = services.reveal_household_phone(
                    household=household,
                    actor=request.user,
                    ip_address=client_ip(request),
                )
            except DomainError as refused:
                messages.error(request, refused.message)
                return redirect("staff:grid-household-detail", pk=household.pk)
        response = render(request, "staff/grids/household_reveal.html", context)
        response["Cache-Control"] = "no-store"
        return response


class DisputeListView(StaffView, ListView):
    permission_required = "grids.view_dispute"
    template_name = "staff/grids/dispute_list.html"
    context_object_name = "disputes"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Dispute]:
        qs = Dispute.objects.visible_to(self.request.user).select_related(
            "grid__community", "mediator", "mediator_team"
        )
        status = self.request.GET.get("status", "")
        if status in DisputeStatus.values:
            qs = qs.filter(status=status)
        kind = self.request.GET.get("kind", "")
        if kind in DisputeKind.values:
            qs = qs.filter(kind=kind)
        if self.request.GET.get("escalated"):
            qs = qs.filter(escalated_at__isnull=False)
        return qs.order_by("-opened_on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["statuses"] = DisputeStatus.choices
        context["kinds"] = DisputeKind.choices
        context["status"] = self.request.GET.get("status", "")
        context["kind"] = self.request.GET.get("kind", "")
        return context


class DisputeDetailView(StaffView, DetailView):
    permission_required = "grids.view_dispute"
    template_name = "staff/grids/dispute_detail.html"
    context_object_name = "dispute"

    def get_queryset(self) -> QuerySet[Dispute]:
        return Dispute.objects.visible_to(self.request.user).select_related(
            "grid__community", "mediator", "mediator_team"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.setdefault("session_form", forms.SessionForm(initial={"held_on": today}))
        context.setdefault("outcome_form", forms.OutcomeForm(initial={"closed_on": today}))
        context.setdefault("follow_up_form", forms.FollowUpForm(initial={"visited_on": today}))
        context["sessions"] = list(self.object.sessions.all())
        context["can_change"] = self.request.user.has_perm("grids.change_dispute")
        return context


class DisputeActionView(StaffView, View):
    """POST a session, the outcome or the follow-up visit of a dispute."""

    permission_required = "grids.change_dispute"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        dispute = get_object_or_404(Dispute.objects.visible_to(request.user), pk=pk)
        form_class, key = {
            "session": (forms.SessionForm, "session_form"),
            "outcome": (forms.OutcomeForm, "outcome_form"),
            "follow-up": (forms.FollowUpForm, "follow_up_form"),
        }.get(action, (None, ""))
        if form_class is None:
            return HttpResponse(status=404)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "session":
                    services.record_session(
                        dispute=dispute,
                        actor=request.user,
                        held_on=data["held_on"],
                        notes=data["notes"],
                    )
                elif action == "outcome":
                    services.close_dispute(
                        dispute=dispute,
                        actor=request.user,
                        outcome=data["outcome"],
                        closed_on=data["closed_on"],
                        note=data["note"],
                        agreement=data["agreement"],
                    )
                else:
                    services.record_follow_up(
                        dispute=dispute,
                        actor=request.user,
                        visited_on=data["visited_on"],
                        note=data["note"],
                    )
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("staff:grid-dispute-detail", args=[dispute.pk]))
        view = DisputeDetailView()
        view.setup(request, pk=pk)
        view.object = dispute
        context = view.get_context_data(**{key: form})
        return render(request, view.template_name, context, status=400)


class HouseholdCreateView(StaffView, View):
    permission_required = "grids.add_household"
    template_name = "staff/grids/form.html"

    def form(self, data: Any = None) -> forms.HouseholdForm:
        from branches.models import Compound

        grids = (
            visible_grids(self.request.user)
            .select_related("community")
            .order_by("community__name", "name")
        )
        compounds = Compound.objects.filter(community__grids__in=grids).distinct().order_by("name")
        return forms.HouseholdForm(data, grids=grids, compounds=compounds)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, self.template_name, {"form": self.form(), "title": _("New household")}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            grid, phone = data.pop("grid"), data.pop("phone")
            try:
                household = services.save_household(
                    actor=request.user, grid=grid, fields=data, phone=phone
                )
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:grid-household-detail", pk=household.pk)
        context = {"form": form, "title": _("New household")}
        return render(request, self.template_name, context, status=400)


class ContactAssignView(StaffView, View):
    """Assign a member to contact this household (联系户), within the settings' limit."""

    permission_required = "grids.add_contactassignment"
    template_name = "staff/grids/form.html"

    def form(self, household: Household, data: Any = None) -> forms.ContactForm:
        from members.models import Member

        members = (
            Member.objects.visible_to(self.request.user)
            .current()
            .filter(community_id=household.grid.community_id)
            .order_by("full_name")
        )
        return forms.ContactForm(data, members=members)

    def household(self, pk: int) -> Household:
        return visible_household_or_404(self.request.user, pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        household = self.household(pk)
        return render(
            request,
            self.template_name,
            {
                "form": self.form(household),
                "title": _("Assign a contact member"),
                "subject": household,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        household = self.household(pk)
        form = self.form(household, request.POST)
        if form.is_valid():
            try:
                services.assign_contact(
                    member=form.cleaned_data["member"],
                    household=household,
                    actor=request.user,
                    started_on=form.cleaned_data["started_on"],
                )
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:grid-household-detail", pk=household.pk)
        context = {"form": form, "title": _("Assign a contact member"), "subject": household}
        return render(request, self.template_name, context, status=400)


class DisputeCreateView(StaffView, View):
    permission_required = "grids.add_dispute"
    template_name = "staff/grids/form.html"

    def form(self, data: Any = None) -> forms.DisputeForm:
        from volunteers.models import VolunteerTeam

        grids = (
            visible_grids(self.request.user)
            .select_related("community")
            .order_by("community__name", "name")
        )
        teams = VolunteerTeam.objects.filter(
            community__in=grids.values("community_id"), is_active=True
        ).order_by("name")
        return forms.DisputeForm(data, grids=grids, teams=teams)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": self.form(), "title": _("New dispute")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                dispute = services.open_dispute(actor=request.user, **form.cleaned_data)
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:grid-dispute-detail", pk=dispute.pk)
        return render(
            request, self.template_name, {"form": form, "title": _("New dispute")}, status=400
        )


class CareCampaignListView(StaffView, ListView):
    """Festival campaigns of care visits (春节慰问) with how far each list is ticked off."""

    permission_required = "grids.view_carevisit"
    template_name = "staff/grids/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Any]:
        from grids.models import CareCampaign

        visible = CareVisit.objects.visible_to(self.request.user)
        given = (
            visible.filter(campaign=OuterRef("pk"), amount__isnull=False)
            .order_by()
            .values("campaign")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return (
            CareCampaign.objects.visible_to(self.request.user)
            .annotate(
                planned=_count(visible, "campaign"),
                done=_count(visible.done(), "campaign"),
                money_given=Subquery(
                    given, output_field=DecimalField(max_digits=12, decimal_places=2)
                ),
            )
            .order_by("-starts_on", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from members.models import Member

        context = super().get_context_data(**kwargs)
        # Members in hardship may be visited outside any campaign (households: on their page).
        context["hardship_members"] = list(
            Member.objects.visible_to(self.request.user)
            .current()
            .filter(in_hardship=True)
            .select_related("community")
            .order_by("community__name", "full_name", "pk")[:PAGE_SIZE]
        )
        return context


class CareCampaignDetailView(StaffView, View):
    """The campaign's list, each planned visit ticked off by recording it."""

    permission_required = "grids.view_carevisit"
    template_name = "staff/grids/campaign_detail.html"

    def campaign(self, pk: int) -> Any:
        from grids.models import CareCampaign

        return get_object_or_404(CareCampaign.objects.visible_to(self.request.user), pk=pk)

    def render_page(
        self, campaign: Any, form: Any = None, failed: int | None = None, status: int = 200
    ) -> HttpResponse:
        rows = (
            CareVisit.objects.visible_to(self.request.user)
            .filter(campaign=campaign)
            .select_related("member", "household__compound", "household__building", "community")
            .order_by("visited_on", "community__name", "pk")
        )
        paginator = Paginator(rows, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        # Money given in this campaign (of the visits in the user's scope), per fund and in all.
        funds = dict(CareFund.choices)
        by_fund = [
            (funds.get(row["fund"], row["fund"]), row["total"], row["visits"])
            for row in CareVisit.objects.visible_to(self.request.user)
            .filter(campaign=campaign, amount__isnull=False)
            .order_by("fund")
            .values("fund")
            .annotate(total=Sum("amount"), visits=Count("pk"))
        ]
        return render(
            self.request,
            self.template_name,
            {
                "campaign": campaign,
                "page_obj": page,
                "rows": page.object_list,
                "form": form,
                "blank_form": forms.CareTickForm(initial={"visited_on": timezone.localdate()}),
                "failed": failed,
                "by_fund": by_fund,
                "money_total": sum((row[1] for row in by_fund), Decimal("0")),
                "can_tick": self.request.user.has_perm("grids.change_carevisit"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.campaign(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("grids.change_carevisit"):
            raise PermissionDenied
        campaign = self.campaign(pk)
        planned = get_object_or_404(
            CareVisit.objects.visible_to(request.user).filter(campaign=campaign),
            pk=request.POST.get("visit") if str(request.POST.get("visit", "")).isdigit() else 0,
        )
        form = forms.CareTickForm(request.POST)
        if form.is_valid():
            try:
                services.record_care_visit(actor=request.user, planned=planned, **form.cleaned_data)
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:grid-campaign-detail", pk=campaign.pk)
        return self.render_page(campaign, form, failed=planned.pk, status=400)
