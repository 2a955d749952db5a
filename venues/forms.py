from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from venues.models import Room


class TimeSpanMixin(forms.Form):
    """A date and two times in the hall's timezone, combined into aware datetimes."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            tz = timezone.get_current_timezone()
            if day.year < 2000 or day.year > 2100:
                self.add_error("date", _("Enter a date between 2000 and 2100."))
                return cleaned
            cleaned["starts_at"] = dt.datetime.combine(day, start, tz)
            end_day = day + dt.timedelta(days=1) if end == dt.time(0) else day
            cleaned["ends_at"] = dt.datetime.combine(end_day, end, tz)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end", _("The end must be after the start."))
        return cleaned


class BookingForm(TimeSpanMixin):
    attendees = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=1000)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)

    def __init__(self, *args: Any, room: Room, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = room.slot_minutes * 60
        self.fields["start"].widget.attrs["step"] = step
        self.fields["end"].widget.attrs["step"] = step
        self.fields["attendees"].widget.attrs["inputmode"] = "numeric"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("date"),
            Div(Div("start", css_class="col-6"), Div("end", css_class="col-6"), css_class="row"),
            Field("attendees"),
            Field("purpose"),
            Submit("book", _("Book"), css_class="w-100 btn-portal"),
        )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the resident"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("reason", placeholder=_("Reason for the resident")))


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=8, min_length=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocapitalize": "characters", "autocomplete": "off", "autofocus": True}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("code"), Submit("find", _("Find booking")))

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class StaffRoomForm(TimeSpanMixin):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())

    def __init__(self, *args: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms.select_related("hall").order_by("hall__name", "name")
        self.fields["room"].label_from_instance = lambda r: f"{r.hall.name} · {r.name}"
        self.order_fields(["room", "date", "start", "end"])


class BlockForm(StaffRoomForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "room", "date", "start", "end", "reason", Submit("save", _("Block the room"))
        )


class InternalBookingForm(StaffRoomForm):
    organization = forms.ModelChoiceField(label=_("Branch"), queryset=Organization.objects.none())
    attendees = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=1000)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "room",
            "organization",
            "date",
            "start",
            "end",
            "attendees",
            "purpose",
            Submit("save", _("Book for the branch")),
        )
