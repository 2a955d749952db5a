from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.channels import seal_secret
from activities.models import (
    AttachmentKind,
    AttendanceStatus,
    BranchChannel,
    ChannelKind,
    LectureKind,
    MeetingKind,
    TalkForm,
    VoteMethod,
)
from config.widgets import DateInput, DateTimeInput
from members.models import Member
from venues.models import Room

MAX_VOTES = 3


# An election is recorded on its own page (activities/elections), with its figures.
ORDINARY_KINDS = [(v, label) for v, label in MeetingKind.choices if v != MeetingKind.ELECTION]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.full_name


class PlanMeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ORDINARY_KINDS)
    lecture_kind = forms.ChoiceField(
        label=_("Lecture kind"), choices=[("", "—"), *LectureKind.choices], required=False
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    room = forms.ModelChoiceField(
        label=_("Book a room in a service hall"),
        queryset=Room.objects.none(),
        required=False,
        help_text=_("Optional: the room is booked for the branch when the meeting is planned."),
    )
    chair = MemberChoiceField(label=_("Chair"), queryset=Member.objects.none(), required=False)
    note_taker = MemberChoiceField(
        label=_("Note-taker"), queryset=Member.objects.none(), required=False
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, members: QuerySet[Member], rooms: QuerySet[Room], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["chair"].queryset = members
        self.fields["note_taker"].queryset = members
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Plan the meeting"), css_class="btn-portal"))


class RecordMeetingForm(forms.Form):
    """The roster, pre-filled "present": the secretary marks only the exceptions."""

    topic = forms.CharField(label=_("Topic"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Held at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    main_points = forms.CharField(
        label=_("Main points"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    resolutions = forms.CharField(
        label=_("Resolutions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rectification = forms.CharField(
        label=_("Rectification list"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guests = forms.CharField(
        label=_("Guests"),
        required=False,
        help_text=_("One per line: name, unit and title."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    out_of_period_reason = forms.CharField(
        label=_("Reason, if held outside its period"), max_length=200, required=False
    )
    change_reason = forms.CharField(
        label=_("Reason for changing a signed-off record"), max_length=200, required=False
    )

    def __init__(self, *args: Any, roster: list[Member], with_votes: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roster = roster
        self.with_votes = with_votes
        for member in roster:
            self.fields[f"att_{member.pk}"] = forms.ChoiceField(
                label=member.full_name,
                choices=AttendanceStatus.choices,
                initial=AttendanceStatus.PRESENT,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{member.pk}"] = forms.CharField(
                label=_("Reason"), max_length=200, required=False
            )
        if with_votes:
            for i in range(MAX_VOTES):
                self.fields[f"motion_{i}"] = forms.CharField(
                    label=_("Motion"), max_length=200, required=False
                )
                self.fields[f"method_{i}"] = forms.ChoiceField(
                    label=_("Method"), choices=VoteMethod.choices, required=False
                )
                for name, label in (
                    ("yes", _("For")),
                    ("no", _("Against")),
                    ("abstain", _("Abstain")),
                ):
                    self.fields[f"{name}_{i}"] = forms.IntegerField(
                        label=label, min_value=0, max_value=10000, required=False
                    )

    def roster_rows(self) -> list[tuple[Member, Any, Any]]:
        return [(m, self[f"att_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.roster]

    def vote_rows(self) -> list[list[Any]]:
        if not self.with_votes:
            return []
        return [
            [self[f"{name}_{i}"] for name in ("motion", "method", "yes", "no", "abstain")]
            for i in range(MAX_VOTES)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.with_votes:
            for i in range(MAX_VOTES):
                motion = (data.get(f"motion_{i}") or "").strip()
                numbers = [data.get(f"{n}_{i}") for n in ("yes", "no", "abstain")]
                if motion and any(n is None for n in numbers):
                    self.add_error(f"yes_{i}", _("Give for, against and abstain for each motion."))
                if not motion and any(n for n in numbers):
                    self.add_error(f"motion_{i}", _("Name the motion voted on."))
        return data

    def attendance(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {m.pk: (data[f"att_{m.pk}"], data.get(f"reason_{m.pk}", "")) for m in self.roster}

    def guest_list(self) -> list[tuple[str, str]]:
        result = []
        for line in (self.cleaned_data.get("guests") or "").splitlines():
            name, _sep, title = line.replace("，", ",").partition(",")
            if name.strip():
                result.append((name.strip(), title.strip()))
        return result


class RecordHeldMeetingForm(RecordMeetingForm):
    """Plan and record in one step a meeting already held: what planning asks (kind, chair,
    note-taker), then the record. Votes are offered whatever the kind; the service accepts
    them at a general meeting only."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ORDINARY_KINDS)
    lecture_kind = forms.ChoiceField(
        label=_("Lecture kind"), choices=[("", "—"), *LectureKind.choices], required=False
    )
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=DateTimeInput())
    chair = MemberChoiceField(label=_("Chair"), queryset=Member.objects.none(), required=False)
    note_taker = MemberChoiceField(
        label=_("Note-taker"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, roster: list[Member], members: QuerySet[Member], **kwargs: Any):
        super().__init__(*args, roster=roster, with_votes=True, **kwargs)
        del self.fields["change_reason"]
        self.fields["chair"].queryset = members
        self.fields["note_taker"].queryset = members


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("JPEG, PNG, WebP or PDF, at most 10 MB."))
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        required=False,
        help_text=_("Signed-off minutes: an attachment is sealed as a new version with it."),
    )

    def __init__(self, *args: Any, signed_off: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not signed_off:
            del self.fields["change_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Cancel the meeting"), css_class="btn-danger"))


class MakeUpForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    note = forms.CharField(label=_("How it was made up"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Mark as done"), css_class="btn-portal"))


class BranchChannelForm(forms.ModelForm):
    """A branch's group-chat robot. The signing secret (DingTalk 加签) is typed once and stored
    sealed: the form never shows it back (an empty box keeps the stored one)."""

    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "For a DingTalk robot whose security setting is signing: the secret starting with "
            "SEC. Leave empty to keep the one stored."
        ),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    # Webhook addresses are https; an address typed without a scheme gets it (Django 6 default).
    url = forms.URLField(label=_("webhook address"), max_length=500, assume_scheme="https")

    class Meta:
        model = BranchChannel
        fields = ["organization", "kind", "url", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        secret = (data.get("secret") or "").strip()
        if secret:
            if data.get("kind") != ChannelKind.DINGTALK:
                self.add_error("secret", _("Only DingTalk robots sign their messages."))
            elif not secret.startswith("SEC") or any(c.isspace() for c in secret):
                self.add_error(
                    "secret",
                    _(
                        "A DingTalk signing secret starts with SEC and has no spaces: "
                        "copy it again."
                    ),
                )
            elif data.get("clear_secret"):
                self.add_error(
                    "clear_secret", _("Either type a new secret or remove it, not both.")
                )
        data["secret"] = secret
        return data

    def save(self, commit: bool = True) -> Any:
        channel = super().save(commit=False)
        secret = self.cleaned_data.get("secret", "")
        if secret:
            channel.signing_secret = seal_secret(secret)
        elif self.cleaned_data.get("clear_secret") or channel.kind != ChannelKind.DINGTALK:
            channel.signing_secret = ""
        if commit:
            channel.save()
        return channel


class RecordTalkForm(forms.Form):
    """A heart-to-heart talk: both people, the date, the form and the topic."""

    first = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    second = MemberChoiceField(label=_("Talked with"), queryset=Member.objects.none())
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form"), choices=TalkForm.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = members
        self.fields["second"].queryset = members
        self.fields["held_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the talk"), css_class="btn-portal"))
