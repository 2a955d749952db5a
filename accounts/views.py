from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import match_token

from accounts import sessions, two_factor
from accounts.forms import (
    ConfirmPasswordForm,
    LoginForm,
    OutboxPasswordResetForm,
    RegistrationForm,
    TokenForm,
)
from accounts.models import PhoneVerification
from accounts.roles import Role
from accounts.service_form import domain_errors_on
from accounts.services import record_audit, register_resident, send_verification_code


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter if it stays on this site, else `default`."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send each user to their home: the workbench for staff and secretaries, their unit's joint
    meetings for a unit liaison, else the site."""
    if request.user.uses_workbench:
        return redirect("staff:dashboard")
    if Role.UNIT_LIAISON in request.user.active_roles:
        return redirect("staff:joint-meeting-list")
    return redirect("public:home")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class RegisterView(FormView):
    """Resident self-registration by phone (mobile-first, no JavaScript needed)."""

    template_name = "accounts/register.html"
    form_class = RegistrationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("public:home")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["sending_code"] = "send_code" in self.request.POST
        return kwargs

    def form_valid(self, form: RegistrationForm) -> HttpResponse:
        data = form.cleaned_data
        if form.sending_code:
            with domain_errors_on(form):
                send_verification_code(
                    phone=data["phone"],
                    purpose=PhoneVerification.Purpose.REGISTER,
                    ip_address=_ip(self.request),
                )
            if form.errors:
                return self.form_invalid(form)
            messages.success(self.request, _("A verification code was sent to your phone."))
            # Show the form again, phone kept, for the code and the rest.
            fresh = RegistrationForm(initial={"phone": data["phone"]})
            return self.render_to_response(self.get_context_data(form=fresh, code_sent=True))
        with domain_errors_on(form):
            user = register_resident(
                phone=data["phone"],
                password=data["password1"],
                code=data["code"],
                full_name=data["full_name"],
                community=data.get("community"),
            )
        if form.errors:
            return self.form_invalid(form)
        login(self.request, user, backend="accounts.backends.RoleBackend")
        messages.success(self.request, _("Welcome! Your account is ready."))
        next_url = self.request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return redirect(next_url)
        return redirect("public:home")


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(FormView):
    """The second step of signing in: a code from the app, or a backup code."""

    template_name = "accounts/two_factor_verify.html"
    form_class = TokenForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        if request.user.is_verified():
            return redirect(safe_next(request, reverse_lazy("accounts:after-login")))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=safe_next(self.request, ""), **kwargs)

    def form_valid(self, form: TokenForm) -> HttpResponse:
        user = self.request.user
        device = match_token(user, form.cleaned_data["token"].replace(" ", ""))
        if device is None:
            record_audit(
                actor=user, action="auth.2fa_failed", target=user, ip_address=_ip(self.request)
            )
            form.add_error("token", _("The code is wrong or has expired. Enter the newest code."))
            return self.form_invalid(form)
        otp_login(self.request, device)
        record_audit(
            actor=user,
            action="auth.2fa_verified",
            target=user,
            data={"device": "backup" if device.name == two_factor.BACKUP_NAME else "totp"},
            ip_address=_ip(self.request),
        )
        return redirect(safe_next(self.request, reverse_lazy("accounts:after-login")))


@method_decorator(never_cache, name="dispatch")
class TwoFactorEnrolView(FormView):
    """Set up the authenticator app: scan the QR code, enter the code it shows; then the backup
    codes are shown, once."""

    template_name = "accounts/two_factor_enrol.html"
    form_class = TokenForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect("accounts:login")
        if not sessions.is_staff_session(user):
            # Residents sign in with their phone and password only.
            return redirect("public:home")
        if sessions.has_two_factor_device(user) and not user.is_verified():
            # A second device is added only after proving the first.
            return redirect("accounts:two-factor-verify")
        status = two_factor.enrolment_status(user=user)
        if status is not None:
            # Already enrolled: show the status, never a new key unless asked for, and a new
            # phone only after the password is entered again.
            if request.method == "GET" and "renew" not in request.GET:
                return render(
                    request,
                    "accounts/two_factor_status.html",
                    {**status, "minutes": settings.PASSWORD_CONFIRM_MINUTES},
                )
            if not sessions.password_recently_confirmed(request, settings.PASSWORD_CONFIRM_MINUTES):
                back = f"{reverse('accounts:two-factor-enrol')}?renew=1"
                return redirect(
                    f"{reverse('accounts:confirm-password')}?{urlencode({'next': back})}"
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "submit_label": _("Confirm and turn on")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        device = two_factor.pending_totp_device(user=self.request.user)
        return super().get_context_data(
            qr=mark_safe(two_factor.qr_svg(device)),  # noqa: S308  (segno's SVG, our own data)
            secret=two_factor.secret_for_typing(device),
            required=sessions.requires_two_factor(self.request.user),
            renewing=two_factor.enrolment_status(user=self.request.user) is not None,
            next=safe_next(self.request, ""),
            **kwargs,
        )

    def form_valid(self, form: TokenForm) -> HttpResponse:
        user = self.request.user
        device = two_factor.pending_totp_device(user=user)
        with domain_errors_on(form):
            codes = two_factor.confirm_totp_device(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        if form.errors:
            return self.form_invalid(form)
        device.refresh_from_db()
        otp_login(self.request, device)
        self.request.session[sessions.OTP_ENROLLED] = True
        response = render(
            self.request,
            "accounts/two_factor_backup_codes.html",
            {"codes": codes, "next": safe_next(self.request, reverse_lazy("accounts:after-login"))},
        )
        response["Cache-Control"] = "no-store"
        return response


@method_decorator(never_cache, name="dispatch")
class ConfirmPasswordView(FormView):
    """Ask for the password again before a sensitive action (see `recent_password_required`).

    A wrong password counts towards the sign-in lockout, like a failed sign-in.
    """

    template_name = "accounts/confirm_password.html"
    form_class = ConfirmPasswordForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            next=safe_next(self.request, ""), minutes=settings.PASSWORD_CONFIRM_MINUTES, **kwargs
        )

    def form_valid(self, form: ConfirmPasswordForm) -> HttpResponse:
        user = self.request.user
        checked = authenticate(
            self.request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if checked is None or checked.pk != user.pk:
            if getattr(self.request, "axes_locked_out", False):
                # The account is now locked: this session ends too (axes shows the lock page).
                logout(self.request)
                form.add_error(None, _("Too many wrong passwords: this account is locked."))
            else:
                form.add_error("password", _("The password is not correct."))
            return self.form_invalid(form)
        sessions.mark_password_confirmed(self.request)
        record_audit(
            actor=user, action="auth.password_confirmed", target=user, ip_address=_ip(self.request)
        )
        return redirect(safe_next(self.request, reverse_lazy("accounts:after-login")))
