from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from branches.models import Community, Organization, OrganizationKind
from config.widgets import DateInput
from members import rules
from members.models import Member
from members.roster import MEMBER_BRANCH_KINDS

PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class MemberForm(forms.ModelForm):
    """Add or change a record. The ID number is write-only: blank on change keeps the stored one."""

    id_number = forms.CharField(
        label=_("ID-card number"),
        max_length=30,
        required=False,
        help_text=_("18 characters. Leave blank to keep the number on record."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Member
        fields = [
            "organization",
            "party_group",
            "full_name",
            "gender",
            "ethnicity",
            "birth_date",
            "phone",
            "education",
            "occupation",
            "work_unit",
            "address",
            "community",
            "status",
            "category",
            "joined_on",
            "confirmed_on",
            "in_hardship",
            "out_of_contact_since",
            "photo",
            "note",
        ]
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "confirmed_on": DateInput(),
            "out_of_contact_since": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        visible = Organization.objects.visible_to(user)
        self.fields["organization"].queryset = visible.filter(
            kind__in=MEMBER_BRANCH_KINDS, status="active"
        )
        self.fields["party_group"].queryset = visible.filter(kind=OrganizationKind.PARTY_GROUP)
        self.fields["community"].queryset = Community.objects.visible_to(user)
        if self.instance.pk:
            # The branch changes only through a transfer.
            del self.fields["organization"]
            if self.instance.id_number_masked:
                self.fields["id_number"].help_text = _(
                    "On record: %(masked)s. Leave blank to keep it."
                ) % {"masked": self.instance.id_number_masked}
        else:
            self.fields["id_number"].required = True
            self.fields["id_number"].help_text = _(
                "18 characters, checked against its check digit."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Identity"),
                Row(Column("full_name"), Column("gender"), Column("ethnicity")),
                Row(Column("birth_date"), Column("id_number")),
                Row(Column("phone"), Column("education")),
            ),
            Fieldset(
                _("Work and residence"),
                Row(Column("occupation"), Column("work_unit")),
                Row(Column("address"), Column("community")),
            ),
            Fieldset(
                _("Party membership"),
                Row(
                    *([Column("organization")] if "organization" in self.fields else []),
                    Column("party_group"),
                ),
                Row(Column("status"), Column("category")),
                Row(Column("joined_on"), Column("confirmed_on")),
                Row(Column("in_hardship"), Column("out_of_contact_since")),
            ),
            "photo",
            "note",
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number", "")
        if not value:
            return ""
        try:
            return rules.validate_id_number(value)
        except rules.InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").replace(" ", "")
        if phone and not rules.is_valid_phone(phone):
            raise forms.ValidationError(
                _("Enter an 11-digit mobile number or a landline with its area code.")
            )
        return phone

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        # A new upload is an UploadedFile (the stored photo is a FieldFile and was checked then).
        if isinstance(photo, UploadedFile):
            if photo.size > settings.MEMBER_PHOTO_MAX_BYTES:
                raise forms.ValidationError(
                    _("The photo is larger than %(mb)d MB.")
                    % {"mb": settings.MEMBER_PHOTO_MAX_BYTES // 1_048_576}
                )
            head = photo.read(8)
            photo.seek(0)
            if not head.startswith(PHOTO_SIGNATURES):
                raise forms.ValidationError(_("The photo must be a JPEG or PNG image."))
            # The stored name is random with the extension of the real type: the name the
            # browser sent never reaches the disk or the Content-Type it is served with.
            import uuid

            ext = "png" if head.startswith(b"\x89PNG") else "jpg"
            photo.name = f"{uuid.uuid4().hex}.{ext}"
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number, birth = data.get("id_number"), data.get("birth_date")
        if number and birth and rules.birth_date_of(number) != birth:
            self.add_error(
                "birth_date",
                _("The birth date differs from the one inside the ID-card number (%(date)s).")
                % {"date": rules.birth_date_of(number).isoformat()},
            )
        return data

    def member_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.fields and name in self.cleaned_data
        }


class RevealForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I need the full number for official business; this reveal is recorded."),
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Reveal the full number"), css_class="btn-danger"))


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        help_text=_("Fill in the template; the file is imported all or nothing."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Import")))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
        if upload.size > settings.MEMBER_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split the roster into smaller files.")
                % {"mb": settings.MEMBER_IMPORT_MAX_BYTES // 1_048_576}
            )
        # The content (zip container, parts, encoding, budgets) is checked by the reader,
        # members.tabular, which every import shares.
        return upload


class MemberStateForm(forms.Form):
    state = forms.ChoiceField(label=_("membership state"))
    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from members.models import MembershipState

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            (value, label)
            for value, label in MembershipState.choices
            if value != MembershipState.TRANSFERRED_OUT
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Save")))


class TransferIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Transfer to"))
    to_organization = forms.ModelChoiceField(
        label=_("receiving branch"), queryset=Organization.objects.none(), required=False
    )
    external_organization = forms.CharField(
        label=_("organisation outside this deployment"), max_length=120, required=False
    )
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from members.models import TransferKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (TransferKind.INTERNAL, TransferKind.INTERNAL.label),
            (TransferKind.OUTBOUND, TransferKind.OUTBOUND.label),
        ]
        self.fields["to_organization"].queryset = Organization.objects.filter(
            kind__in=MEMBER_BRANCH_KINDS, status="active"
        ).select_related("sub_district")
        self.fields["to_organization"].label_from_instance = (
            lambda org: f"{org.sub_district.name} · {org.name}"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Issue the transfer letter")))


class TransferDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


# --- The joining pipeline ----------------------------------------------------------------------


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput())


class ApplicantForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("branch"), queryset=Organization.objects.none())
    full_name = forms.CharField(label=_("name"), max_length=50)
    birth_date = forms.DateField(
        label=_("birth date"),
        required=False,
        widget=DateInput(),
    )
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    applied_on = _date_field(_("applied on"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user)
            .filter(kind__in=MEMBER_BRANCH_KINDS, status="active")
            .order_by("path")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "organization",
            Row(Column("full_name"), Column("birth_date")),
            Row(Column("phone"), Column("applied_on")),
        )
        self.helper.add_input(Submit("submit", _("Record the application")))


class StepForm(forms.Form):
    """The next step (the target stage is fixed by the record), dated."""

    on = _date_field(_("date of the step"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Take the step")))


class DatedNoteForm(forms.Form):
    """A talk, a review or a vote: a date and an optional note."""

    on = _date_field(_("date"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Save")))


class TrainingForm(forms.Form):
    completed_on = _date_field(_("candidate training completed on"))
    hours = forms.IntegerField(label=_("candidate training hours"), min_value=0, max_value=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Save")))


class PeopleForm(forms.Form):
    """Sponsors or mentors: members of the roll the user can see."""

    people = forms.ModelMultipleChoiceField(label=_("members"), queryset=Member.objects.none())

    def __init__(self, *args: Any, user: User, full_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Member.objects.visible_to(user).current().order_by("full_name")
        if full_only:
            qs = qs.filter(status="full")
        self.fields["people"].queryset = qs
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Save")))


class ExtensionForm(forms.Form):
    months = forms.IntegerField(
        label=_("probation extended by (months)"),
        min_value=rules.EXTENSION_MIN_MONTHS,
        max_value=rules.EXTENSION_MAX_MONTHS,
    )
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Extend probation")))


class InboundTransferForm(forms.Form):
    """A letter received from outside the deployment: the person's record and the letter."""

    to_organization = forms.ModelChoiceField(
        label=_("receiving branch"), queryset=Organization.objects.none()
    )
    external_organization = forms.CharField(
        label=_("organisation outside this deployment"), max_length=120
    )
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput())
    full_name = forms.CharField(label=_("name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID-card number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    status = forms.ChoiceField(label=_("status"), choices=[])
    joined_on = forms.DateField(
        label=_("joined the party on"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        from members.models import MemberStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = MemberStatus.choices
        self.fields["to_organization"].queryset = (
            Organization.objects.visible_to(user)
            .filter(kind__in=MEMBER_BRANCH_KINDS, status="active")
            .order_by("path")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Transfer letter"), "to_organization", "external_organization", "issued_on"),
            Fieldset(
                _("Party member"),
                Row(Column("full_name"), Column("id_number")),
                Row(Column("phone"), Column("status"), Column("joined_on")),
            ),
        )
        self.helper.add_input(Submit("submit", _("Register the incoming transfer")))
