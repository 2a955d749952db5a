from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization, OrganizationKind, SubDistrict
from regional.models import RegionalCommittee
from reports.models import ExportFormat
from reports.services import last_finished_quarter


class ExportRequestForm(forms.Form):
    sub_district = forms.ModelChoiceField(
        label=_("Sub-district"), queryset=SubDistrict.objects.none(), empty_label=None
    )
    organization = forms.ModelChoiceField(
        label=_("Only this organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("A community or branch and everything under it; empty for the whole scope."),
    )
    committee = forms.ModelChoiceField(
        label=_("Only this regional committee"),
        queryset=RegionalCommittee.objects.none(),
        required=False,
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))],
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        help_text=_("The pack holds the workbook, the document and the CSV files: one download."),
    )
    new_version = forms.BooleanField(
        label=_("Build a new version from today's records"),
        required=False,
        help_text=_("Otherwise the existing report of this quarter is returned, unchanged."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        year, number = last_finished_quarter()
        kwargs.setdefault("initial", {}).update(
            {"year": year, "quarter": number, "format": ExportFormat.PACK}
        )
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = SubDistrict.objects.visible_to(user).order_by("name")
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user)
            .active()
            .filter(kind__in=[OrganizationKind.GENERAL_BRANCH, OrganizationKind.BRANCH])
            .order_by("path")
        )
        self.fields["committee"].queryset = RegionalCommittee.objects.visible_to(user).order_by(
            "name"
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Build the report")))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        sub_district = data.get("sub_district")
        organization = data.get("organization")
        committee = data.get("committee")
        if organization and committee:
            raise forms.ValidationError(
                _("Choose an organisation or a regional committee, not both.")
            )
        for field, value in (("organization", organization), ("committee", committee)):
            if sub_district and value and value.sub_district_id != sub_district.pk:
                self.add_error(field, _("It is not in the chosen sub-district."))
        year, number = data.get("year"), data.get("quarter")
        if year and number:
            today = timezone.localdate()
            if (year, (number - 1) * 3 + 1) > (today.year, today.month):
                self.add_error(
                    "quarter", _("Reports can only be made for quarters that have begun.")
                )
        return data
