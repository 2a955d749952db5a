"""Forms of the committee actions on the organisation page. Each feeds one service."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Position
from config.widgets import DateInput
from members.models import Member


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-portal"))
    return helper


class CommitteeTermForm(forms.Form):
    started_on = forms.DateField(label=_("Elected on"), widget=DateInput())
    planned_end_on = forms.DateField(
        label=_("Term ends on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leave empty for the regular term: the term-length rule in force on the election day."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the election"))


class AppointPositionForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    started_on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["started_on"].initial = timezone.localdate()
        self.helper = _helper(_("Appoint"))


class TermExtensionForm(forms.Form):
    extended_to = forms.DateField(
        label=_("Extended to"),
        widget=DateInput(),
        help_text=_("At most one year after the term's regular end, in all."),
    )
    approved_by = forms.CharField(label=_("Approved by (the level above)"), max_length=100)
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the extension"))
