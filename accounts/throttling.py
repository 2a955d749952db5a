"""API throttles: anonymous callers by IP, residents by user. Every data endpoint requires a
signed-in caller, and DRF checks permissions before throttles, so the anonymous rate guards the
open endpoints (the schema) and any public endpoint to come. Staff and secretaries are not
throttled (they are few, known and signed in with two factors); tokens of systems neither."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class SettingsRateThrottle(SimpleRateThrottle):
    """Reads its rate when used (DRF reads it once at import), so settings can change it."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AnonymousRateThrottle(SettingsRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ResidentRateThrottle(SettingsRateThrottle):
    scope = "resident"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user = request.user
        if not (user and user.is_authenticated) or not user.is_resident:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
