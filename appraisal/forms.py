"""Forms of the appraisal pages. Each feeds one service; the grade and tally forms have one field
per participant, built from the campaign."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import Grade, Participant
from branches.models import Organization
from config.widgets import DateInput


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-portal"))
    return helper


class CampaignForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Voting opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Voting closes on"), widget=DateInput())

    def __init__(self, *args: Any, branches: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branches
        self.fields["year"].initial = timezone.localdate().year
        self.helper = _helper(_("Open the appraisal"))


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(
        label=_("Self-assessment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


def _field(participant: Participant, prefix: str) -> str:
    return f"{prefix}_{participant.pk}"


class GradesForm(forms.Form):
    """One grade per graded participant (the committee's proposal, or the decision)."""

    def __init__(
        self,
        *args: Any,
        participants: list[Participant],
        date_field: str,
        date_label: Any,
        submit: Any,
        initial_from: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        self.date_field = date_field
        self.fields[date_field] = forms.DateField(
            label=date_label, widget=DateInput(), initial=timezone.localdate()
        )
        for participant in participants:
            self.fields[_field(participant, "grade")] = forms.ChoiceField(
                label=participant.member.full_name,
                choices=[("", "—"), *Grade.choices],
                initial=getattr(participant, initial_from, "") if initial_from else "",
            )
        self.helper = _helper(submit)

    def grades(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[_field(p, "grade")] for p in self.participants}


class PaperTallyForm(forms.Form):
    """The paper ballots counted: how many were cast, then per member the count of each grade."""

    ballots = forms.IntegerField(label=_("Paper ballots cast"), min_value=0, max_value=10000)

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            for value, label in Grade.choices:
                self.fields[f"n_{participant.pk}_{value}"] = forms.IntegerField(
                    label=f"{participant.member.full_name} · {label}",
                    min_value=0,
                    max_value=10000,
                    initial=0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
        self.helper = _helper(_("Save the tally"))

    def counts(self) -> dict[int, dict[str, int]]:
        return {
            p.pk: {value: self.cleaned_data[f"n_{p.pk}_{value}"] for value in Grade.values}
            for p in self.participants
        }


class CloseFollowUpForm(forms.Form):
    closed_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    outcome = forms.CharField(
        label=_("Outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        self.helper = _helper(_("Close the follow-up"))
