from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry, OutgoingEmail
from accounts.services import deliver_outgoing_email
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_is_audited_and_secretary_lands_on_the_workbench(client, secretary):
    response = client.post(
        reverse("accounts:login"), {"username": "secretary", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("staff:dashboard")
    assert AuditEntry.objects.filter(action="auth.login", actor=secretary).count() == 1


def test_resident_lands_on_the_resident_site(client, resident):
    response = client.post(
        reverse("accounts:login"), {"username": "resident", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("public:home")


def test_failed_login_is_audited_with_a_message_in_chinese(client, secretary):
    response = client.post(
        reverse("accounts:login"), {"username": "secretary", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.data == {"username": "secretary"}
    assert entry.actor is None


def test_logout_is_post_only_and_audited(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="auth.logout", actor=secretary).exists()


def test_password_reset_goes_through_the_outbox_and_the_link_works(client, secretary):
    response = client.post(reverse("accounts:password_reset"), {"email": secretary.email})
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(to=secretary.email)
    assert email.status == OutgoingEmail.Status.PENDING

    assert deliver_outgoing_email(email_id=email.pk) is True
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    new_password = "a-brand-new-password-2026"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not OutgoingEmail.objects.exists()


def test_a_user_may_sign_in_with_their_phone_number(client, resident):
    response = client.post(
        reverse("accounts:login"), {"username": "13900000001", "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == resident


def test_phone_sign_in_with_a_wrong_password_is_refused(client, resident):
    response = client.post(
        reverse("accounts:login"), {"username": "13900000001", "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
