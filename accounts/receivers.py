"""Audit of sign-ins and lockouts. Django's and axes' signals are the only hooks into their
sign-in flows; a fresh sign-in also stamps the session (see accounts/sessions.py)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import sessions
from accounts.services import record_audit


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_audit(actor=user, action="auth.login", target=user, ip_address=_ip(request))
    if request is not None:
        sessions.start(request, user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_audit(actor=user, action="auth.logout", target=user, ip_address=_ip(request))


@receiver(user_login_failed)
def audit_login_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The username is kept in the audit table (access-controlled), never written to the logs.
    record_audit(
        actor=None,
        action="auth.login_failed",
        data={"username": str(credentials.get("username", ""))[:150]},
        ip_address=_ip(request),
    )


@receiver(user_locked_out)
def audit_lockout(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    # No username: the whole IP is locked (too many failures from it, any usernames).
    data: dict[str, Any] = {"username": str(username or "")[:150]}
    if not username:
        data["scope"] = "ip"
    record_audit(actor=None, action="auth.locked", data=data, ip_address=_ip(request))
