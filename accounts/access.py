"""Deny-by-default access for staff pages: login, then a permission, then the scope.

Every staff view inherits `StaffView`; it names the permission it needs and builds its rows from
a queryset's `visible_to(request.user)`, so an out-of-scope id is a 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.sessions import password_recently_confirmed


class StaffView(AccessMixin):
    """Login required; the user must work in the workbench and hold `permission_required`."""

    permission_required: str | tuple[str, ...] | None = None

    def get_permission_required(self) -> tuple[str, ...]:
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set permission_required")
        if isinstance(self.permission_required, str):
            return (self.permission_required,)
        return tuple(self.permission_required)

    def allows(self, user: Any) -> bool:
        """Whether `user` may open this page. `dispatch` asks it, and so does the workbench menu
        (config/menu.py), which shows only the pages that answer."""
        if not user.is_authenticated or not user.uses_workbench:
            return False
        perms = self.get_permission_required()
        return not perms or user.has_perms(perms)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allows(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _confirm_password_redirect(request: HttpRequest) -> HttpResponse:
    # A POST cannot be replayed after the detour; the user comes back to the page (GET) instead.
    back = request.get_full_path() if request.method == "GET" else request.path
    return redirect(f"{reverse('accounts:confirm-password')}?{urlencode({'next': back})}")


def recent_password_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorator for a view that reveals or exports personal data: the signed-in user must have
    entered their password within `PASSWORD_CONFIRM_MINUTES`, else they are sent to the
    confirmation page and come back. Put it inside the login/permission checks."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not password_recently_confirmed(
            request, settings.PASSWORD_CONFIRM_MINUTES
        ):
            return _confirm_password_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


class RecentPasswordRequiredMixin:
    """The class-based form of `recent_password_required`; list it after `StaffView`, so login
    and permission are checked first: `class Export(StaffView, RecentPasswordRequiredMixin, View)`.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not password_recently_confirmed(
            request, settings.PASSWORD_CONFIRM_MINUTES
        ):
            return _confirm_password_redirect(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
