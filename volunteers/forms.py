"""Forms of the volunteer pages; each feeds one service, which decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.widgets import DateInput, DateTimeInput
from volunteers.models import Audience, TeamKind


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates write the <form> with its action
    helper.add_input(Submit("submit", label, css_class="btn-portal"))
    return helper


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Sign-in code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    action = forms.ChoiceField(
        choices=[("in", _("Sign in")), ("out", _("Sign out"))], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class JoinForm(forms.Form):
    message = forms.CharField(label=_("Message to the leader"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Ask to join"))


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    signup_opens_at = forms.DateTimeField(
        label=_("Sign-up opens at"), required=False, widget=DateTimeInput()
    )
    signup_closes_at = forms.DateTimeField(
        label=_("Sign-up closes at"), required=False, widget=DateTimeInput()
    )
    audience = forms.ChoiceField(label=_("Who may sign up"), choices=Audience.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Publish the activity"))

    def clean_starts_at(self) -> dt.datetime:
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now() - dt.timedelta(days=366):
            raise forms.ValidationError(_("The start is more than a year ago."))
        return starts_at


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Honour hours"), min_value=0, max_value=24, decimal_places=1, max_digits=4
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save hours"))

    @property
    def minutes(self) -> int:
        return int(self.cleaned_data["hours"] * 60)


class GoodDeedForm(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DateInput())
    beneficiary = forms.CharField(label=_("Helped"), max_length=100)
    description = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Done by"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, volunteers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = volunteers
        self.fields["done_on"].initial = timezone.localdate()
        self.helper = _helper(_("Record the good deed"))


class WishForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    title = forms.CharField(label=_("Your wish"), max_length=100)
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.helper = _helper(_("Post the wish"))


class ConfirmWishForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )
    feedback = forms.CharField(label=_("Feedback"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Confirm"))


class WishDoneForm(forms.Form):
    note = forms.CharField(label=_("How it was fulfilled"), max_length=200)


class GoodDeedCloseForm(forms.Form):
    """The resident's rating and comment that close a good deed (the follow-up visit)."""

    rating = forms.TypedChoiceField(
        label=_("Resident's rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("Resident's comment"), max_length=200, required=False)


class CertificateForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=DateInput())
    period_end = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(month=1, day=1)
        self.fields["period_end"].initial = today
        self.helper = _helper(_("Request a certificate"))


class TeamForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    leader_phone = forms.CharField(label=_("Leader's mobile phone"), max_length=20, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.helper = _helper(_("Found the team"))

    def clean_leader_phone(self) -> Any:
        from accounts.models import User

        phone = self.cleaned_data["leader_phone"].strip()
        if not phone:
            return None
        leader = User.objects.filter(phone=phone, is_active=True).first()
        if leader is None:
            raise forms.ValidationError(_("No user has this mobile phone number."))
        return leader
