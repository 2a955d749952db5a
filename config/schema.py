"""The OpenAPI schema tells the truth about every answer, errors included.

drf-spectacular documents the success answer of each operation. The API also answers, across the
board, with the project's JSON error shape (`accounts.api.exception_handler`): 400 for a broken
rule, 403 when not signed in or not allowed, 404 for an unknown or out-of-scope id (and a page
past the end), 409 for a conflict, 429 when throttled. Rather than decorate every operation, this
schema class adds those answers to each operation according to its method, its parameters, its
permissions and its throttles. An answer an operation already declares is left as declared.

It also keeps read-only choice fields honest: DRF drops `allow_blank`/`allow_null` from read-only
model fields, so a model's blank choice ("" for "not a lecture") would be missing from the enum.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer: a message in the caller's language, and for a rule broken
    by one field, that field's messages under its name."""

    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")


ERRORS = {
    "400": "A rule is broken or a value is wrong; the field's name carries its messages.",
    "403": "Not signed in, or not allowed to do this.",
    "404": "No such object within the caller's scope (in the path or the body), or a page past "
    "the end.",
    "409": "A conflict with the current state (taken, already done, changed meanwhile).",
    "429": "Too many requests; the Retry-After header says how long to wait.",
}


class ProjectAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERRORS[code]),
                    code,
                    direction=direction,
                )
        return responses

    def _error_codes(self) -> list[str]:
        codes = []
        paginated = self._is_list_view() and self._get_paginator() is not None
        has_query = paginated or bool(self._get_filter_parameters())
        if self.method in WRITE_METHODS or has_query or self._declares_query_parameters():
            codes.append("400")
        if not all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()):
            codes.append("403")
        # A write may name an object that does not exist or is out of scope (a check-in code).
        if "{" in self.path or paginated or self.method in WRITE_METHODS:
            codes.append("404")
        if self.method in WRITE_METHODS:
            codes.append("409")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _declares_query_parameters(self) -> bool:
        return any(
            getattr(parameter, "location", None) == "query"
            for parameter in self.get_override_parameters()
        )

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ChoiceField) and field.read_only and "enum" in schema:
            model_field = _model_field(field)
            if model_field is not None:
                if model_field.blank and "" not in schema["enum"]:
                    schema["enum"] = [*schema["enum"], ""]
                if model_field.null and None not in schema["enum"]:
                    schema["enum"] = [*schema["enum"], None]
                    schema["nullable"] = True
        return schema


def _model_field(field: serializers.Field) -> Any:
    """The model field behind a serializer field of a ModelSerializer, if there is one."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or "." in field.source or field.source == "*":
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


def schema_is_open_to(user: Any) -> bool:
    """The schema and the docs: public when `API_SCHEMA_PUBLIC` (development), else for
    signed-in users only."""
    return settings.API_SCHEMA_PUBLIC or bool(user and user.is_authenticated)


class SchemaAccess(permissions.BasePermission):
    """Permission of /api/schema/ (a token or a session counts as signed in); a signed-out
    caller gets the API's usual answer to that, 403 "credentials were not provided"."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return schema_is_open_to(request.user)
