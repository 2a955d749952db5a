"""The staff form of a party sanction; its valid input goes to `record_sanction`."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from config.widgets import DateInput
from members.models import SanctionKind


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sanction"), choices=SanctionKind.choices)
    started_on = forms.DateField(label=_("In effect from"), widget=DateInput())
    probation_years = forms.TypedChoiceField(
        label=_("Probation (years)"),
        choices=[("", "—"), (1, _("One year")), (2, _("Two years"))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for probation within the party: one or two years."),
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=100,
        help_text=_("The party organisation that approved the sanction."),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Record the sanction"), css_class="btn-danger"))
