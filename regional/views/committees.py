"""Staff pages of regional party building: regional committees (their member units over time,
part-time members, visits) and co-building units (their seats, visits, pairings, liaison).

Reads build rows from `visible_to(request.user)`; writes go through regional.services.committees,
whose refusals are shown on the form.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms import Form
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from accounts.access import StaffView
from accounts.service_form import ServicePageMixin
from branches.models import CoBuildingUnit, UnitType
from regional.forms import committees as forms
from regional.models import (
    CommitteeLevel,
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    UnitVisit,
)
from regional.services import committees as services
from regional.services.joint_reminders import quarter_statuses

PAGE_SIZE = 50
VISITS_ON_COMMITTEE_PAGE = 20


def _count_of(queryset: QuerySet, outer_field: str) -> Subquery:
    """A correlated COUNT(*) as a subquery, so list pages stay one query whatever the joins."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Regional committees ------------------------------------------------------------------------


class RegionalCommitteeListView(StaffView, ListView):
    permission_required = "regional.view_regionalcommittee"
    template_name = "staff/regional/committees/committee_list.html"
    context_object_name = "committees"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[RegionalCommittee]:
        qs = (
            RegionalCommittee.objects.visible_to(self.request.user)
            .select_related("sub_district")
            .prefetch_related("communities")
            .annotate(unit_count=_count_of(RegionalMembership.objects.open(), "committee"))
        )
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(communities__name__icontains=query))
        level = self.request.GET.get("level", "")
        if level in CommitteeLevel.values:
            qs = qs.filter(level=level)
        # The sub-district level (大工委) first, then the community committees.
        return qs.order_by("-level", "name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["levels"] = CommitteeLevel.choices
        context["query"] = self.request.GET.get("q", "")
        context["level"] = self.request.GET.get("level", "")
        return context


class RegionalCommitteeDetailView(StaffView, DetailView):
    permission_required = "regional.view_regionalcommittee"
    template_name = "staff/regional/committees/committee_detail.html"
    context_object_name = "committee"

    def get_queryset(self) -> QuerySet[RegionalCommittee]:
        return RegionalCommittee.objects.visible_to(self.request.user).select_related(
            "sub_district"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        committee = self.object
        user = self.request.user
        as_of = forms.AsOfForm(self.request.GET or None)
        day = timezone.localdate()
        if as_of.is_valid() and as_of.cleaned_data["on"]:
            day = as_of.cleaned_data["on"]
        seats = RegionalMembership.objects.visible_to(user).filter(committee=committee)
        context["as_of_form"] = as_of
        context["day"] = day
        context["members_on_day"] = list(
            seats.on(day).select_related("unit").order_by("unit__name", "pk")
        )
        context["history"] = list(seats.select_related("unit").order_by("-joined_on", "pk"))
        context["part_time_members"] = list(
            PartTimeMember.objects.visible_to(user)
            .filter(committee=committee)
            .select_related("unit")
            .order_by("ended_on", "-started_on", "pk")
        )
        context["communities"] = list(committee.communities.order_by("name"))
        today = timezone.localdate()
        context["joint_quarter"] = quarter_statuses([committee], today)[committee.pk]
        context["joint_quarter_days_left"] = context["joint_quarter"].days_left(today)
        context["joint_warnings"] = list(committee.joint_meeting_warnings.all()[:8])
        visits = (
            UnitVisit.objects.visible_to(user)
            .filter(unit__memberships__committee=committee)
            .select_related("unit")
            .distinct()
            .order_by("-visited_on", "-pk")
        )
        context["visits"] = list(visits[:VISITS_ON_COMMITTEE_PAGE])
        context["visits_limited"] = len(context["visits"]) == VISITS_ON_COMMITTEE_PAGE
        return context


class ServiceFormView(StaffView, ServicePageMixin, FormView):
    """A service form of the regional pages (workbench users only)."""

    template_name = "staff/regional/committees/form.html"


class RegionalCommitteeCreateView(ServiceFormView):
    permission_required = "regional.add_regionalcommittee"
    form_class = forms.RegionalCommitteeForm
    title = gettext_lazy("New regional committee")
    success_message = gettext_lazy("The regional committee was created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def back_url(self) -> str:
        return reverse("staff:regional-committee-list")

    def perform(self, form: Form) -> RegionalCommittee:
        data = form.cleaned_data
        return services.create_regional_committee(
            sub_district=data["sub_district"],
            level=data["level"],
            name=data["name"],
            founded_on=data["founded_on"],
            communities=data["communities"],
            note=data["note"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return _committee_url(self.result)


def _committee_url(committee: RegionalCommittee | int) -> str:
    pk = committee if isinstance(committee, int) else committee.pk
    return reverse("staff:regional-committee-detail", args=[pk])


def _unit_url(unit: CoBuildingUnit | int) -> str:
    pk = unit if isinstance(unit, int) else unit.pk
    return reverse("staff:unit-detail", args=[pk])


class AdmitUnitView(ServiceFormView):
    permission_required = "regional.add_regionalmembership"
    model = RegionalCommittee
    form_class = forms.AdmitUnitForm
    title = gettext_lazy("Admit a member unit")
    success_message = gettext_lazy("The unit was admitted to the committee.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "committee": self.object, "user": self.request.user}

    def back_url(self) -> str:
        return _committee_url(self.object)

    def perform(self, form: Form) -> RegionalMembership:
        return services.admit_unit(
            committee=self.object,
            unit=form.cleaned_data["unit"],
            joined_on=form.cleaned_data["joined_on"],
            actor=self.request.user,
        )


class RemoveUnitView(ServiceFormView):
    permission_required = "regional.change_regionalmembership"
    model = RegionalMembership
    form_class = forms.EndDateForm
    title = gettext_lazy("Record a unit leaving the committee")
    success_message = gettext_lazy("The unit's leaving was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "label": gettext_lazy("Left on"),
            "submit": gettext_lazy("Record leaving"),
        }

    def back_url(self) -> str:
        return _committee_url(self.object.committee_id)

    def perform(self, form: Form) -> RegionalMembership:
        return services.remove_unit(
            membership=self.object, left_on=form.cleaned_data["ended_on"], actor=self.request.user
        )


class AppointPartTimeMemberView(ServiceFormView):
    permission_required = "regional.add_parttimemember"
    model = RegionalCommittee
    form_class = forms.PartTimeMemberForm
    title = gettext_lazy("Appoint a part-time committee member")
    success_message = gettext_lazy("The part-time member was appointed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "committee": self.object, "user": self.request.user}

    def back_url(self) -> str:
        return _committee_url(self.object)

    def perform(self, form: Form) -> PartTimeMember:
        data = form.cleaned_data
        return services.appoint_part_time_member(
            committee=self.object,
            unit=data["unit"],
            full_name=data["full_name"],
            title=data["title"],
            started_on=data["started_on"],
            actor=self.request.user,
        )


class EndPartTimeMemberView(ServiceFormView):
    permission_required = "regional.change_parttimemember"
    model = PartTimeMember
    form_class = forms.EndDateForm
    title = gettext_lazy("End a part-time member's appointment")
    success_message = gettext_lazy("The appointment was ended.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "label": gettext_lazy("Until")}

    def back_url(self) -> str:
        return _committee_url(self.object.committee_id)

    def perform(self, form: Form) -> PartTimeMember:
        return services.end_part_time_member(
            member=self.object, ended_on=form.cleaned_data["ended_on"], actor=self.request.user
        )


# --- Co-building units --------------------------------------------------------------------------


class UnitListView(StaffView, ListView):
    permission_required = "branches.view_cobuildingunit"
    template_name = "staff/regional/committees/unit_list.html"
    context_object_name = "units"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[CoBuildingUnit]:
        qs = (
            CoBuildingUnit.objects.visible_to(self.request.user)
            .select_related("sub_district", "liaison")
            .annotate(
                committee_count=_count_of(RegionalMembership.objects.open(), "unit"),
                open_follow_ups=_count_of(
                    UnitVisit.objects.filter(follow_up_done_on__isnull=True).exclude(follow_up=""),
                    "unit",
                ),
            )
        )
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(
                Q(name__icontains=query)
                | Q(party_organization_name__icontains=query)
                | Q(leader_name__icontains=query)
            )
        unit_type = self.request.GET.get("type", "")
        if unit_type in UnitType.values:
            qs = qs.filter(unit_type=unit_type)
        return qs.order_by("name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["unit_types"] = UnitType.choices
        context["query"] = self.request.GET.get("q", "")
        context["unit_type"] = self.request.GET.get("type", "")
        return context


class UnitDetailView(StaffView, DetailView):
    permission_required = "branches.view_cobuildingunit"
    template_name = "staff/regional/committees/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self) -> QuerySet[CoBuildingUnit]:
        return CoBuildingUnit.objects.visible_to(self.request.user).select_related(
            "sub_district", "liaison"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = self.object
        user = self.request.user
        today = timezone.localdate()
        context["today"] = today
        context["seats"] = list(
            RegionalMembership.objects.visible_to(user)
            .filter(unit=unit)
            .select_related("committee")
            .order_by("-joined_on", "pk")
        )
        context["part_time_members"] = list(
            PartTimeMember.objects.visible_to(user)
            .filter(unit=unit)
            .select_related("committee")
            .order_by("ended_on", "-started_on", "pk")
        )
        context["pairings"] = list(
            Pairing.objects.visible_to(user)
            .filter(unit=unit)
            .select_related("community")
            .order_by("ended_on", "-started_on", "pk")
        )
        visits = (
            UnitVisit.objects.visible_to(user)
            .filter(unit=unit)
            .select_related("recorded_by")
            .order_by("-visited_on", "-pk")
        )
        context["visits_page"] = Paginator(visits, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class UnitCreateView(ServiceFormView):
    permission_required = "branches.add_cobuildingunit"
    form_class = forms.UnitForm
    title = gettext_lazy("Register a co-building unit")
    success_message = gettext_lazy("The unit was registered.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def back_url(self) -> str:
        return reverse("staff:unit-list")

    def perform(self, form: Form) -> CoBuildingUnit:
        data = dict(form.cleaned_data)
        return services.register_unit(
            sub_district=data.pop("sub_district"), actor=self.request.user, **data
        )

    def get_success_url(self) -> str:
        return _unit_url(self.result)


class UnitUpdateView(ServiceFormView):
    permission_required = "branches.change_cobuildingunit"
    model = CoBuildingUnit
    form_class = forms.UnitForm
    title = gettext_lazy("Change a co-building unit")
    success_message = gettext_lazy("The unit was saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "unit": self.object}

    def back_url(self) -> str:
        return _unit_url(self.object)

    def perform(self, form: Form) -> CoBuildingUnit:
        data = dict(form.cleaned_data)
        liaison = data.pop("liaison")
        return services.update_unit(
            unit=self.object, actor=self.request.user, liaison=liaison, **data
        )


class RecordVisitView(ServiceFormView):
    permission_required = "regional.add_unitvisit"
    model = CoBuildingUnit
    form_class = forms.VisitForm
    title = gettext_lazy("Record a visit")
    success_message = gettext_lazy("The visit was recorded.")

    def back_url(self) -> str:
        return _unit_url(self.object)

    def perform(self, form: Form) -> UnitVisit:
        return services.record_visit(unit=self.object, actor=self.request.user, **form.cleaned_data)


class CompleteFollowUpView(ServiceFormView):
    permission_required = "regional.change_unitvisit"
    model = UnitVisit
    form_class = forms.FollowUpForm
    title = gettext_lazy("Complete a visit's follow-up")
    success_message = gettext_lazy("The follow-up was marked done.")

    def back_url(self) -> str:
        return _unit_url(self.object.unit_id)

    def perform(self, form: Form) -> UnitVisit:
        return services.complete_visit_follow_up(
            visit=self.object,
            done_on=form.cleaned_data["done_on"],
            follow_up=form.cleaned_data["follow_up"],
            actor=self.request.user,
        )


class PairUnitView(ServiceFormView):
    permission_required = "regional.add_pairing"
    model = CoBuildingUnit
    form_class = forms.PairingForm
    title = gettext_lazy("Pair the unit with a community")
    success_message = gettext_lazy("The pairing was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "unit": self.object, "user": self.request.user}

    def back_url(self) -> str:
        return _unit_url(self.object)

    def perform(self, form: Form) -> Pairing:
        return services.pair_unit_with_community(
            unit=self.object, actor=self.request.user, **form.cleaned_data
        )


class EndPairingView(ServiceFormView):
    permission_required = "regional.change_pairing"
    model = Pairing
    form_class = forms.EndDateForm
    title = gettext_lazy("End a pairing")
    success_message = gettext_lazy("The pairing was ended.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "label": gettext_lazy("Until")}

    def back_url(self) -> str:
        return _unit_url(self.object.unit_id)

    def perform(self, form: Form) -> Pairing:
        return services.end_pairing(
            pairing=self.object, ended_on=form.cleaned_data["ended_on"], actor=self.request.user
        )


__all__ = [
    "AdmitUnitView",
    "AppointPartTimeMemberView",
    "CompleteFollowUpView",
    "EndPairingView",
    "EndPartTimeMemberView",
    "PairUnitView",
    "RecordVisitView",
    "RegionalCommitteeCreateView",
    "RegionalCommitteeDetailView",
    "RegionalCommitteeListView",
    "RemoveUnitView",
    "UnitCreateView",
    "UnitDetailView",
    "UnitListView",
    "UnitUpdateView",
]
