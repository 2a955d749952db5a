"""The OpenAPI schema is true (errors, blank choices, plain lists) and, in production, served to
signed-in users only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client, settings) -> dict:
    settings.API_SCHEMA_PUBLIC = True
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_schema_and_docs_are_public_when_the_setting_says_so(settings):
    settings.API_SCHEMA_PUBLIC = True
    anonymous = Client()
    assert anonymous.get("/api/schema/").status_code == 200
    assert anonymous.get("/api/docs/").status_code == 200


def test_schema_and_docs_need_a_signed_in_user_in_production(settings, clients, staff):
    settings.API_SCHEMA_PUBLIC = False
    anonymous = Client()
    refused = anonymous.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert refused.status_code == 403
    # The API's usual answer to a signed-out caller.
    assert refused.json() == anonymous.get("/api/v1/bookings/").json()
    assert refused.json()["detail"] == "身份认证信息未提供。"
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/?next=/api/docs/")
    # Any signed-in user may read them: a resident's session, a staff member's token.
    assert clients["resident"].get("/api/schema/").status_code == 200
    assert clients["resident"].get("/api/docs/").status_code == 200
    token = Token.objects.create(user=staff).key
    assert anonymous.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-0123456789-ABCDEFGHIJ-xyz!",
    "ALLOWED_HOSTS": "portal.example.org",
    "MEMBER_ID_ENCRYPTION_KEYS": "0Q9cY0cUq3m2s1Xb3b6uQ0H2p9o8vV3kq2nGJ6kq0wM=",
    "MEMBER_ID_HASH_KEY": "a-production-hmac-key-0123456789-abcdefghij",
}


@pytest.mark.parametrize(
    ("env", "public"),
    [
        ({"DEBUG": "true"}, "True"),
        (PRODUCTION, "False"),
        ({**PRODUCTION, "API_SCHEMA_PUBLIC": "true"}, "True"),
    ],
)
def test_the_schema_is_public_by_default_only_in_development(env, public):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.API_SCHEMA_PUBLIC)"],
        cwd=Path(__file__).resolve().parents[2],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == public, result.stderr


def test_every_operation_lists_its_error_answers(openapi):
    error = {"$ref": "#/components/schemas/Error"}
    operations = {
        (method.upper(), path): operation
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
    }
    for (method, path), operation in operations.items():
        responses = operation["responses"]
        assert responses["403"]["content"]["application/json"]["schema"] == error, (method, path)
        if "{" in path or method != "GET":
            assert "404" in responses, (method, path)
        if method in {"POST", "PUT", "PATCH"}:
            assert {"400", "409"} <= responses.keys(), (method, path)
    # An unknown check-in code is a 404 of a path without an id.
    assert "404" in operations[("POST", "/api/v1/bookings/check-in/")]["responses"]
    bookings = operations[("GET", "/api/v1/bookings/")]["responses"]
    assert {"400", "403", "404", "429"} <= bookings.keys()  # a bad filter, a page past the end
    assert openapi["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_a_blank_lecture_kind_is_in_the_schema(openapi):
    field = openapi["components"]["schemas"]["Meeting"]["properties"]["lecture_kind"]
    refs = {choice["$ref"].rsplit("/", 1)[1] for choice in field["oneOf"]}
    assert refs == {"LectureKindEnum", "BlankEnum"}
    assert openapi["components"]["schemas"]["BlankEnum"]["enum"] == [""]


@pytest.mark.parametrize(
    ("path", "item"),
    [
        ("/api/v1/rooms/{id}/availability/", "Day"),
        ("/api/v1/organizations/{id}/history/", "OrganizationEvent"),
    ],
)
def test_actions_that_answer_a_plain_list_say_so(openapi, path, item):
    schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    assert schema["schema"] == {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}


def test_an_api_path_the_router_cannot_read_answers_json_404(clients):
    response = clients["staff"].get("/api/v1/bookings/0.5/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    page = clients["staff"].get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
