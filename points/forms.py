"""Staff forms of member points: a manual award, a decision on one, a rule of the table. Each
form's valid input goes to one service (points/services/decisions.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from config.widgets import DateInput
from points.models import EVENT_CHOICES


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label, css_class="btn-portal"))
    return helper


class AwardForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=None)
    day = forms.DateField(label=_("Counts for"), widget=DateInput())
    points = forms.DecimalField(
        label=_("Points"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Negative for a deduction."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.helper = _helper(_("Propose"))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RuleForm(forms.Form):
    sub_district = forms.ModelChoiceField(label=_("Sub-district"), queryset=None)
    event = forms.ChoiceField(label=_("Event"), choices=EVENT_CHOICES)
    valid_from = forms.DateField(label=_("In force from"), widget=DateInput())
    points = forms.DecimalField(
        label=_("Points per unit"),
        max_digits=6,
        decimal_places=1,
        min_value=Decimal(-100),
        max_value=Decimal(100),
    )
    cap_month = forms.DecimalField(
        label=_("Cap per month"), max_digits=7, decimal_places=1, required=False, min_value=0
    )
    cap_year = forms.DecimalField(
        label=_("Cap per year"), max_digits=7, decimal_places=1, required=False, min_value=0
    )
    needs_approval = forms.BooleanField(label=_("Needs approval"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, sub_districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = sub_districts
        self.helper = _helper(_("Save the rule"))
        self.helper.add_input(
            Submit("preview", _("Preview the year's averages"), css_class="btn-outline-secondary")
        )
