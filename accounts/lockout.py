"""Sign-in lockout, counted per username and IP, and per IP.

Within `LOGIN_FAILURE_WINDOW_MINUTES`:

- `AXES_FAILURE_LIMIT` failures of one account from one IP lock that account *on that IP*: the
  real user on their usual device still gets in, and nobody can lock a known user out from
  elsewhere (the account is what counts: username and phone typed share one count);
- `LOGIN_IP_FAILURE_LIMIT` failures from one IP, whatever the usernames, lock the IP: 25
  usernames tried once each from one address (password spraying) are stopped at the limit.

A lock lasts `AXES_COOLOFF_TIME`; attempts during it are refused before any password check and
neither count nor extend it.

django-axes does the plumbing (its backend refuses a locked sign-in before any password check,
its middleware turns the refusal into a page), but its own counting has no window: a failure
counts until `AXES_COOLOFF_TIME` has passed since the *last* failure. This handler counts in a
fixed window instead:

- every failure is one `AccessFailureLog` row (username, IP, time); its `locked_out` flag marks a
  failure that no longer counts (a sign-in of that account from that IP succeeded after it, or a
  person lifted the lock). A lock lasts at least as long as the window (settings), so the
  failures before a lock have left the window when it ends;
- a lock is one `AccessAttempt` row stamped with its start: `username` + `ip_address` for an
  account on one IP, `username` NULL for a whole IP;
- unlocking (`axes_reset*`, the admin's delete or action, or expiry) deletes the lock row; an
  unlock by a person also forgets the failures it was made of.

Locks and unlocks are written to the audit log (`auth.locked`, `auth.unlocked`, with the IP).
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
from django.db.models import Q
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


def _locks(username: str | None, ip_address: str | None) -> Any:
    """Lock rows that apply to `username` signing in from `ip_address`."""
    if not ip_address:
        return AccessAttempt.objects.none()
    scope = Q(username__isnull=True)
    if username:
        scope |= Q(username=username)
    return AccessAttempt.objects.filter(scope, ip_address=ip_address)


def current_lock(username: str | None, ip_address: str | None) -> AccessAttempt | None:
    """The lock in force for this account on this IP (the one ending last), or None."""
    lock = _locks(username, ip_address).order_by("-attempt_time").first()
    if lock is None or lock.attempt_time + get_cool_off() <= timezone.now():
        return None
    return lock


def locked_until(username: str | None, ip_address: str | None) -> Any:
    """When the lock on this account from this IP ends, or None if there is none."""
    lock = current_lock(username, ip_address)
    return None if lock is None else lock.attempt_time + get_cool_off()


def _counting() -> Any:
    return AccessFailureLog.objects.filter(
        attempt_time__gt=timezone.now() - _window(), locked_out=False
    )


class WindowedLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a fixed failure window (see the module docstring)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if current_lock(username, getattr(request, "axes_ip_address", None)) is not None:
            return settings.AXES_FAILURE_LIMIT
        return 0

    def user_login_failed(
        self, sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return
        self.clean_expired_user_attempts(request, credentials)
        username = get_client_username(request, credentials)
        ip_address = request.axes_ip_address
        if not username or getattr(request, "axes_locked_out", False):
            # Refused because already locked: it does not count and does not extend the lock.
            return
        now = timezone.now()
        AccessFailureLog.objects.create(
            username=username,
            ip_address=ip_address,
            user_agent=request.axes_user_agent,
            http_accept=request.axes_http_accept,
            path_info=request.axes_path_info,
            attempt_time=now,
            locked_out=False,
        )
        from_ip = _counting().filter(ip_address=ip_address).count()
        if from_ip >= settings.LOGIN_IP_FAILURE_LIMIT:
            locked_username, failures = None, from_ip
        else:
            failures = _counting().filter(username=username, ip_address=ip_address).count()
            if failures < settings.AXES_FAILURE_LIMIT:
                return
            locked_username = username
        AccessAttempt.objects.update_or_create(
            username=locked_username,
            ip_address=ip_address,
            user_agent=request.axes_user_agent,
            defaults={
                "http_accept": request.axes_http_accept,
                "path_info": request.axes_path_info,
                "get_data": "",
                "post_data": "",
                "failures_since_start": failures,
                "attempt_time": now,
            },
        )
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes", request=request, username=locked_username, ip_address=ip_address
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
        """A successful sign-in forgets that account's failures from that IP (only: a sprayer
        signing in to an account of their own keeps the count of the IP)."""
        username = get_client_username(request, credentials)
        return (
            _counting()
            .filter(username=username, ip_address=request.axes_ip_address)
            .update(locked_out=True)
        )

    def post_delete_access_attempt(self, instance: AccessAttempt, **kwargs: Any) -> None:
        """A lock row was deleted: by expiry, by `axes_reset*` or in the admin. Audit it."""
        now = timezone.now()
        expired = instance.attempt_time + get_cool_off() <= now
        if not expired:
            # Unlocked by a person: the failures the lock was made of no longer count.
            forgiven = _counting().filter(ip_address=instance.ip_address)
            if instance.username is not None:
                forgiven = forgiven.filter(username=instance.username)
            forgiven.update(locked_out=True)
        data = {"username": instance.username or "", "reason": "expired" if expired else "reset"}
        if instance.username is None:
            data["scope"] = "ip"
        record_audit(
            actor=getattr(instance, "unlocked_by", None),
            action="auth.unlocked",
            data=data,
            ip_address=instance.ip_address,
        )


def unlock_username(*, username: str, actor: Any) -> int:
    """Lift a username's locks now, from every IP (an administrator's action, audited with
    their name)."""
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
    lock = current_lock(username, getattr(request, "axes_ip_address", None))
    return render(
        request,
        "accounts/locked_out.html",
        {
            "until": None if lock is None else lock.attempt_time + get_cool_off(),
            "whole_ip": lock is not None and lock.username is None,
            "minutes": int(get_cool_off().total_seconds() // 60),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "ip_failure_limit": settings.LOGIN_IP_FAILURE_LIMIT,
            "window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
        },
        status=429,
    )
