from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from config.widgets import DateInput, TimeInput
from venues import rules
from venues.models import BookingPolicy, Room, Weekday


class TimeSpanMixin(forms.Form):
    """A date and two times in the hall's timezone, combined into aware datetimes."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end = forms.TimeField(label=_("Ends at"), widget=TimeInput())

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


class PhotoUploadForm(forms.Form):
    """A photo of the hall or of one of its rooms. The file is checked by content in
    `venues.photos`, not here: the form only makes sure one was sent."""

    target = forms.ChoiceField(label=_("Photo of"))
    file = forms.FileField(
        label=_("Photo file"),
        help_text=_("JPEG, PNG or WebP. Location and camera data are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, hall: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("hall", _("The hall itself"))] + [
            (f"room:{room.pk}", room.name) for room in rooms
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "target",
            "file",
            "caption",
            "order",
            Submit("upload", _("Upload photo"), css_class="btn-portal"),
        )


class PhotoEditForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999)


class BookingPolicyForm(forms.ModelForm):
    """The sub-district's local figures; the ranges are the model's validators."""

    class Meta:
        model = BookingPolicy
        fields = [
            "waitlist_hold_minutes",
            "no_show_minutes",
            "no_show_limit",
            "no_show_window_days",
            "suspension_days",
            "reminder_hours",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["inputmode"] = "numeric"
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.Meta.fields, Submit("save", _("Save")))


class RoomRulesForm(forms.ModelForm):
    """A room's own booking rules and who may book it. How rooms are divided stays in the
    admin; closing a room with upcoming bookings is refused by `configuration.save_room`."""

    class Meta:
        model = Room
        fields = [
            "capacity",
            "equipment",
            "description",
            "audience",
            "requires_approval",
            "is_active",
            "slot_minutes",
            "min_minutes",
            "max_minutes",
            "advance_days",
            "cancel_hours",
            "weekly_limit",
            "buffer_minutes",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "capacity",
            "equipment",
            "description",
            "audience",
            "requires_approval",
            "is_active",
            Div(
                Div("slot_minutes", css_class="col-sm-4"),
                Div("min_minutes", css_class="col-sm-4"),
                Div("max_minutes", css_class="col-sm-4"),
                css_class="row",
            ),
            Div(
                Div("advance_days", css_class="col-sm-6"),
                Div("cancel_hours", css_class="col-sm-6"),
                css_class="row",
            ),
            Div(
                Div("weekly_limit", css_class="col-sm-6"),
                Div("buffer_minutes", css_class="col-sm-6"),
                css_class="row",
            ),
            Submit("save", _("Save")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        slot, low, high = (
            cleaned.get("slot_minutes"),
            cleaned.get("min_minutes"),
            cleaned.get("max_minutes"),
        )
        if low and high and low > high:
            self.add_error(
                "max_minutes", _("The longest booking cannot be shorter than the shortest.")
            )
        elif slot and low and high and (low % slot or high % slot):
            self.add_error(
                "min_minutes",
                _(
                    "The shortest and longest booking must be whole numbers of "
                    "%(slot)s-minute slots."
                )
                % {"slot": slot},
            )
        return cleaned


class OpeningHoursForm(forms.Form):
    """A hall's week: for each weekday, open or not, and from when until when."""

    def __init__(self, *args: Any, current: dict[int, tuple[dt.time, dt.time]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for day in Weekday:
            span = current.get(day.value)
            self.fields[f"open_{day.value}"] = forms.BooleanField(
                label=day.label, required=False, initial=span is not None
            )
            self.fields[f"opens_{day.value}"] = forms.TimeField(
                label=_("Opens at"),
                required=False,
                initial=span[0] if span else dt.time(8),
                widget=TimeInput(),
            )
            self.fields[f"closes_{day.value}"] = forms.TimeField(
                label=_("Closes at"),
                help_text=_("00:00 means open until midnight (24:00)."),
                required=False,
                initial=span[1] if span else dt.time(18),
                widget=TimeInput(),
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"open_{d.value}"], self[f"opens_{d.value}"], self[f"closes_{d.value}"])
            for d in Weekday
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        hours: dict[int, tuple[dt.time, dt.time] | None] = {}
        for day in Weekday:
            if not cleaned.get(f"open_{day.value}"):
                hours[day.value] = None
                continue
            opens, closes = cleaned.get(f"opens_{day.value}"), cleaned.get(f"closes_{day.value}")
            if opens is None or closes is None:
                self.add_error(f"opens_{day.value}", _("Give both times of an open day."))
            elif not rules.opens_before_closing(opens, closes):
                self.add_error(f"closes_{day.value}", _("Closing must be after opening."))
            else:
                hours[day.value] = (opens, closes)
        cleaned["hours"] = hours
        return cleaned


class ClosedPeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("starts_on", css_class="col-sm-6"),
                Div("ends_on", css_class="col-sm-6"),
                css_class="row",
            ),
            "reason",
            Submit("close", _("Close the hall on these dates")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        for name, day in (("starts_on", first), ("ends_on", last)):
            if day and not 2000 <= day.year <= 2100:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
                return cleaned
        if first and last and last < first:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        elif first and last and (last - first).days > 366:
            self.add_error("ends_on", _("Close a hall for at most a year at a time."))
        return cleaned
