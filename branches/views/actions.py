"""Staff forms that restructure the tree (the committee elections are in `committees.views`).

Every view finds its organisation through `visible_to` (404 out of scope), hands the cleaned
form to one service (`ServiceFormMixin`), and a refused rule is shown on the form: nothing is
written then.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import Form
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from accounts.access import StaffView
from accounts.service_form import ServiceFormMixin
from branches import forms
from branches.extensions import member_model
from branches.models import Organization
from branches.services import tree


class OrganizationActionView(StaffView, ServiceFormMixin, FormView):
    permission_required = "branches.change_organization"
    template_name = "staff/branches/organization_action.html"
    title: Any = ""

    def get_organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                Organization.objects.visible_to(self.request.user).active(),
                pk=self.kwargs["pk"],
            )
        return self._organization

    def visible_active(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user).active()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["organization"] = self.get_organization()
        context["title"] = self.title
        return context

    def get_success_url(self) -> str:
        """The organisation the service returns (the new one, or the one that changed)."""
        return reverse("staff:organization-detail", args=[self.result.pk])


class FoundChildView(OrganizationActionView):
    form_class = forms.FoundOrganizationForm
    title = gettext_lazy("Found an organisation under it")
    success_message = gettext_lazy("The organisation is founded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "parent": self.get_organization()}

    def perform(self, form: Form) -> Organization:
        parent = self.get_organization()
        data = form.cleaned_data
        return tree.found_organization(
            sub_district=parent.sub_district,
            parent=parent,
            name=data["name"],
            kind=data["kind"],
            sector=data["sector"],
            founded_on=data["founded_on"],
            is_joint=data["is_joint"],
            is_temporary=data["is_temporary"],
            ends_on=data["ends_on"],
            note=data["note"],
            actor=self.request.user,
        )


class RenameView(OrganizationActionView):
    form_class = forms.RenameForm
    title = gettext_lazy("Rename")
    success_message = gettext_lazy("The organisation is renamed.")

    def perform(self, form: Form) -> Organization:
        return tree.rename_organization(
            organization=self.get_organization(),
            name=form.cleaned_data["name"],
            on=form.cleaned_data["on"],
            actor=self.request.user,
        )


class ChangeKindView(OrganizationActionView):
    form_class = forms.ChangeKindForm
    title = gettext_lazy("Change kind")
    success_message = gettext_lazy("The kind is changed.")

    def perform(self, form: Form) -> Organization:
        return tree.change_kind(
            organization=self.get_organization(),
            kind=form.cleaned_data["kind"],
            on=form.cleaned_data["on"],
            actor=self.request.user,
        )


class MoveView(OrganizationActionView):
    form_class = forms.MoveForm
    title = gettext_lazy("Move under another organisation")
    success_message = gettext_lazy("The organisation is moved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        org = self.get_organization()
        candidates = self.visible_active().exclude(path__startswith=org.path)
        return {**super().get_form_kwargs(), "candidates": candidates}

    def perform(self, form: Form) -> Organization:
        return tree.move_organization(
            organization=self.get_organization(),
            new_parent=form.cleaned_data["new_parent"],
            on=form.cleaned_data["on"],
            actor=self.request.user,
        )


class MergeView(OrganizationActionView):
    form_class = forms.MergeForm
    title = gettext_lazy("Merge")
    success_message = gettext_lazy("The organisations are merged.")

    def get_form_kwargs(self) -> dict[str, Any]:
        org = self.get_organization()
        candidates = self.visible_active().filter(kind=org.kind).exclude(pk=org.pk)
        return {**super().get_form_kwargs(), "candidates": candidates}

    def perform(self, form: Form) -> Organization:
        org = self.get_organization()
        data = form.cleaned_data
        others = list(data["others"])
        if data["mode"] == "into":
            return tree.merge_organizations(
                sources=others, into=org, on=data["on"], actor=self.request.user
            )
        return tree.merge_organizations(
            sources=[org, *others],
            new_name=data["new_name"],
            on=data["on"],
            actor=self.request.user,
        )


class SplitView(OrganizationActionView):
    form_class = forms.SplitForm
    title = gettext_lazy("Split")
    success_message = gettext_lazy("The new branch is founded and the members moved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        members = member_model().objects.current().filter(organization=self.get_organization())
        return {**super().get_form_kwargs(), "members": members}

    def perform(self, form: Form) -> Organization:
        data = form.cleaned_data
        created = tree.split_organization(
            source=self.get_organization(),
            parts=[(data["new_name"], [m.pk for m in data["members"]])],
            on=data["on"],
            archive_source=data["archive_source"],
            actor=self.request.user,
        )
        return created[0]


class DissolveView(OrganizationActionView):
    form_class = forms.DissolveForm
    title = gettext_lazy("Dissolve")
    success_message = gettext_lazy("The organisation is dissolved and archived.")

    def perform(self, form: Form) -> Organization:
        return tree.dissolve_organization(
            organization=self.get_organization(),
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )
