"""Every URL of the project answers every role without a server error.

The sweep walks the URL resolver recursively, so a page added later is covered without a line
here. Each path parameter gets a sample: the primary key of a row of the view's model that sub-
district staff can see (the demo dataset), else 1; a year, an action, a slug. Every role of the
access matrix opens every URL; a 5xx fails the test with the list of URLs. The admin has its own
sweep (test_admin_pages.py).
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "member",
    "lianmeng_secretary",
    "ruyihu_staff",
    "unit_liaison",
    "admin",
]

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _model_of(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = getattr(view, "model", None)
    if model is None and getattr(view, "queryset", None) is not None:
        model = view.queryset.model
    return model


def _model_named_before(route: str, param: str):
    """The model the path segment before `<…param>` names: `teams/<int:pk>` -> VolunteerTeam."""
    from django.apps import apps

    found = re.search(rf"\(\?P<{param}>|<(\w+:)?{param}>", route)
    if found is None:
        return None
    before = route[: found.start()].rstrip("/").rsplit("/", 1)[-1].lstrip("^")
    word = before.replace("-", "").replace("_", "")
    for singular in (word, word.removesuffix("s"), word.removesuffix("es")):
        if not singular:
            continue
        for model in apps.get_models():
            if model._meta.model_name == singular:
                return model
        for model in apps.get_models():
            if model._meta.model_name.endswith(singular):
                return model
    return None


def _sample_pk(model, staff):
    if model is None:
        return 1
    rows = model._default_manager.all()
    if hasattr(rows, "visible_to"):
        rows = rows.visible_to(staff)
    row = rows.order_by("pk").first()
    return row.pk if row is not None else 1


def _samples(model, staff, route: str) -> dict[str, str]:
    from branches.models import Organization

    organization = Organization.objects.visible_to(staff).order_by("pk").first()
    if model is None:
        model = _model_named_before(route, "pk")
    return {
        "pk": str(_sample_pk(model, staff)),
        "org_pk": str(organization.pk),
        "year": str(timezone.localdate().year),
        "action": "approve",
        "owner": "room",
        "size": "thumb",
        "uidb64": "MQ",
        "token": "set-password",
    }


def _url(route: str, callback, staff) -> str | None:
    samples = _samples(_model_of(callback), staff, route)
    if "(?P<format>" in route or route.startswith("admin/"):
        return None

    def value(match: re.Match) -> str:
        return samples.get(match["name"], "1")

    path = _ROUTE_PARAM.sub(value, route)
    path = _REGEX_PARAM.sub(value, path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    if any(char in path for char in "()?*+[]"):
        return None
    return "/" + path


def _urls(staff) -> list[str]:
    urls = {_url(route, callback, staff) for route, callback in _walk(get_resolver().url_patterns)}
    urls.discard(None)
    urls.discard("/accounts/logout/")  # signing out would end the sweep's own session
    return sorted(urls)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_a_server_error(demo, role):
    staff = User.objects.get(username="ruyihu_staff")
    urls = _urls(staff)
    assert len(urls) > 200  # the walk reached the whole project
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url} answered {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "url_name", ["public:volunteer-lead-team-action", "public:volunteer-lead-activity-action"]
)
def test_a_post_only_action_answers_get_with_405(client, resident, url_name):
    from django.urls import reverse

    client.force_login(resident)
    assert client.get(reverse(url_name, args=[1, "approve"])).status_code == 405
