from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import (
    CLOSED_STATUSES,
    CareFund,
    DisputeKind,
    DisputeSource,
    DisputeStatus,
    GridRoleKind,
    PairingTier,
)


class ScreeningReportForm(forms.Form):
    grid = forms.TypedChoiceField(label=_("grid"), coerce=int)
    nothing_found = forms.BooleanField(label=_("nothing found"), required=False, initial=True)
    notes = forms.CharField(
        label=_("what was found"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A finding opens a dispute: its type and parties (stored masked on every page).
    dispute_kind = forms.ChoiceField(
        label=_("type of the dispute found"),
        required=False,
        choices=[("", "---------"), *DisputeKind.choices],
    )
    party_a = forms.CharField(label=_("first party"), required=False, max_length=50)
    party_b = forms.CharField(label=_("second party"), required=False, max_length=50)

    def __init__(self, *args: Any, grids: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [(g.pk, str(g)) for g in grids]


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    findings = forms.CharField(
        label=_("what was found"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    help_given = forms.CharField(label=_("help given"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    notes = forms.CharField(
        label=_("notes"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[(s.value, s.label) for s in DisputeStatus if s in CLOSED_STATUSES],
    )
    closed_on = forms.DateField(
        label=_("closed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("outcome note"), required=False, max_length=2000)
    agreement = forms.FileField(label=_("signed agreement"), required=False)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(
        label=_("visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("follow-up note"), max_length=2000)


class RevealForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I need the full number for this household's work, and this is recorded."),
        required=True,
    )


class HouseholdForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("grid"), queryset=None)
    compound = forms.ModelChoiceField(
        label=_("residential compound"), queryset=None, required=False
    )
    address = forms.CharField(label=_("unit and room"), max_length=100)
    contact_name = forms.CharField(label=_("contact person"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    is_elderly_alone = forms.BooleanField(label=_("elderly living alone"), required=False)
    is_disabled = forms.BooleanField(label=_("disabled"), required=False)
    is_low_income = forms.BooleanField(label=_("low-income"), required=False)
    is_veteran = forms.BooleanField(label=_("veteran"), required=False)
    is_empty_nest = forms.BooleanField(label=_("empty-nest"), required=False)

    def __init__(self, *args: Any, grids: Any, compounds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["compound"].queryset = compounds


class ContactForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    started_on = forms.DateField(
        label=_("started on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["started_on"].initial = timezone.localdate()


class DisputeForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("grid"), queryset=None)
    source = forms.ChoiceField(label=_("source"), choices=DisputeSource.choices)
    kind = forms.ChoiceField(label=_("type"), choices=DisputeKind.choices)
    party_a = forms.CharField(label=_("first party"), max_length=50)
    party_b = forms.CharField(label=_("second party"), max_length=50, required=False)
    summary = forms.CharField(
        label=_("summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    opened_on = forms.DateField(
        label=_("opened on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mediator_team = forms.ModelChoiceField(label=_("mediation team"), queryset=None, required=False)

    def __init__(self, *args: Any, grids: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["mediator_team"].queryset = teams
        self.fields["opened_on"].initial = timezone.localdate()


class CareTickForm(forms.Form):
    visited_on = forms.DateField(
        label=_("visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    visitors = forms.CharField(label=_("who visited"), max_length=100)
    given = forms.CharField(label=_("what was given"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("money given (yuan)"), max_digits=9, decimal_places=2, required=False
    )
    fund = forms.ChoiceField(
        label=_("from which fund"),
        required=False,
        choices=[("", "---------"), *CareFund.choices],
    )
    fund_note = forms.CharField(
        label=_("fund note"),
        max_length=100,
        required=False,
        help_text=_("The fund's own name, such as 公益慈善基金."),
    )


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class GridRoleForm(forms.Form):
    """A dated grid role: an account (by user name) or a contact without one."""

    kind = forms.ChoiceField(label=_("role"), choices=GridRoleKind.choices)
    username = forms.CharField(
        label=_("user name of the account"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for a person without an account, and give the contact name."),
    )
    contact_name = forms.CharField(label=_("contact name"), max_length=50, required=False)
    started_on = _date_field(_("started on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()

    def clean_username(self) -> Any:
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"].strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this user name."))
        return user


class EndForm(forms.Form):
    ended_on = _date_field(_("ended on"))


class RoadSectionForm(forms.Form):
    """联系户 by road section: the member walks one section of a road in the grid."""

    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    road_section = forms.CharField(
        label=_("road section"),
        max_length=100,
        help_text=_("For example: 秦岭路 from 桐柏路 to 工人路, the east side."),
    )
    started_on = _date_field(_("started on"))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["started_on"].initial = timezone.localdate()


class PairingForm(forms.Form):
    """3+2+1: a member helps this household under a tier."""

    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    tier = forms.ChoiceField(label=_("tier"), choices=PairingTier.choices)
    started_on = _date_field(_("started on"))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["started_on"].initial = timezone.localdate()


class CampaignForm(forms.Form):
    sub_district = forms.ModelChoiceField(label=_("sub-district"), queryset=None)
    name = forms.CharField(label=_("name"), max_length=60)
    starts_on = _date_field(_("starts on"))
    ends_on = _date_field(_("ends on"))

    def __init__(self, *args: Any, sub_districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = sub_districts
        if len(sub_districts) == 1:
            self.fields["sub_district"].initial = sub_districts[0]
