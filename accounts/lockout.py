"""Sign-in lockout: a username is locked for 30 minutes after 5 failures within 15 minutes.

django-axes does the plumbing (its backend refuses a locked username before any password check,
its middleware turns the refusal into a page), but its own counting has no window: a failure
counts until `AXES_COOLOFF_TIME` has passed since the *last* failure, so failures spread over
hours would add up. This handler counts failures in a fixed window instead:

- every failure is one `AccessFailureLog` row (with its time); its `locked_out` flag marks a
  failure that no longer counts (it caused a lock, a sign-in succeeded after it, or a person
  unlocked the username);
- when the failures of a username in the last `LOGIN_FAILURE_WINDOW_MINUTES` reach
  `AXES_FAILURE_LIMIT`, one `AccessAttempt` row is written: the lock, stamped with its start;
- the username is locked while that row is younger than `AXES_COOLOFF_TIME`; attempts during
  the lock are refused and do not extend it;
- unlocking (`axes_reset`, the admin's delete, or expiry) deletes the lock row; an unlock by a
  person also forgets the failures of the current window, so the next mistake does not lock again.

Locks and unlocks are written to the audit log (`auth.locked`, `auth.unlocked`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.services import record_audit


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account's username, also when the person typed their phone number instead.

    Locking by account (not by what was typed) means username and phone share one count.
    """
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = getattr(request, "POST", {}).get("username")
    if not raw:
        return None
    raw = str(raw).strip()[:150]
    model = get_user_model()
    if not model._default_manager.filter(username=raw).exists():
        match = model._default_manager.filter(phone=raw).values_list("username", flat=True).first()
        if match:
            return match
    return raw


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def locked_until(username: str | None) -> Any:
    """When the username's lock ends, or None if it is not locked."""
    if not username:
        return None
    lock_time = (
        AccessAttempt.objects.filter(username=username)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if lock_time is None:
        return None
    until = lock_time + get_cool_off()
    return until if until > timezone.now() else None


class WindowedLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a fixed failure window (see the module docstring)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if locked_until(username) is not None:
            return settings.AXES_FAILURE_LIMIT
        return 0

    def user_login_failed(
        self, sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return
        self.clean_expired_user_attempts(request, credentials)
        username = get_client_username(request, credentials)
        if not username or getattr(request, "axes_locked_out", False):
            # Refused because already locked: it does not count and does not extend the lock.
            return
        now = timezone.now()
        AccessFailureLog.objects.create(
            username=username,
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            http_accept=request.axes_http_accept,
            path_info=request.axes_path_info,
            attempt_time=now,
            locked_out=False,
        )
        failures = AccessFailureLog.objects.filter(
            username=username, attempt_time__gt=now - _window(), locked_out=False
        ).count()
        if failures < settings.AXES_FAILURE_LIMIT:
            return
        AccessAttempt.objects.create(
            username=username,
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            http_accept=request.axes_http_accept,
            path_info=request.axes_path_info,
            get_data="",
            post_data="",
            failures_since_start=failures,
            attempt_time=now,
        )
        AccessFailureLog.objects.filter(username=username, locked_out=False).update(locked_out=True)
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes", request=request, username=username, ip_address=request.axes_ip_address
        )

    def clean_expired_user_attempts(
        self, request: HttpRequest | None = None, credentials: dict | None = None
    ) -> int:
        expired = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - get_cool_off())
        count = 0
        for attempt in expired:  # one by one, so each unlock is audited
            attempt.delete()
            count += 1
        return count

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A successful sign-in forgets the failures before it.
        username = get_client_username(request, credentials)
        AccessFailureLog.objects.filter(
            username=username, attempt_time__gt=timezone.now() - _window()
        ).update(locked_out=True)
        return super().reset_user_attempts(request, credentials)

    def post_delete_access_attempt(self, instance: AccessAttempt, **kwargs: Any) -> None:
        """A lock row was deleted: by expiry, by `axes_reset` or in the admin. Audit it."""
        now = timezone.now()
        expired = instance.attempt_time + get_cool_off() <= now
        if not expired:
            # Unlocked by a person: the window's failures no longer count.
            AccessFailureLog.objects.filter(
                username=instance.username, attempt_time__gt=now - _window()
            ).update(locked_out=True)
        record_audit(
            actor=getattr(instance, "unlocked_by", None),
            action="auth.unlocked",
            data={"username": instance.username, "reason": "expired" if expired else "reset"},
        )


def unlock_username(*, username: str, actor: Any) -> int:
    """Lift a username's lock now (an administrator's action, audited with their name)."""
    count = 0
    for attempt in AccessAttempt.objects.filter(username=username):
        attempt.unlocked_by = actor
        attempt.delete()
        count += 1
    return count


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page a locked-out sign-in gets: 429, in the user's language, with the unlock time."""
    username = get_client_username(request, credentials)
    until = locked_until(username)
    return render(
        request,
        "accounts/locked_out.html",
        {
            "until": until,
            "minutes": int(get_cool_off().total_seconds() // 60),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
        },
        status=429,
    )
