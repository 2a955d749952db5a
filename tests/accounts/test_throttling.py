from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_anonymous_api_calls_are_throttled_with_a_chinese_message(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/min", "resident": "5/min"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        statuses = [client.get("/api/schema/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
        assert "请求过于频繁" in response.json()["detail"]
        assert int(response["Retry-After"]) > 0
    finally:
        api_settings.reload()


def test_residents_are_throttled_and_staff_are_not(clients, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/min", "resident": "5/min"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        resident = [clients["resident"].get("/api/v1/me/").status_code for _ in range(6)]
        assert resident[:5] == [200] * 5 and resident[5] == 429
        staff = [clients["staff"].get("/api/v1/me/").status_code for _ in range(8)]
        assert staff == [200] * 8
    finally:
        api_settings.reload()
