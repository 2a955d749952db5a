from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.apps import apps
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.template import loader
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import queue_email


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or phone")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))


class TokenForm(forms.Form):
    """A code from the authenticator app (6 digits) or a backup code."""

    token = forms.CharField(label=_("Code"), max_length=16, strip=True)

    def __init__(self, *args: Any, submit_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit_label or _("Verify"), css_class="w-100"))


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.update(
            {"autocomplete": "current-password", "autofocus": True}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Confirm"), css_class="w-100"))


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes through the outbox, so a broker outage loses nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send reset link")))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(to=to_email, subject=subject, body=body)


PHONE_RE = r"^1[3-9]\d{9}$"


def _communities() -> Any:
    """The communities a resident picks from, through the app registry: accounts sits below the
    organisation tree and does not import it."""
    return apps.get_model("branches", "Community").objects.all()


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sub_district.name} · {obj.name}"


class RegistrationForm(forms.Form):
    """Resident self-registration: phone, a code sent to it, a name, a community, a password.

    The same form serves both buttons: "send code" validates the phone only; "register"
    validates everything.
    """

    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=PHONE_RE,
        max_length=11,
        error_messages={"invalid": _("Enter an 11-digit mainland mobile number.")},
    )
    code = forms.CharField(label=_("Verification code"), max_length=6, required=False)
    full_name = forms.CharField(label=_("Your name"), max_length=60, required=False)
    community = CommunityChoiceField(
        label=_("Your community"), queryset=_communities().none(), required=False
    )
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, required=False, strip=False
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, required=False, strip=False
    )

    def __init__(self, *args: Any, sending_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sending_code = sending_code
        self.fields["community"].queryset = (
            _communities().select_related("sub_district").order_by("sub_district__name", "name")
        )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code"}
        )
        # The rule beside the field, before anyone fails it (the validators' own help texts).
        self.fields["password1"].help_text = password_validators_help_text_html()
        self.fields["password1"].widget.attrs.update({"autocomplete": "new-password"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("phone"),
            Submit(
                "send_code", _("Send verification code"), css_class="btn-outline-secondary mb-3"
            ),
            Field("code"),
            Field("full_name"),
            Field("community"),
            Field("password1"),
            Field("password2"),
            Submit("register", _("Register"), css_class="w-100 btn-portal"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.sending_code:
            return cleaned
        for name in ("code", "full_name", "password1"):
            if not cleaned.get(name):
                self.add_error(name, _("This field is required."))
        code = cleaned.get("code") or ""
        if code and not (code.isdigit() and len(code) == 6):
            self.add_error("code", _("The code has 6 digits."))
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        if p1 and not self.errors.get("password1"):
            try:
                validate_password(
                    p1,
                    User(
                        username=cleaned.get("phone") or "",
                        full_name=cleaned.get("full_name") or "",
                    ),
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
