"""The election form: the roster of the election day (attendance, as every meeting's record),
the votes of each candidate beside their name, the ballots, the committee's first meeting and
the approval. It feeds `services.record_election` and nothing else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from activities.elections.services import ElectionInput
from activities.forms import MemberChoiceField, RecordMeetingForm
from activities.services import entitled_to_vote
from config.widgets import DateInput
from members.models import Member

DROPPED = (
    "resolutions",
    "rectification",
    "guests",
    "out_of_period_reason",
    "change_reason",
    "agenda",
)


class ElectionForm(RecordMeetingForm):
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=50)
    ballots_cast = forms.IntegerField(label=_("Ballots cast"), min_value=0, max_value=100000)
    ballots_valid = forms.IntegerField(label=_("Valid ballots"), min_value=0, max_value=100000)
    ballots_invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0, max_value=100000)
    secretary = forms.TypedChoiceField(
        label=_("Secretary (elected at the first meeting)"), coerce=int
    )
    deputy = forms.TypedChoiceField(
        label=_("Deputy secretary"), coerce=int, required=False, empty_value=None
    )
    first_meeting_on = forms.DateField(label=_("Committee's first meeting on"), widget=DateInput())
    approved_by = forms.CharField(label=_("Approved by (the level above)"), max_length=100)
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())
    approval_reference = forms.CharField(
        label=_("Approval document number"), max_length=100, required=False
    )
    chair = MemberChoiceField(label=_("Chair"), queryset=Member.objects.none(), required=False)
    note_taker = MemberChoiceField(
        label=_("Note-taker"), queryset=Member.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, roster: list[Member], members: QuerySet[Member], **kwargs: Any
    ) -> None:
        super().__init__(*args, roster=roster, with_votes=False, **kwargs)
        for name in DROPPED:
            del self.fields[name]
        self.fields["chair"].queryset = members
        self.fields["note_taker"].queryset = members
        self.voters = [m for m in roster if entitled_to_vote(m)]
        choices = [("", "—"), *((m.pk, m.full_name) for m in self.voters)]
        self.fields["secretary"].choices = choices
        self.fields["deputy"].choices = choices
        for member in self.voters:
            self.fields[f"votes_{member.pk}"] = forms.IntegerField(
                label=_("Votes"), min_value=0, max_value=100000, required=False
            )

    def candidate_rows(self) -> list[tuple[Member, Any]]:
        return [(m, self[f"votes_{m.pk}"]) for m in self.voters]

    def candidates(self) -> dict[int, int]:
        """Candidates are the voters given a vote count (0 included); blank: not a candidate."""
        data = self.cleaned_data
        return {
            m.pk: data[f"votes_{m.pk}"]
            for m in self.voters
            if data.get(f"votes_{m.pk}") is not None
        }

    def election_input(self) -> ElectionInput:
        data = self.cleaned_data
        return ElectionInput(
            held_at=data["starts_at"],
            attendance=self.attendance(),
            seats=data["seats"],
            candidates=self.candidates(),
            ballots_cast=data["ballots_cast"],
            ballots_valid=data["ballots_valid"],
            ballots_invalid=data["ballots_invalid"],
            secretary=data["secretary"],
            deputy=data.get("deputy"),
            first_meeting_on=data["first_meeting_on"],
            approved_by=data["approved_by"],
            approved_on=data["approved_on"],
            approval_reference=data["approval_reference"],
            topic=data["topic"],
            place=data["place"],
            chair=data["chair"],
            note_taker=data["note_taker"],
            main_points=data["main_points"],
        )
