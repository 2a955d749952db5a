"""Content-Security-Policy with no inline script or style, and the pages keep to it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def test_the_policy_allows_only_our_own_origin(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/register/",
        "/staff/",
        "/staff/members/",
        "/staff/branches/tree/",
        "/staff/audit/",
        "/staff/venues/check-in/",
        "/admin/",
        "/api/docs/",
    ],
)
def test_pages_have_no_inline_script_handler_or_style(clients, superuser, url):
    client = clients["staff"]
    if url.startswith("/admin"):
        client.force_login(superuser)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group(0)


def test_the_two_factor_pages_keep_to_the_policy(client, staff):
    from tests.accounts.factories import PASSWORD

    client.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD})
    html = client.get(reverse("accounts:two-factor-enrol")).content.decode()
    assert "<svg" in html
    assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html)
