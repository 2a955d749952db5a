"""Forms of the regional party building pages. Each form only collects and checks input; the
rules live in regional.services.committees, which the views call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.scope import scope_for
from branches.models import CoBuildingUnit, Community, Sector, SubDistrict, UnitType
from config.widgets import DateInput
from regional.models import CommitteeLevel, RegionalCommittee, RegionalMembership

DATE_WIDGET = DateInput()
MAX_TEXT = 2000


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


def _helper(submit_label: Any, *layout: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label))
    return helper


def _not_in_future(day: dt.date | None) -> dt.date | None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


def managed_sub_districts(user: User) -> QuerySet[SubDistrict]:
    """The sub-districts where `user` works as staff (all of them for a superuser)."""
    scope = scope_for(user)
    if scope.everything:
        return SubDistrict.objects.all()
    return SubDistrict.objects.filter(pk__in=scope.sub_district_ids)


class AsOfForm(forms.Form):
    """The day the committee page shows its member units for."""

    on = _date_field(_("Member units as of"), required=False)


class RegionalCommitteeForm(forms.Form):
    sub_district = forms.ModelChoiceField(
        label=_("Sub-district"), queryset=SubDistrict.objects.none()
    )
    level = forms.ChoiceField(label=_("Level"), choices=CommitteeLevel.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    founded_on = _date_field(_("Founded on"), required=False)
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"),
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A community grand party committee may span several communities."),
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sub_districts = managed_sub_districts(user)
        self.fields["sub_district"].queryset = sub_districts
        self.fields["communities"].queryset = Community.objects.filter(
            sub_district__in=sub_districts
        ).select_related("sub_district")
        if len(sub_districts) == 1:
            self.fields["sub_district"].initial = sub_districts[0]
        self.helper = _helper(
            _("Create"),
            Row(Column("sub_district"), Column("level")),
            Row(Column("name"), Column("founded_on")),
            "communities",
            "note",
        )

    def clean_founded_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("founded_on"))


class AdmitUnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Co-building unit"), queryset=CoBuildingUnit.objects.none()
    )
    joined_on = _date_field(_("Joined on"))

    def __init__(self, *args: Any, committee: RegionalCommittee, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitting = RegionalMembership.objects.filter(committee=committee).open()
        self.fields["unit"].queryset = (
            CoBuildingUnit.objects.visible_to(user)
            .filter(sub_district_id=committee.sub_district_id)
            .exclude(pk__in=sitting.values("unit_id"))
            .order_by("name")
        )
        self.fields["joined_on"].initial = timezone.localdate()
        self.helper = _helper(_("Admit"), Row(Column("unit"), Column("joined_on")))

    def clean_joined_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("joined_on"))


class EndDateForm(forms.Form):
    """One date that closes something: a seat, an appointment, a pairing."""

    ended_on = _date_field(_("End date"))

    def __init__(self, *args: Any, label: Any = None, submit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["ended_on"].label = label
        self.fields["ended_on"].initial = timezone.localdate()
        self.helper = _helper(submit or _("Save"), Field("ended_on"))

    def clean_ended_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("ended_on"))


class PartTimeMemberForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Co-building unit"), queryset=CoBuildingUnit.objects.none()
    )
    full_name = forms.CharField(label=_("Name"), max_length=50)
    title = forms.CharField(label=_("Title in the unit"), max_length=60, required=False)
    started_on = _date_field(_("From"))

    def __init__(self, *args: Any, committee: RegionalCommittee, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitting = RegionalMembership.objects.filter(committee=committee).open()
        self.fields["unit"].queryset = (
            CoBuildingUnit.objects.visible_to(user)
            .filter(pk__in=sitting.values("unit_id"))
            .order_by("name")
        )
        self.fields["started_on"].initial = timezone.localdate()
        self.helper = _helper(
            _("Appoint"),
            Row(Column("unit"), Column("started_on")),
            Row(Column("full_name"), Column("title")),
        )

    def clean_started_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("started_on"))


class VisitForm(forms.Form):
    visited_on = _date_field(_("Visited on"))
    visitors = forms.CharField(label=_("Visitors"), max_length=200)
    needs = forms.CharField(
        label=_("Needs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
    )
    opinions = forms.CharField(
        label=_("Opinions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
    )
    follow_up = forms.CharField(
        label=_("Follow-up"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_TEXT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.helper = _helper(
            _("Record visit"),
            Row(Column("visited_on"), Column("visitors")),
            "needs",
            "opinions",
            "follow_up",
        )

    def clean_visited_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("visited_on"))


class FollowUpForm(forms.Form):
    done_on = _date_field(_("Follow-up done on"))
    follow_up = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_TEXT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()
        self.helper = _helper(_("Mark follow-up done"), "done_on", "follow_up")

    def clean_done_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("done_on"))


class PairingForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    started_on = _date_field(_("From"))
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_TEXT,
    )

    def __init__(self, *args: Any, unit: CoBuildingUnit, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).filter(
            sub_district_id=unit.sub_district_id
        )
        self.fields["started_on"].initial = timezone.localdate()
        self.helper = _helper(_("Pair"), Row(Column("community"), Column("started_on")), "note")

    def clean_started_on(self) -> dt.date | None:
        return _not_in_future(self.cleaned_data.get("started_on"))


class UnitForm(forms.Form):
    """Register a unit (with its sub-district) or change one (with its liaison)."""

    sub_district = forms.ModelChoiceField(
        label=_("Sub-district"), queryset=SubDistrict.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    unit_type = forms.ChoiceField(label=_("Unit type"), choices=UnitType.choices)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    party_organization_name = forms.CharField(
        label=_("Its party organisation"), max_length=100, required=False
    )
    leader_name = forms.CharField(label=_("Leader"), max_length=50, required=False)
    liaison = forms.ModelChoiceField(
        label=_("Liaison"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only users holding the liaison role for this unit can be chosen."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    resources = forms.CharField(
        label=_("Resources offered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
    )

    def __init__(
        self, *args: Any, user: User, unit: CoBuildingUnit | None = None, **kwargs: Any
    ) -> None:
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{
                        f: getattr(unit, f)
                        for f in (
                            "name",
                            "unit_type",
                            "sector",
                            "party_organization_name",
                            "leader_name",
                            "address",
                            "resources",
                        )
                    },
                    "liaison": unit.liaison_id,
                },
            )
        super().__init__(*args, **kwargs)
        if unit is None:
            del self.fields["liaison"]
            sub_districts = managed_sub_districts(user)
            self.fields["sub_district"].queryset = sub_districts
            if len(sub_districts) == 1:
                self.fields["sub_district"].initial = sub_districts[0]
            first: list[Any] = [Row(Column("sub_district"), Column("name"))]
            submit = _("Register")
        else:
            del self.fields["sub_district"]
            self.fields["liaison"].queryset = User.objects.filter(
                is_active=True,
                role_assignments__role=Role.UNIT_LIAISON,
                role_assignments__unit=unit,
                role_assignments__is_active=True,
            ).distinct()
            first = ["name"]
            submit = _("Save")
        self.helper = _helper(
            submit,
            *first,
            Row(Column("unit_type"), Column("sector")),
            Row(Column("party_organization_name"), Column("leader_name")),
            *(["liaison"] if unit is not None else []),
            "address",
            "resources",
        )
