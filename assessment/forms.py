"""Forms of the assessment pages; each feeds one service (accounts/service_form.py)."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessment.metrics import metric_choices
from assessment.models import Checklist, Inspection
from branches.models import Organization, Sector, SubDistrict
from config.widgets import DateInput

SCORE_FIELD = {"max_digits": 7, "decimal_places": 2, "min_value": 0}


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-portal"))
    return helper


class PlanForm(forms.Form):
    sub_district = forms.ModelChoiceField(label=_("Sub-district"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=100)

    def __init__(self, *args: Any, sub_districts: QuerySet[SubDistrict], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = sub_districts
        self.fields["year"].initial = timezone.localdate().year
        self.helper = _helper(_("Create the plan"))


class TargetForm(forms.Form):
    title = forms.CharField(label=_("Target"), max_length=200)
    metric = forms.ChoiceField(
        label=_("Measure"),
        required=False,
        help_text=_("A metric computed from the records, or leave empty: reported by the owner."),
    )
    goal = forms.DecimalField(label=_("Goal"), **SCORE_FIELD)
    organization = forms.ModelChoiceField(
        label=_("Branch"), queryset=None, required=False, help_text=_("Empty: every branch.")
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100)

    def __init__(
        self,
        *args: Any,
        branches: QuerySet[Organization],
        owners: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("Reported by the owner")), *metric_choices()]
        self.fields["sector"].choices = [("", "—"), *Sector.choices]
        self.fields["organization"].queryset = branches
        self.fields["owner"].queryset = owners
        self.helper = _helper(_("Add the target"))


class ReportForm(forms.Form):
    value = forms.DecimalField(label=_("Figure reached"), **SCORE_FIELD)
    text = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(label=_("Evidence (photo or PDF, at most 10 MB)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Submit the report"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the review"))


class InspectionForm(forms.Form):
    """A visit: the branch, the day, the inspectors, and one score and note per checklist item."""

    organization = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        checklist: Checklist,
        branches: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branches
        self.fields["visited_on"].initial = timezone.localdate()
        self.items = list(checklist.items.all())
        for item in self.items:
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label=_("%(item)s (at most %(max)s)") % {"item": item.text, "max": item.max_score},
                max_value=item.max_score,
                **SCORE_FIELD,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Finding"), max_length=300, required=False
            )
        self.helper = _helper(_("Record the inspection"))

    def scores(self) -> dict[int, tuple[Any, str]]:
        data = self.cleaned_data
        return {item.pk: (data[f"score_{item.pk}"], data[f"note_{item.pk}"]) for item in self.items}


class RectificationForm(forms.Form):
    description = forms.CharField(label=_("What must be rectified"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(
        self, *args: Any, inspection: Inspection, owners: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.helper = _helper(_("Add the rectification"))


class EvidenceForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(label=_("Evidence (photo or PDF, at most 10 MB)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Submit the evidence"))


class PublishForm(forms.Form):
    week_start = forms.DateField(label=_("Week beginning (Monday)"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Publish the ranking"))


class RoundForm(forms.Form):
    sub_district = forms.ModelChoiceField(label=_("Sub-district"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    metrics_weight = forms.IntegerField(label=_("Weight of the targets"), min_value=0, initial=50)
    inspection_weight = forms.IntegerField(
        label=_("Weight of the inspections"), min_value=0, initial=20
    )
    report_weight = forms.IntegerField(
        label=_("Weight of the secretary's report"), min_value=0, initial=30
    )
    opens_on = forms.DateField(label=_("Rating opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Rating closes on"), widget=DateInput())

    def __init__(self, *args: Any, sub_districts: QuerySet[SubDistrict], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = sub_districts
        self.fields["year"].initial = timezone.localdate().year
        self.helper = _helper(_("Open the year-end assessment"))


class ReportTextForm(forms.Form):
    text = forms.CharField(
        label=_("Secretary's report"), max_length=20000, widget=forms.Textarea({"rows": 10})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class CommitteeRatingForm(forms.Form):
    score = forms.DecimalField(label=_("Committee's rating (0–100)"), **SCORE_FIELD, max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the rating"))


class UnitLetterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Co-building unit"), queryset=None)
    superior = forms.CharField(label=_("Superior organisation"), max_length=100)
    failings = forms.CharField(
        label=_("Duties not fulfilled (one a line)"),
        max_length=3000,
        widget=forms.Textarea({"rows": 4}),
    )
    requested = forms.CharField(label=_("What the unit is asked to do"), max_length=300)
    reply_by = forms.DateField(label=_("Reply by"), widget=DateInput())

    def __init__(self, *args: Any, units: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.helper = _helper(_("Download the letter"))


class BallotForm(forms.Form):
    """A representative's ballot: one grade for every branch of the round."""

    def __init__(self, *args: Any, branches: list[Any], **kwargs: Any) -> None:
        from assessment.models import YearGrade

        super().__init__(*args, **kwargs)
        self.branches = branches
        for branch in branches:
            self.fields[f"grade_{branch.pk}"] = forms.ChoiceField(
                label=branch.organization.name, choices=[("", "—"), *YearGrade.choices]
            )
        self.helper = _helper(_("Cast the ballot"))

    def grades(self) -> dict[int, str]:
        return {b.pk: self.cleaned_data[f"grade_{b.pk}"] for b in self.branches}


class RepresentativesForm(forms.Form):
    """Representatives by their account's mobile phone or user name, one a line."""

    people = forms.CharField(
        label=_("Representatives"),
        help_text=_("One a line: the mobile phone or user name of their portal account."),
        max_length=5000,
        widget=forms.Textarea({"rows": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Name the representatives"))

    def clean_people(self) -> list[User]:
        lines = {line.strip() for line in self.cleaned_data["people"].splitlines() if line.strip()}
        if len(lines) > 200:
            raise forms.ValidationError(_("Name at most 200 representatives at a time."))
        found = list(
            User.objects.filter(is_active=True).filter(
                models.Q(phone__in=lines) | models.Q(username__in=lines)
            )
        )
        known = {u.phone for u in found} | {u.username for u in found}
        unknown = sorted(lines - known)
        if unknown:
            raise forms.ValidationError(
                _("No active account has these phones or user names: %(lines)s")
                % {"lines": "、".join(unknown)}
            )
        return found
