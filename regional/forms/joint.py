"""Forms of the joint-work pages: they collect and check input; the rules live in
regional.services.joint."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from branches.models import CoBuildingUnit, Community
from config.widgets import DateInput
from regional.models import AttendanceStatus, NeedSource, RegionalCommittee, ResourceKind

DATE_WIDGET = DateInput()
MAX_TEXT = 2000


def _helper(submit_label: Any, *fields: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.layout = Layout(*fields)
    helper.add_input(Submit("submit", submit_label))
    return helper


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


def _text(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MeetingForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("regional committee"), queryset=None)
    scheduled_on = _date(_("scheduled on"))
    topic = forms.CharField(label=_("topic"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=200, required=False)

    def __init__(self, *args: Any, committees: QuerySet[RegionalCommittee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.helper = _helper(_("Schedule"), "committee", "scheduled_on", "topic", "place")


class TopicForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("co-building unit"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=200)
    description = _text(_("description"), required=False)

    def __init__(self, *args: Any, units: QuerySet[CoBuildingUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        self.helper = _helper(_("Submit topic"), "unit", "title", "description")


class AttendanceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("co-building unit"), queryset=None)
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceStatus.choices)
    attendee = forms.CharField(label=_("attended by"), max_length=50, required=False)
    reason = forms.CharField(label=_("reason for absence"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[CoBuildingUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.helper = _helper(_("Record attendance"), "unit", "status", "attendee", "reason")


class HoldForm(forms.Form):
    minutes = _text(_("minutes"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the meeting as held"), "minutes")


class ResolutionForm(forms.Form):
    text = _text(_("resolution"))
    item_title = forms.CharField(label=_("action item"), max_length=200, required=False)
    owner_unit = forms.ModelChoiceField(label=_("owner unit"), queryset=None, required=False)
    owner_community = forms.ModelChoiceField(
        label=_("owner community"), queryset=None, required=False
    )
    deadline = _date(_("deadline"), required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[CoBuildingUnit],
        communities: QuerySet[Community],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units
        self.fields["owner_community"].queryset = communities
        self.helper = _helper(
            _("Add resolution"), "text", "item_title", "owner_unit", "owner_community", "deadline"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("item_title") and not data.get("deadline"):
            self.add_error("deadline", _("An action item needs a deadline."))
        return data


class ProgressForm(forms.Form):
    text = _text(_("progress"))
    done = forms.BooleanField(label=_("Done"), required=False)

    def __init__(self, *args: Any, allow_done: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = ["text", "done"] if allow_done else ["text"]
        if not allow_done:
            del self.fields["done"]
        self.helper = _helper(_("Save progress"), *fields)


class NeedForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("regional committee"), queryset=None)
    community = forms.ModelChoiceField(label=_("community"), queryset=None)
    source = forms.ChoiceField(label=_("raised by"), choices=NeedSource.choices)
    title = forms.CharField(label=_("what is needed"), max_length=200)
    place = forms.CharField(label=_("where"), max_length=200, required=False)
    wanted_by = _date(_("when"), required=False)
    scale = forms.CharField(label=_("scale"), max_length=100, required=False)
    description = _text(_("description"), required=False)

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[RegionalCommittee],
        communities: QuerySet[Community],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["community"].queryset = communities
        self.helper = _helper(
            _("Add need"),
            "committee",
            "community",
            "source",
            "title",
            "place",
            "wanted_by",
            "scale",
            "description",
        )


class ResourceForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("regional committee"), queryset=None)
    unit = forms.ModelChoiceField(label=_("co-building unit"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("what is offered"), max_length=200)
    description = _text(_("description"), required=False)

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[RegionalCommittee],
        units: QuerySet[CoBuildingUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["unit"].queryset = units
        self.helper = _helper(
            _("Offer resource"), "committee", "unit", "kind", "title", "description"
        )


class ClaimForm(forms.Form):
    claimer = forms.ModelChoiceField(label=_("claimed by"), queryset=None)
    deadline = _date(_("deadline"))

    def __init__(self, *args: Any, claimers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claimer"].queryset = claimers
        if claimers.count() == 1:
            self.fields["claimer"].initial = claimers.first()
        self.helper = _helper(_("Claim"), "claimer", "deadline")


class JudgeForm(forms.Form):
    score = forms.IntegerField(
        label=_("committee score"), min_value=0, max_value=100, required=False
    )
    commended = forms.BooleanField(label=_("commended"), required=False)
    failed_duties = forms.BooleanField(label=_("failed its duties"), required=False)
    comment = _text(_("comment"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"), "score", "commended", "failed_duties", "comment")


class WorkReportForm(forms.Form):
    dated = _date(_("report date"))
    summary = forms.CharField(
        label=_("summary of the year's work"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    next_year_plan = forms.CharField(
        label=_("plan for next year"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save draft"), "dated", "summary", "next_year_plan")


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("reason for release"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Release the claim"), "reason")
