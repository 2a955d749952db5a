"""Workbench forms of community life: schools, terms, courses, award campaigns with their
categories, knowledge contests, jury scores. Choices are limited to what the user manages
(`managed_by`), so an id from another sub-district is refused as an invalid choice."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scope import scope_for
from community.contests.models import FIXED_ONCE_TAKEN, MAX_ATTEMPTS, MAX_QUESTIONS, Contest
from community.models import Campaign, CampaignKind, Course, ResultRule, School, Term

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_CATEGORIES = 20
MAX_WINNERS = 50
MAX_JURORS = 30


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label, css_class="btn-portal"))
    return helper


def _datetime() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)


def managed_sub_districts(user: Any) -> Any:
    from branches.models import SubDistrict

    scope = scope_for(user)
    rows = SubDistrict.objects.all()
    return rows if scope.everything else rows.filter(pk__in=scope.sub_district_ids)


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["sub_district", "organization", "name", "partner", "founded_year"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from branches.models import Organization

        super().__init__(*args, **kwargs)
        sub_districts = managed_sub_districts(user)
        self.fields["sub_district"].queryset = sub_districts
        self.fields["organization"].queryset = Organization.objects.filter(
            sub_district__in=sub_districts
        ).order_by("path")
        self.fields["founded_year"].min_value = 1949
        self.fields["founded_year"].widget.attrs.update(min=1949)
        self.helper = _helper(_("Save"))

    def clean_founded_year(self) -> int | None:
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1949 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Please give a year between 1949 and this year."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        org, sub = data.get("organization"), data.get("sub_district")
        if org is not None and sub is not None and org.sub_district_id != sub.pk:
            self.add_error(
                "organization", _("The organising branch must belong to the chosen sub-district.")
            )
        return data


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = [
            "school",
            "name",
            "starts_on",
            "ends_on",
            "enrolment_opens_at",
            "enrolment_closes_at",
            "max_courses_per_resident",
            "returning_first_until",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "enrolment_opens_at": _datetime(),
            "enrolment_closes_at": _datetime(),
            "returning_first_until": _datetime(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.managed_by(user)
        if self.instance.pk and self.instance.courses.filter(sessions__isnull=False).exists():
            # Sessions are booked for these dates; moving the term would leave them behind.
            for name in ("school", "starts_on", "ends_on"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Sessions of this term are booked; this can no longer change."
                )
        self.helper = _helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("The last day must not be before the first day."))
            elif (ends - starts).days > 366:
                self.add_error("ends_on", _("A term lasts at most one year."))
        opens, closes = data.get("enrolment_opens_at"), data.get("enrolment_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("enrolment_closes_at", _("Enrolment must close after it opens."))
        first = data.get("returning_first_until")
        if first and opens and closes and not opens < first < closes:
            self.add_error(
                "returning_first_until",
                _("The priority for returning students must end inside the enrolment window."),
            )
        return data


class CourseForm(forms.ModelForm):
    teacher_phone = forms.CharField(
        label=gettext_lazy("Teacher's mobile phone"),
        max_length=20,
        help_text=gettext_lazy("The teacher takes the roster on their phone with this account."),
    )
    schedule = forms.BooleanField(
        label=gettext_lazy("Book the term's sessions in the room now"),
        required=False,
        help_text=gettext_lazy(
            "All or nothing: if one session collides with another booking, nothing is saved."
        ),
    )

    class Meta:
        model = Course
        fields = [
            "term",
            "title",
            "description",
            "weekday",
            "starts_at",
            "ends_at",
            "room",
            "places",
            "min_age",
            "max_age",
            "residents_only",
            "fee",
            "attendance_threshold",
            "is_active",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from venues.models import Room

        super().__init__(*args, **kwargs)
        sub_districts = managed_sub_districts(user)
        self.fields["term"].queryset = Term.objects.managed_by(user).select_related("school")
        self.fields["room"].queryset = Room.objects.filter(
            hall__sub_district__in=sub_districts, is_active=True
        ).select_related("hall")
        self.fields["places"].widget.attrs.update(min=1, max=500)
        self.fields["fee"].widget.attrs.update(min=0)
        self.fields["min_age"].widget.attrs.update(min=0, max=120)
        self.fields["max_age"].widget.attrs.update(min=0, max=120)
        if self.instance.pk:
            self.fields["teacher_phone"].initial = self.instance.teacher.phone
            if self.instance.sessions.exists():
                del self.fields["schedule"]
                for name in ("term", "weekday", "starts_at", "ends_at", "room"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "The sessions are booked in the room; this can no longer change."
                    )
        self.helper = _helper(_("Save"))

    def clean_teacher_phone(self) -> Any:
        from accounts.models import User

        phone = self.cleaned_data["teacher_phone"].strip()
        teacher = User.objects.filter(phone=phone, is_active=True).first() if phone else None
        if teacher is None:
            raise forms.ValidationError(_("No user has this mobile phone number."))
        return teacher

    def clean_places(self) -> int:
        places = self.cleaned_data["places"]
        if places > 500:
            raise forms.ValidationError(_("A course has at most 500 places."))
        if self.instance.pk and places < self.instance.enrolled_count:
            raise forms.ValidationError(
                _("%(n)d residents are enrolled; the places cannot be fewer.")
                % {"n": self.instance.enrolled_count}
            )
        return places

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session must end after it starts."))
        low, high = data.get("min_age"), data.get("max_age")
        for name, age in (("min_age", low), ("max_age", high)):
            if age is not None and age > 120:
                self.add_error(name, _("Please give an age up to 120."))
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The maximum age must not be below the minimum age."))
        fee = data.get("fee")
        if fee is not None and fee < 0:
            self.add_error("fee", _("The fee cannot be negative."))
        return data


_CATEGORY_LINE = re.compile(r"^(?P<name>.+?)(?:\s*[,，/:：]\s*(?P<winners>\d+))?$")


def parse_categories(text: str) -> list[tuple[str, int]]:
    """One category a line, optionally followed by a comma and its number of winners."""
    rows: list[tuple[str, int]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _CATEGORY_LINE.match(line)
        name = match["name"].strip() if match else ""
        winners = int(match["winners"]) if match and match["winners"] else 3
        if not name or len(name) > 100:
            raise forms.ValidationError(
                _("Line %(n)d: a category's name has 1 to 100 characters.") % {"n": number}
            )
        if not 1 <= winners <= MAX_WINNERS:
            raise forms.ValidationError(
                _("Line %(n)d: the number of winners must be between 1 and %(max)d.")
                % {"n": number, "max": MAX_WINNERS}
            )
        if name in seen:
            raise forms.ValidationError(
                _("Line %(n)d: the category %(name)s is listed twice.")
                % {"n": number, "name": name}
            )
        seen.add(name)
        rows.append((name, winners))
    if not rows:
        raise forms.ValidationError(_("Please list at least one category."))
    if len(rows) > MAX_CATEGORIES:
        raise forms.ValidationError(
            _("A campaign has at most %(max)d categories.") % {"max": MAX_CATEGORIES}
        )
    return rows


class CampaignForm(forms.ModelForm):
    categories = forms.CharField(
        label=gettext_lazy("Categories"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One category a line, followed by a comma and the number of winners "
            "(3 if left out), e.g. 敬老孝亲, 3. A category with nominations cannot be removed."
        ),
    )
    juror_phones = forms.CharField(
        label=gettext_lazy("Jury members' mobile phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One a line. Jury members enter their scores on their phones from the awards page."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "sub_district",
            "title",
            "kind",
            "description",
            "nomination_opens_at",
            "nomination_closes_at",
            "public_vote",
            "vote_opens_at",
            "vote_closes_at",
            "vote_limit",
            "result_rule",
            "jury_weight",
        ]
        widgets = {
            "nomination_opens_at": _datetime(),
            "nomination_closes_at": _datetime(),
            "vote_opens_at": _datetime(),
            "vote_closes_at": _datetime(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = managed_sub_districts(user)
        self.fields["jury_weight"].widget.attrs.update(min=0, max=100)
        if self.instance.pk:
            self.fields["categories"].initial = "\n".join(
                f"{c.name}, {c.winners}" for c in self.instance.categories.order_by("pk")
            )
            self.fields["juror_phones"].initial = "\n".join(
                u.phone or "" for u in self.instance.jurors.order_by("pk")
            )
            self.fields["sub_district"].disabled = True
        self.helper = _helper(_("Save"))

    def clean_categories(self) -> list[tuple[str, int]]:
        return parse_categories(self.cleaned_data["categories"])

    def clean_juror_phones(self) -> list[Any]:
        from accounts.models import User

        phones = [p.strip() for p in self.cleaned_data["juror_phones"].splitlines() if p.strip()]
        if len(phones) > MAX_JURORS:
            raise forms.ValidationError(
                _("A jury has at most %(max)d members.") % {"max": MAX_JURORS}
            )
        found = {u.phone: u for u in User.objects.filter(phone__in=phones, is_active=True)}
        unknown = [p for p in phones if p not in found]
        if unknown:
            raise forms.ValidationError(
                _("No user has these mobile phone numbers: %(phones)s")
                % {"phones": "、".join(p[:20] for p in unknown[:5])}
            )
        return list({found[p].pk: found[p] for p in phones}.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("nomination_opens_at"), data.get("nomination_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("nomination_closes_at", _("Nominations must close after they open."))
        if data.get("kind") == CampaignKind.HONOURS and data.get("public_vote"):
            self.add_error("public_vote", _("A party honours campaign has no public vote."))
        if data.get("public_vote"):
            v_opens, v_closes = data.get("vote_opens_at"), data.get("vote_closes_at")
            if not v_opens or not v_closes:
                self.add_error("vote_opens_at", _("A public vote needs its window."))
            elif v_closes <= v_opens:
                self.add_error("vote_closes_at", _("Voting must close after it opens."))
            elif closes and v_opens < closes:
                self.add_error("vote_opens_at", _("Voting opens once nominations have closed."))
        else:
            data["vote_opens_at"] = data["vote_closes_at"] = None
            self.instance.vote_opens_at = self.instance.vote_closes_at = None
        if data.get("result_rule") == ResultRule.VOTES and not data.get("public_vote"):
            self.add_error(
                "result_rule", _("Without a public vote the result needs the jury's scores.")
            )
        return data


class ContestForm(forms.ModelForm):
    """The contest's fields; its rules are the model's (`Contest.clean`), shared with the admin."""

    class Meta:
        model = Contest
        fields = [
            "sub_district",
            "title",
            "description",
            "topic",
            "opens_at",
            "closes_at",
            "question_count",
            "time_limit_minutes",
            "attempts_allowed",
            "open_to_residents",
            "open_to_members",
            "local_residents_only",
        ]
        widgets = {
            "opens_at": _datetime(),
            "closes_at": _datetime(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_district"].queryset = managed_sub_districts(user)
        self.fields["question_count"].widget.attrs.update(min=1, max=MAX_QUESTIONS)
        self.fields["attempts_allowed"].widget.attrs.update(min=1, max=MAX_ATTEMPTS)
        if self.instance.pk and self.instance.attempts.exists():
            for name in FIXED_ONCE_TAKEN:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "People have taken part; this can no longer change."
                )
        self.helper = _helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in FIXED_ONCE_TAKEN:
            if self.fields[name].disabled:  # the stored value, not a re-rounded copy of it
                data[name] = getattr(self.instance, name)
        return data


class JuryScoreForm(forms.Form):
    """One score field per accepted nomination of the campaign: `score_<pk>`."""

    def __init__(
        self,
        *args: Any,
        nominations: list[Any],
        own: dict[int, Decimal],
        show_average: bool = False,
        **kwargs: Any,
    ) -> None:
        """`own`: the signed-in juror's scores by nomination (the initial values). With
        `show_average` (staff), each field says the jury's average and how many scored; the
        nominations then carry `jury_average` and `jury_count` (`with_jury()`)."""
        super().__init__(*args, **kwargs)
        self.nominations = nominations
        for nomination in nominations:
            help_text = ""
            if show_average:
                if nomination.jury_count:
                    help_text = _("Jury average %(average)s from %(count)d jury members.") % {
                        "average": Decimal(nomination.jury_average).quantize(Decimal("0.01")),
                        "count": nomination.jury_count,
                    }
                else:
                    help_text = _("No jury member has scored yet.")
            self.fields[f"score_{nomination.pk}"] = forms.DecimalField(
                label=f"{nomination.category.name} · {nomination.nominee_name}",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=5,
                decimal_places=2,
                initial=own.get(nomination.pk),
                help_text=help_text,
            )
        self.helper = _helper(_("Save the scores"))

    def scores(self) -> dict[int, Decimal | None]:
        return {n.pk: self.cleaned_data.get(f"score_{n.pk}") for n in self.nominations}


class NominationForm(forms.Form):
    """A resident's nomination (the resident site). The photo is checked by the service (content
    and size) and stored re-encoded."""

    category = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=None)
    nominee_name = forms.CharField(label=gettext_lazy("Nominee's name"), max_length=100)
    citation = forms.CharField(
        label=gettext_lazy("Deeds"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What the nominee did, in 10 to 2000 characters."),
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=gettext_lazy("Optional: a JPEG, PNG or WebP photo of the nominee."),
    )
    nominator_label = forms.CharField(
        label=gettext_lazy("Your community or unit"), max_length=100, required=False
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = campaign.categories.order_by("pk")
        self.helper = _helper(_("Submit the nomination"))


class StaffNominationForm(NominationForm):
    """A nomination by a branch, a unit or the sub-district (the workbench): for party honours,
    a member or a branch of the nominator's scope."""

    member = forms.ModelChoiceField(
        label=gettext_lazy("Party member"), queryset=None, required=False
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Branch"), queryset=None, required=False
    )

    def __init__(self, *args: Any, campaign: Campaign, user: Any, **kwargs: Any) -> None:
        from branches.models import Organization
        from members.models import Member

        super().__init__(*args, campaign=campaign, **kwargs)
        in_campaign = {"organization__sub_district": campaign.sub_district_id}
        self.fields["member"].queryset = (
            Member.objects.visible_to(user).filter(**in_campaign).order_by("full_name")
        )
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user)
            .filter(sub_district=campaign.sub_district_id)
            .order_by("path")
        )
        self.fields["nominator_label"].label = _("Nominated by (unit)")
        if campaign.kind != CampaignKind.HONOURS:
            del self.fields["member"]
            del self.fields["organization"]
