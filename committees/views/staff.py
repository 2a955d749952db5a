"""Staff forms that record committee elections and appointments on the organisation page.

They share the organisation actions' base (`branches.views.actions.OrganizationActionView`): the
organisation comes through `visible_to` (404 out of scope), the cleaned form goes to one service,
and a refused rule becomes a form error with nothing written. URLs and URL names are those they
had in `branches` (`staff:committee-term-new` …).
"""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.forms import EffectiveDateForm
from branches.models import Organization
from branches.views.actions import OrganizationActionView
from committees import forms
from committees.models import CommitteePosition, CommitteeTerm
from committees.services import terms
from members.models import Member


class StartTermView(OrganizationActionView):
    permission_required = "committees.add_committeeterm"
    form_class = forms.CommitteeTermForm
    title = gettext_lazy("Record a committee election")
    success_message = gettext_lazy("The new committee term is recorded.")

    def perform(self, form: Form) -> Organization:
        data = form.cleaned_data
        terms.start_committee_term(
            organization=self.get_organization(),
            started_on=data["started_on"],
            planned_end_on=data["planned_end_on"],
            note=data["note"],
            actor=self.request.user,
        )
        return self.get_organization()


class AppointPositionView(OrganizationActionView):
    permission_required = "committees.add_committeeterm"
    form_class = forms.AppointPositionForm
    title = gettext_lazy("Appoint to the committee")
    success_message = gettext_lazy("The position is recorded.")

    def get_term(self) -> CommitteeTerm:
        return get_object_or_404(
            CommitteeTerm, organization=self.get_organization(), ended_on__isnull=True
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        org = self.get_organization()
        members = (
            Member.objects.visible_to(self.request.user)
            .current()
            .filter(organization__path__startswith=org.path)
        )
        return {**super().get_form_kwargs(), "members": members}

    def perform(self, form: Form) -> Organization:
        data = form.cleaned_data
        terms.appoint_position(
            term=self.get_term(),
            member=data["member"],
            position=data["position"],
            started_on=data["started_on"],
            actor=self.request.user,
        )
        return self.get_organization()


class EndPositionView(OrganizationActionView):
    permission_required = "committees.add_committeeterm"
    form_class = EffectiveDateForm
    title = gettext_lazy("End a committee position")
    success_message = gettext_lazy("The position is ended.")

    def get_position(self) -> CommitteePosition:
        return get_object_or_404(
            CommitteePosition.objects.select_related("member"),
            pk=self.kwargs["position_pk"],
            term__organization=self.get_organization(),
            ended_on__isnull=True,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        position = self.get_position()
        context["title"] = _("End %(position)s of %(member)s") % {
            "position": position.get_position_display(),
            "member": position.member.full_name,
        }
        return context

    def perform(self, form: Form) -> Organization:
        terms.end_position(
            position=self.get_position(), ended_on=form.cleaned_data["on"], actor=self.request.user
        )
        return self.get_organization()


class ExtendTermView(OrganizationActionView):
    """The level above approved a later election: the current term's planned end moves."""

    permission_required = "committees.add_termextension"
    form_class = forms.TermExtensionForm
    title = gettext_lazy("Extend the committee's term")
    success_message = gettext_lazy("The extension is recorded; the term's planned end has moved.")

    def get_term(self) -> CommitteeTerm:
        return get_object_or_404(
            CommitteeTerm, organization=self.get_organization(), ended_on__isnull=True
        )

    def get_initial(self) -> dict[str, Any]:
        parent = self.get_organization().get_parent()
        return {"approved_by": parent.name if parent is not None else ""}

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.get_term()  # 404 without a current term
        return super().get(request, *args, **kwargs)

    def perform(self, form: Form) -> Organization:
        data = form.cleaned_data
        terms.extend_term(
            term=self.get_term(),
            extended_to=data["extended_to"],
            approved_by=data["approved_by"],
            approved_on=data["approved_on"],
            reason=data["reason"],
            actor=self.request.user,
        )
        return self.get_organization()
