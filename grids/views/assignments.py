"""Staff pages that make and end the standing arrangements of grid work: dated grid roles,
联系户 by road section, 3+2+1 pairings (and the end of any 联系户 or pairing), and festival care
campaigns.

Deny-by-default like every staff page: login, then a permission, then the scope (the grid,
household or link must be in `visible_to(request.user)`, else 404). Writes go through
grids.services, whose refusals (the limits of the settings among them) come back as a message
on the form and write nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.scope import scope_for
from accounts.service_form import form_error_from
from branches.models import Grid, SubDistrict
from grids import forms, services
from grids.models import AssistancePairing, ContactAssignment, GridRole, Household
from grids.views.staff import visible_grids, visible_household_or_404
from members.models import Member

FORM_TEMPLATE = "staff/grids/form.html"


def _members_of_community(user: Any, community_id: int) -> QuerySet[Member]:
    return (
        Member.objects.visible_to(user)
        .current()
        .filter(community_id=community_id)
        .order_by("full_name", "pk")
    )


class GridDetailView(StaffView, DetailView):
    """One grid: its people on their dated roles and the road sections walked as 联系户."""

    permission_required = "grids.view_gridrole"
    template_name = "staff/grids/grid_detail.html"
    context_object_name = "grid"

    def get_queryset(self) -> QuerySet[Grid]:
        return visible_grids(self.request.user).select_related("community")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        user = self.request.user
        context["roles"] = list(
            GridRole.objects.filter(grid=self.object)
            .open_on(today)
            .select_related("user")
            .order_by("kind", "started_on", "pk")
        )
        context["sections"] = list(
            ContactAssignment.objects.filter(grid=self.object, household__isnull=True)
            .open_on(today)
            .select_related("member")
            .order_by("road_section", "pk")
        )
        context["end_form"] = forms.EndForm(initial={"ended_on": today})
        context["can_end_role"] = user.has_perm("grids.change_gridrole")
        context["can_end_link"] = user.has_perm("grids.change_contactassignment")
        return context


class _GridFormView(StaffView, View):
    """A form about one grid of the user's scope."""

    title = ""

    def grid(self, pk: int) -> Grid:
        return get_object_or_404(
            visible_grids(self.request.user).select_related("community"), pk=pk
        )

    def make_form(self, grid: Grid, data: Any = None) -> Any:
        raise NotImplementedError

    def save(self, grid: Grid, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def page(self, grid: Grid, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": self.title, "subject": grid}
        return render(self.request, FORM_TEMPLATE, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        grid = self.grid(pk)
        return self.page(grid, self.make_form(grid))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grid = self.grid(pk)
        form = self.make_form(grid, request.POST)
        if form.is_valid():
            try:
                self.save(grid, form.cleaned_data)
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:grid-detail", pk=grid.pk)
        return self.page(grid, form, status=400)


class GridRoleCreateView(_GridFormView):
    permission_required = "grids.add_gridrole"

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Give a grid role")

    def make_form(self, grid: Grid, data: Any = None) -> forms.GridRoleForm:
        return forms.GridRoleForm(data)

    def save(self, grid: Grid, data: dict[str, Any]) -> None:
        services.assign_grid_role(
            grid=grid,
            kind=data["kind"],
            started_on=data["started_on"],
            actor=self.request.user,
            user=data["username"],
            contact_name=data["contact_name"],
        )


class RoadSectionAssignView(_GridFormView):
    permission_required = "grids.add_contactassignment"

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Assign a road section")

    def make_form(self, grid: Grid, data: Any = None) -> forms.RoadSectionForm:
        return forms.RoadSectionForm(
            data, members=_members_of_community(self.request.user, grid.community_id)
        )

    def save(self, grid: Grid, data: dict[str, Any]) -> None:
        services.assign_contact(
            member=data["member"],
            grid=grid,
            road_section=data["road_section"],
            started_on=data["started_on"],
            actor=self.request.user,
        )


class PairingCreateView(StaffView, View):
    """3+2+1: pair a member of the household's community with it, within the tier's limit."""

    permission_required = "grids.add_assistancepairing"

    def household(self, pk: int) -> Household:
        return visible_household_or_404(self.request.user, pk)

    def make_form(self, household: Household, data: Any = None) -> forms.PairingForm:
        members = _members_of_community(self.request.user, household.grid.community_id)
        return forms.PairingForm(data, members=members)

    def page(self, household: Household, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": _("Pair a member (3+2+1)"), "subject": household}
        return render(self.request, FORM_TEMPLATE, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        household = self.household(pk)
        return self.page(household, self.make_form(household))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        household = self.household(pk)
        form = self.make_form(household, request.POST)
        if form.is_valid():
            try:
                services.pair_for_assistance(
                    member=form.cleaned_data["member"],
                    household=household,
                    tier=form.cleaned_data["tier"],
                    started_on=form.cleaned_data["started_on"],
                    actor=request.user,
                )
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:grid-household-detail", pk=household.pk)
        return self.page(household, form, status=400)


class _EndView(StaffView, View):
    """POST the day a role or a link ended; a refusal is shown as a message, nothing written."""

    def target(self, pk: int) -> Any:
        raise NotImplementedError

    def end(self, target: Any, ended_on: Any) -> None:
        raise NotImplementedError

    def back(self, target: Any) -> HttpResponse:
        if getattr(target, "household_id", None):
            return redirect("staff:grid-household-detail", pk=target.household_id)
        return redirect("staff:grid-detail", pk=target.grid_id)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = self.target(pk)
        form = forms.EndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the day it ended."))
            return self.back(target)
        try:
            self.end(target, form.cleaned_data["ended_on"])
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Saved."))
        return self.back(target)


class GridRoleEndView(_EndView):
    permission_required = "grids.change_gridrole"

    def target(self, pk: int) -> GridRole:
        return get_object_or_404(GridRole.objects.visible_to(self.request.user), pk=pk)

    def end(self, target: GridRole, ended_on: Any) -> None:
        services.end_grid_role(role=target, ended_on=ended_on, actor=self.request.user)


class ContactEndView(_EndView):
    permission_required = "grids.change_contactassignment"

    def target(self, pk: int) -> ContactAssignment:
        return get_object_or_404(ContactAssignment.objects.visible_to(self.request.user), pk=pk)

    def end(self, target: ContactAssignment, ended_on: Any) -> None:
        services.end_link(link=target, ended_on=ended_on, actor=self.request.user)


class PairingEndView(_EndView):
    permission_required = "grids.change_assistancepairing"

    def target(self, pk: int) -> AssistancePairing:
        return get_object_or_404(AssistancePairing.objects.visible_to(self.request.user), pk=pk)

    def end(self, target: AssistancePairing, ended_on: Any) -> None:
        services.end_link(link=target, ended_on=ended_on, actor=self.request.user)


class CareCampaignCreateView(StaffView, View):
    """Plan a festival campaign: its list is drawn from the sub-district's hardship records."""

    permission_required = "grids.add_carecampaign"

    def make_form(self, data: Any = None) -> forms.CampaignForm:
        scope = scope_for(self.request.user)
        sub_districts = SubDistrict.objects.order_by("name")
        if not scope.everything:
            sub_districts = sub_districts.filter(pk__in=scope.sub_district_ids)
        return forms.CampaignForm(data, sub_districts=sub_districts)

    def page(self, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": _("Plan a care campaign")}
        return render(self.request, FORM_TEMPLATE, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.make_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                campaign = services.plan_campaign(actor=request.user, **form.cleaned_data)
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect("staff:grid-campaign-detail", pk=campaign.pk)
        return self.page(form, status=400)


class CareVisitCreateView(StaffView, View):
    """A care visit outside any campaign, to a tagged household or a member in hardship (the
    service refuses anyone else)."""

    permission_required = "grids.add_carevisit"
    kind = "household"

    def recipient(self, pk: int) -> Household | Member:
        if self.kind == "member":
            return get_object_or_404(Member.objects.visible_to(self.request.user), pk=pk)
        return visible_household_or_404(self.request.user, pk)

    def page(self, recipient: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": _("Record a care visit"), "subject": recipient}
        return render(self.request, FORM_TEMPLATE, context, status=status)

    def back(self, recipient: Any) -> HttpResponse:
        if self.kind == "member":
            return redirect("staff:grid-campaign-list")
        return redirect("staff:grid-household-detail", pk=recipient.pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = forms.CareTickForm(initial={"visited_on": timezone.localdate()})
        return self.page(self.recipient(pk), form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        recipient = self.recipient(pk)
        form = forms.CareTickForm(request.POST)
        if form.is_valid():
            try:
                services.record_care_visit(
                    actor=request.user, **{self.kind: recipient}, **form.cleaned_data
                )
            except DomainError as refused:
                form_error_from(form, refused)
            else:
                messages.success(request, _("Saved."))
                return self.back(recipient)
        return self.page(recipient, form, status=400)
