"""Forms of the member's own pages. Each form's valid input goes to one service; the services
check the rules, the forms only the shape of the input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.widgets import DateInput
from members.models import CommunityNeed, CorrectionRequest


def _helper(label: Any, *, tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = tag
    helper.add_input(Submit("submit", label, css_class="btn-portal w-100"))
    return helper


class BindForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=50)
    id_tail = forms.CharField(
        label=_("Last 6 characters of your ID-card number"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("Checked against the branch's record; never shown or stored."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Ask to bind"))


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for leave"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Ask for leave"), tag=False)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Check in"), tag=False)


class MakeUpReportForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    note = forms.CharField(
        label=_("How I made up the study"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()
        self.helper = _helper(_("Report as done"))


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("What to correct"), choices=CorrectionRequest.Field.choices)
    proposed = forms.CharField(label=_("Correct value"), max_length=200)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send to the secretary"))


class ServiceReportForm(forms.Form):
    served_on = forms.DateField(label=_("Served on"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal("24"), decimal_places=1
    )
    description = forms.CharField(
        label=_("What I did"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    need = forms.ModelChoiceField(
        label=_("For the need"), queryset=CommunityNeed.objects.none(), required=False
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args: Any, needs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs is not None:
            self.fields["need"].queryset = needs
        self.fields["served_on"].initial = timezone.localdate()
        self.helper = _helper(_("Report the service"))
        self.helper.form_action = "public:me-service-report"


class ReminderForm(forms.Form):
    sms = forms.BooleanField(label=_("Remind me by SMS"), required=False)
    email = forms.BooleanField(label=_("Remind me by email"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))
        self.helper.form_action = "public:me-reminders"
