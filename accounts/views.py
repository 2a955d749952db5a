from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.errors import DomainError
from accounts.forms import LoginForm, OutboxPasswordResetForm, RegistrationForm
from accounts.models import PhoneVerification
from accounts.roles import Role
from accounts.services import register_resident, send_verification_code


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
            try:
                send_verification_code(
                    phone=data["phone"], purpose=PhoneVerification.Purpose.REGISTER
                )
            except DomainError as exc:
                form.add_error("phone", exc.message)
                return self.form_invalid(form)
            messages.success(self.request, _("A verification code was sent to your phone."))
            # Show the form again, phone kept, for the code and the rest.
            fresh = RegistrationForm(initial={"phone": data["phone"]})
            return self.render_to_response(self.get_context_data(form=fresh, code_sent=True))
        try:
            user = register_resident(
                phone=data["phone"],
                password=data["password1"],
                code=data["code"],
                full_name=data["full_name"],
                community=data.get("community"),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
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
