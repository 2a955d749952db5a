from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import CLOSED_STATUSES, DisputeStatus


class ScreeningReportForm(forms.Form):
    grid = forms.TypedChoiceField(label=_("grid"), coerce=int)
    nothing_found = forms.BooleanField(label=_("nothing found"), required=False, initial=True)
    notes = forms.CharField(
        label=_("what was found"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

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
