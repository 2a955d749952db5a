"""Deny-by-default access for staff pages: login, then a permission, then the scope.

Every staff view inherits `StaffView`; it names the permission it needs and builds its rows from
a queryset's `visible_to(request.user)`, so an out-of-scope id is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse


class StaffView(AccessMixin):
    """Login required; the user must work in the workbench and hold `permission_required`."""

    permission_required: str | tuple[str, ...] | None = None

    def get_permission_required(self) -> tuple[str, ...]:
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set permission_required")
        if isinstance(self.permission_required, str):
            return (self.permission_required,)
        return tuple(self.permission_required)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.uses_workbench:
            raise PermissionDenied
        perms = self.get_permission_required()
        if perms and not user.has_perms(perms):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
