"""Staff sessions end after 30 minutes idle and 12 hours in all; residents keep theirs; the
sensitive pages ask for the password again after PASSWORD_CONFIRM_MINUTES."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import sessions
from accounts.models import AuditEntry
from tests.accounts.factories import PASSWORD
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def age(client, **minutes_ago: float) -> None:
    session = client.session
    for key, minutes in minutes_ago.items():
        session[getattr(sessions, key)] = sessions.now() - minutes * 60
    session.save()


def test_staff_session_ends_after_30_idle_minutes(clients):
    client = clients["staff"]
    age(client, LAST_SEEN=29)
    assert client.get("/staff/").status_code == 200
    age(client, LAST_SEEN=31)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.session_expired", data__reason="idle").exists()


def test_staff_session_ends_after_12_hours_even_when_busy(clients):
    client = clients["secretary"]
    age(client, STARTED=12 * 60 + 1, LAST_SEEN=1)
    assert client.get("/staff/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.session_expired", data__reason="maximum").exists()


def test_an_expired_api_session_gets_401_json(clients):
    client = clients["staff"]
    age(client, LAST_SEEN=45)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401 and "detail" in response.json()


def test_residents_keep_their_session_longer(clients, settings):
    client = clients["resident"]
    age(client, STARTED=3 * 24 * 60, LAST_SEEN=2 * 24 * 60)
    assert client.get("/").context["user"].is_authenticated
    assert settings.SESSION_COOKIE_AGE == settings.RESIDENT_SESSION_DAYS * 24 * 3600


def test_reveal_asks_for_the_password_again_after_the_confirmation_expired(clients, branch):
    member = MemberFactory(organization=branch)
    client = clients["staff"]
    url = reverse("staff:member-reveal", args=[member.pk])
    assert client.get(url).status_code == 200  # just signed in: the password is fresh
    age(client, PASSWORD_CONFIRMED=11)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:confirm-password"))
    refused = client.post(url, {"confirm": "on"})
    assert refused.status_code == 302
    assert not AuditEntry.objects.filter(action="member.id_number_revealed").exists()
    wrong = client.post(response.url, {"password": "not-it"})
    assert wrong.status_code == 200
    right = client.post(response.url, {"password": PASSWORD})
    assert right.status_code == 302 and right.url == url
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="auth.password_confirmed").exists()


def test_roster_export_asks_for_the_password_again(clients, branch):
    MemberFactory(organization=branch)
    client = clients["staff"]
    url = reverse("staff:member-export")
    age(client, PASSWORD_CONFIRMED=30)
    response = client.get(url)
    assert response.status_code == 302 and "confirm-password" in response.url
    assert not AuditEntry.objects.filter(action="member.roster_exported").exists()
    client.post(response.url, {"password": PASSWORD})
    export = client.get(url)
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]


def test_the_confirmation_page_does_not_redirect_off_site(clients):
    client = clients["secretary"]
    response = client.post(
        reverse("accounts:confirm-password") + "?next=https://evil.example/",
        {"password": PASSWORD},
    )
    assert response.status_code == 302 and not response.url.startswith("https://evil")


def test_recent_password_required_decorator(rf, secretary):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from accounts.access import recent_password_required

    view = recent_password_required(lambda request: HttpResponse("ok"))
    request = rf.get("/export/")
    request.user = secretary
    request.session = SessionStore()
    assert view(request).status_code == 302
    sessions.mark_password_confirmed(request)
    assert view(request).status_code == 200
