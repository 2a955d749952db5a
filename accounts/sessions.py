"""What a session remembers about its sign-in: when it started, when it was last used, when the
password was last entered, and whether the stricter staff rules (time limits, two factors) apply.

The flags are written once, at sign-in, so the middleware can enforce them from the session
alone, with no query per request. A role granted or revoked mid-session takes effect at the next
sign-in.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from accounts.roles import Role

STARTED = "portal_session_started"
LAST_SEEN = "portal_last_seen"
PASSWORD_CONFIRMED = "portal_password_confirmed"  # noqa: S105  (a session key)
STAFF = "portal_staff_session"
OTP_REQUIRED = "portal_otp_required"
OTP_ENROLLED = "portal_otp_enrolled"


def now() -> float:
    return time.time()


def requires_two_factor(user: Any) -> bool:
    """Two factors are required for superusers and sub-district staff."""
    return bool(user.is_superuser or Role.SUB_DISTRICT_STAFF in user.active_roles)


def is_staff_session(user: Any) -> bool:
    """Anyone with a role (or the admin site) gets the staff session limits."""
    return bool(user.is_superuser or user.is_staff or user.active_roles)


def has_two_factor_device(user: Any) -> bool:
    from django_otp import devices_for_user

    return any(True for _device in devices_for_user(user, confirmed=True))


def start(request: HttpRequest, user: Any) -> None:
    """Stamp a fresh sign-in (called from the `user_logged_in` receiver)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    stamp = now()
    session[STARTED] = stamp
    session[LAST_SEEN] = stamp
    # Signing in with the password counts as entering it.
    session[PASSWORD_CONFIRMED] = stamp
    session[STAFF] = is_staff_session(user)
    session[OTP_REQUIRED] = requires_two_factor(user)
    session[OTP_ENROLLED] = has_two_factor_device(user) if session[STAFF] else False


def password_recently_confirmed(request: HttpRequest, minutes: int) -> bool:
    confirmed = request.session.get(PASSWORD_CONFIRMED)
    return confirmed is not None and now() - float(confirmed) <= minutes * 60


def mark_password_confirmed(request: HttpRequest) -> None:
    request.session[PASSWORD_CONFIRMED] = now()
