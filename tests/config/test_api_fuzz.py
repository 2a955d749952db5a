"""Fuzz every operation of the OpenAPI schema in-process (schemathesis over WSGI), signed in as
sub-district staff with a token, and assert that nothing answers 5xx; then, as staff and
anonymously, that every status code, content type and body is one the schema lists.

Few examples per operation, so the run takes a minute or two; schemathesis still sends the
boundary values and the malformed bodies first.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)


@pytest.fixture
def api_schema(db):
    from django.core.wsgi import get_wsgi_application

    # As Django's test client does: a request must not close the test's database connection
    # (it would, with DB_CONN_MAX_AGE=0, and the test's transaction would be lost).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def staff_token(staff, branch, other_branch, party_group) -> str:
    cache.clear()  # no throttle carried over from another test
    return Token.objects.get_or_create(user=staff)[0].key


@schema.parametrize()
@settings(
    # One generated example per operation keeps the run short on a shared machine; raise it
    # with API_FUZZ_EXAMPLES for a deeper run.
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "1")),
    database=None,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, staff_token):
    response = case.call(headers={"Authorization": f"Token {staff_token}"})
    case.validate_response(response, checks=[not_a_server_error])


CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "1")),
    database=None,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_staff_answers_match_the_schema(case, staff_token):
    """Every status code, content type and body a staff caller gets is one the schema lists."""
    response = case.call(headers={"Authorization": f"Token {staff_token}"})
    case.validate_response(response, checks=CONFORMANCE)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "1")),
    database=None,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_anonymous_answers_match_the_schema(case, staff):
    """A caller who is not signed in gets only answers the schema lists (403 for most)."""
    cache.clear()  # the anonymous throttle starts afresh
    response = case.call()
    case.validate_response(response, checks=CONFORMANCE)
