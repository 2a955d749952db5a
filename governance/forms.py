"""Forms of the ledger and the matters; each valid form goes to one service."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import CoBuildingUnit, Community, Grid, Organization
from config.widgets import DateInput
from governance.models import Category, Channel, Opinion, Stance, StepKind


def _helper(label: Any, *, css: str = "btn-portal w-100") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class=css))
    return helper


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ResidentOpinionForm(forms.Form):
    """What a resident fills in on the phone."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    category = forms.ChoiceField(
        label=pgettext_lazy("opinion", "Category"), choices=Category.choices
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Your opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    photos = PhotosField(
        label=_("Photos (up to 3)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous (staff handling it will not see your name)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.order_by("sub_district", "name")
        self.helper = _helper(_("Submit"))
        self.helper.form_id = "opinion-form"
        self.helper.attrs = {"enctype": "multipart/form-data"}


class StaffOpinionForm(forms.Form):
    """An opinion collected offline: a visit, a forum, the suggestion box, the 12345 hotline."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    forum_attendance = forms.IntegerField(label=_("Forum attendance"), min_value=1, required=False)
    category = forms.ChoiceField(
        label=pgettext_lazy("opinion", "Category"), choices=Category.choices
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    author_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    is_anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.helper = _helper(_("Record the opinion"), css="btn btn-primary")


class AssignForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Branch"), queryset=Organization.objects.none(), required=False
    )
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Co-building unit"), queryset=CoBuildingUnit.objects.none(), required=False
    )
    office = forms.CharField(label=_("Sub-district office"), max_length=60, required=False)

    def __init__(self, *args: Any, opinion: Opinion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sd = opinion.sub_district_id
        self.fields["organization"].queryset = Organization.objects.filter(
            sub_district_id=sd, status="active"
        ).order_by("path")
        self.fields["grid"].queryset = Grid.objects.filter(community_id=opinion.community_id)
        self.fields["unit"].queryset = CoBuildingUnit.objects.filter(sub_district_id=sd)
        self.helper = _helper(_("Assign"), css="btn btn-primary btn-sm")
        self.helper.form_action = "?action=assign"


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the resident"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Opinion.objects.none())

    def __init__(self, *args: Any, opinion: Opinion, visible: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            visible.filter(community_id=opinion.community_id)
            .exclude(pk=opinion.pk)
            .exclude(state__in=("closed", "merged"))
        )


class NeedForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Regional committee"), queryset=None)

    def __init__(self, *args: Any, opinion: Opinion, **kwargs: Any) -> None:
        from regional.models import RegionalCommittee

        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = RegionalCommittee.objects.filter(
            sub_district_id=opinion.sub_district_id, communities=opinion.community_id
        )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Rate the reply"))
        self.helper.form_id = "rate-form"


class MatterForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.helper = _helper(_("Open the matter"), css="btn btn-primary")


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}))
    meeting = forms.ModelChoiceField(
        label=_("Branch general meeting (for the members' review)"),
        queryset=None,
        required=False,
    )
    eligible = forms.IntegerField(
        label=_("Residents or representatives (for the decision)"), min_value=0, required=False
    )
    present = forms.IntegerField(label=_("Present"), min_value=0, required=False)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    publication_title = forms.CharField(
        label=_("Notice title (for a publication)"), max_length=150, required=False
    )
    publication_text = forms.CharField(
        label=_("Notice text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    shown_from = forms.DateField(label=_("Shown from"), required=False, widget=DateInput())
    shown_through = forms.DateField(label=_("Shown through"), required=False, widget=DateInput())

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.helper = _helper(_("Record the step"), css="btn btn-primary")


class ConsultationForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Open the consultation"), css="btn btn-primary")


class OfflineResponsesForm(forms.Form):
    agree = forms.IntegerField(label=_("Agree"), min_value=0, initial=0)
    disagree = forms.IntegerField(label=_("Disagree"), min_value=0, initial=0)
    other = forms.IntegerField(label=_("Other view"), min_value=0, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the offline responses"), css="btn btn-outline-primary")


class RespondForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your view"), choices=Stance.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send my view"))
