"""Middleware of the sign-in rules: staff session limits, two factors, audited denials."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import sessions
from accounts.services import record_audit

API_PREFIX = "/api/"


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method == "GET":
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SessionLimitsMiddleware:
    """Ends a staff session after `STAFF_SESSION_IDLE_MINUTES` without a request and after
    `STAFF_SESSION_MAX_HOURS` in all. Residents keep the cookie's age (`RESIDENT_SESSION_DAYS`).

    The last-seen stamp is written at most once a minute, so most requests save nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(sessions.STAFF):
            now = sessions.now()
            started = float(session.get(sessions.STARTED, now))
            last_seen = float(session.get(sessions.LAST_SEEN, started))
            idle = now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60
            too_long = now - started > settings.STAFF_SESSION_MAX_HOURS * 3600
            if idle or too_long:
                user = request.user
                record_audit(
                    actor=user,
                    action="auth.session_expired",
                    target=user if user.is_authenticated else None,
                    data={"reason": "idle" if idle else "maximum"},
                    ip_address=_ip(request),
                )
                logout(request)
                if idle:
                    message = _(
                        "You were signed out after %(n)d minutes without activity. "
                        "Please sign in again."
                    ) % {"n": settings.STAFF_SESSION_IDLE_MINUTES}
                else:
                    message = _(
                        "Staff sessions last at most %(n)d hours. Please sign in again."
                    ) % {"n": settings.STAFF_SESSION_MAX_HOURS}
                if _is_api(request):
                    return JsonResponse({"detail": message}, status=401)
                messages.info(request, message)
                return redirect(_with_next(reverse(settings.LOGIN_URL), request))
            if now - last_seen > 60:
                session[sessions.LAST_SEEN] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """A user who has a second factor, or must have one, reaches nothing but the two-factor
    pages (and sign-out) until they enter a code in this session.

    Sub-district staff and superusers without a device are sent to enrolment; the API answers
    403 with a message. Token-authenticated API calls carry no session and are not concerned:
    tokens are issued by an administrator to named systems.
    """

    exempt_names = (
        "accounts:two-factor-verify",
        "accounts:two-factor-enrol",
        "accounts:logout",
        "set_language",
        "javascript-catalog",
        "healthz",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (
                *(reverse(name) for name in self.exempt_names),
                settings.STATIC_URL,
            )
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        required = session.get(sessions.OTP_REQUIRED, False)
        enrolled = session.get(sessions.OTP_ENROLLED, False)
        if (required or enrolled) and not request.path.startswith(self.exempt_paths()):
            user = request.user
            if user.is_authenticated and not user.is_verified():
                if _is_api(request):
                    return JsonResponse(
                        {"detail": _("Enter your two-factor code on the sign-in page first.")},
                        status=403,
                    )
                target = "accounts:two-factor-verify" if enrolled else "accounts:two-factor-enrol"
                return redirect(_with_next(reverse(target), request))
        return self.get_response(request)


class AuditDenialsMiddleware:
    """Every 403 answered to a signed-in user (a workbench page, the admin or the API) is
    written to the audit log: the path and method, never the query string or the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                record_audit(
                    actor=user,
                    action="access.denied",
                    data={"path": request.path[:300], "method": request.method},
                    ip_address=_ip(request),
                )
        return response
