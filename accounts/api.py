"""API pieces shared by every app: JSON errors, model permissions that include viewing, `me`."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.errors import SERVER_ERROR, DomainError

logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON with a `detail` message in the user's language.

    Domain errors map to their status (400 a broken rule with its field, 409 a conflict).
    """
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field:
            body[exc.field] = [exc.message]
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response(
            {"detail": " ".join(exc.messages), **getattr(exc, "message_dict", {})},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return Response(
            {
                "detail": _("Too many requests. Please wait %(n)d seconds and try again.")
                % {"n": wait}
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, DjangoPermissionDenied):
        return Response(
            {"detail": _("You do not have permission to do this.")},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, DatabaseError):
        # The service's transaction rolled back: nothing was written. Say so, in JSON.
        logger.exception("database error in %s", context["view"].__class__.__name__)
        return Response({"detail": str(SERVER_ERROR)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": _("Please correct the errors below."), **response.data}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    return response


class ScopedModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, with `view` required for reading.

    Rows are additionally narrowed by the viewset's `visible_to(user)` queryset, so an
    out-of-scope id is a 404.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    is_superuser = serializers.BooleanField()


class MeView(APIView):
    """Who the caller is and which roles they hold."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "full_name": user.get_full_name(),
            "roles": sorted(user.active_roles),
            "is_superuser": user.is_superuser,
        }
        return Response(MeSerializer(data).data)


def require_perms(*perms: str) -> type[permissions.BasePermission]:
    """A permission class for one action: the caller must hold every permission named."""

    class RequiredPermissions(permissions.BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated) and request.user.has_perms(
                perms
            )

    RequiredPermissions.__name__ = "Requires_" + "_".join(p.replace(".", "_") for p in perms)
    return RequiredPermissions
