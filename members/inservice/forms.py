"""Forms of community registration, needs, services and their review. Choices are narrowed to
what the user may see; the services re-check every rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from branches.models import CoBuildingUnit, Community, Organization
from config.widgets import DateInput
from members.models import (
    CommunityNeed,
    CommunityRegistration,
    Member,
    MembershipState,
    ServiceKind,
)
from members.querysets import managed_communities


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput())


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label))
    return helper


def reachable_communities(user: User) -> Any:
    """Communities of the sub-districts the user works in (a member registers where they live)."""
    return Community.objects.visible_to(user).select_related("sub_district").order_by("name")


class _EmployerFields(forms.Form):
    employer_name = forms.CharField(
        label=_("employer"),
        max_length=100,
        required=False,
        help_text=_("Leave blank to use the member's work unit."),
    )
    employer_unit = forms.ModelChoiceField(
        label=_("employer (co-building unit)"),
        queryset=CoBuildingUnit.objects.none(),
        required=False,
    )
    employer_organization = forms.ModelChoiceField(
        label=_("employer's party organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Leave blank to use the branch that keeps the member's record."),
    )

    def _narrow(self, user: User) -> None:
        self.fields["employer_unit"].queryset = CoBuildingUnit.objects.visible_to(user)
        self.fields["employer_organization"].queryset = Organization.objects.visible_to(
            user
        ).filter(status="active")


class RegistrationForm(_EmployerFields):
    member = forms.ModelChoiceField(label=_("party member"), queryset=Member.objects.none())
    community = forms.ModelChoiceField(label=_("community"), queryset=Community.objects.none())
    registered_on = _date(_("registered on"))
    skills = forms.CharField(label=_("skills"), max_length=200, required=False)
    preferred_service = forms.ChoiceField(
        label=_("preferred service"),
        choices=[("", "---------"), *ServiceKind.choices],
        required=False,
    )

    field_order = [
        "member",
        "community",
        "registered_on",
        "employer_name",
        "employer_unit",
        "employer_organization",
        "skills",
        "preferred_service",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.visible_to(user)
            .filter(state=MembershipState.ACTIVE)
            .select_related("organization")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} · {m.organization}"
        self.fields["community"].queryset = reachable_communities(user)
        self._narrow(user)
        self.helper = _helper(_("Register"))


class BulkRegistrationForm(_EmployerFields):
    """A unit registers several of its members with one community at once."""

    members = forms.ModelMultipleChoiceField(
        label=_("party members"),
        queryset=Member.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    community = forms.ModelChoiceField(label=_("community"), queryset=Community.objects.none())
    registered_on = _date(_("registered on"))

    field_order = [
        "members",
        "community",
        "registered_on",
        "employer_name",
        "employer_unit",
        "employer_organization",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            Member.objects.visible_to(user)
            .filter(state=MembershipState.ACTIVE, category="in_service")
            .select_related("organization")
        )
        self.fields["members"].label_from_instance = lambda m: f"{m.full_name} · {m.organization}"
        self.fields["community"].queryset = reachable_communities(user)
        self._narrow(user)
        self.helper = _helper(_("Register all of them"))


class RegistrationImportForm(_EmployerFields):
    file = forms.FileField(
        label=_("Excel file (.xlsx) or CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._narrow(user)
        self.helper = _helper(_("Check and register"))


class EndRegistrationForm(forms.Form):
    ended_on = _date(_("ended on"))
    reason = forms.CharField(label=_("reason for ending"), max_length=200, required=False)


class NeedForm(forms.Form):
    community = forms.ModelChoiceField(label=_("community"), queryset=Community.objects.none())
    title = forms.CharField(label=_("what is needed"), max_length=100)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    needed_by = _date(_("needed by"))
    slots = forms.IntegerField(label=_("people needed"), min_value=1, max_value=200)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = managed_communities(user).order_by("name")
        self.helper = _helper(_("Post the need"))


class ClaimForm(forms.Form):
    registration = forms.ModelChoiceField(
        label=_("registered member"), queryset=CommunityRegistration.objects.none()
    )

    def __init__(self, *args: Any, user: User, need: CommunityNeed, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = (
            CommunityRegistration.objects.visible_to(user)
            .active()
            .filter(community_id=need.community_id)
            .select_related("member")
        )
        self.fields["registration"].label_from_instance = lambda r: r.member.full_name


class ServiceForm(forms.Form):
    member = forms.ModelChoiceField(label=_("party member"), queryset=Member.objects.none())
    served_on = _date(_("served on"))
    hours = forms.DecimalField(
        label=_("hours"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
    )
    description = forms.CharField(label=_("what was done"), max_length=300)
    need = forms.ModelChoiceField(
        label=_("need"), queryset=CommunityNeed.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        registered = CommunityRegistration.objects.visible_to(user).values("member_id")
        self.fields["member"].queryset = Member.objects.filter(pk__in=registered).order_by(
            "full_name"
        )
        self.fields["need"].queryset = CommunityNeed.objects.visible_to(user).select_related(
            "community"
        )
        self.fields["need"].label_from_instance = lambda n: f"{n.community.name} · {n.title}"
        self.helper = _helper(_("Record the service"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class QuarterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("quarter"), min_value=1, max_value=4)
