from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class RemoveAttachmentForm(forms.Form):
    """The reason a removal from signed-off minutes is sealed with (not asked before sign-off)."""

    change_reason = forms.CharField(
        label=_("Reason for the change"), max_length=200, required=False
    )

    def __init__(self, *args: Any, signed_off: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_off:
            self.fields["change_reason"].required = True
            self.fields["change_reason"].help_text = _(
                "The minutes are signed off: the removal is sealed as a new version with it."
            )
        else:
            del self.fields["change_reason"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Remove the attachment"), css_class="btn-danger"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data.setdefault("change_reason", "")
        return data
