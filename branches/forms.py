"""Forms of the organisation pages. Each action form feeds one service; the service decides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization, OrganizationKind, Sector
from config.widgets import DateInput

if TYPE_CHECKING:
    from members.models import Member


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-portal"))
    return helper


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{'　' * (obj.depth - 1)}{obj.name}（{obj.get_kind_display()}）"


class EffectiveDateForm(forms.Form):
    on = forms.DateField(label=_("Effective date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.helper = _helper(_("Save"))


class FoundOrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    founded_on = forms.DateField(label=_("Founded on"), widget=DateInput())
    is_joint = forms.BooleanField(label=_("Joint branch"), required=False)
    is_temporary = forms.BooleanField(label=_("Temporary branch"), required=False)
    ends_on = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, parent: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from branches.rules import ALLOWED_CHILDREN

        allowed = ALLOWED_CHILDREN.get(parent.kind, frozenset())
        self.fields["kind"].choices = [c for c in OrganizationKind.choices if c[0] in allowed]
        self.fields["sector"].initial = parent.sector
        self.fields["founded_on"].initial = timezone.localdate()
        self.helper = _helper(_("Found"))


class RenameForm(EffectiveDateForm):
    name = forms.CharField(label=_("New name"), max_length=100)
    field_order = ["name", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Rename"))


class ChangeKindForm(EffectiveDateForm):
    kind = forms.ChoiceField(label=_("New kind"), choices=OrganizationKind.choices)
    field_order = ["kind", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Change kind"))


class MoveForm(EffectiveDateForm):
    new_parent = OrganizationChoiceField(
        label=_("New parent"), queryset=Organization.objects.none()
    )
    field_order = ["new_parent", "on"]

    def __init__(self, *args: Any, candidates: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = candidates
        self.helper = _helper(_("Move"))


class MergeForm(EffectiveDateForm):
    others = forms.ModelMultipleChoiceField(
        label=_("Merge with"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("new", _("A new organisation (name below)")),
            ("into", _("Keep this organisation; the others merge into it")),
        ],
        initial="new",
        widget=forms.RadioSelect,
    )
    new_name = forms.CharField(label=_("Name of the new organisation"), required=False)
    field_order = ["others", "mode", "new_name", "on"]

    def __init__(self, *args: Any, candidates: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = candidates
        self.helper = _helper(_("Merge"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mode") == "new" and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Name the new organisation."))
        return data


class SplitForm(EffectiveDateForm):
    new_name = forms.CharField(label=_("Name of the new branch"), max_length=100)
    members = forms.ModelMultipleChoiceField(
        label=_("Members who move to it"),
        queryset=None,  # the branch's members, set in __init__
        widget=forms.CheckboxSelectMultiple,
    )
    archive_source = forms.BooleanField(
        label=_("End this branch (every member must move)"), required=False
    )
    field_order = ["new_name", "members", "archive_source", "on"]

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.helper = _helper(_("Split"))


class DissolveForm(EffectiveDateForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    confirm = forms.BooleanField(label=_("I confirm the organisation is dissolved"))
    field_order = ["reason", "on", "confirm"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Dissolve"))
