"""Sign-in lockout: 5 failures within 15 minutes lock a username for 30 minutes (django-axes with
our windowed handler, accounts/lockout.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.admin.sites import AdminSite
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.admin import UserAdmin
from accounts.lockout import unlock_username
from accounts.models import AuditEntry, User
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def fail(client, username: str, times: int = 1) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "wrong-password-123"})


def sign_in(client, username: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def test_five_failures_lock_a_resident_and_the_right_password_is_refused(client, resident):
    fail(client, "resident", 4)
    assert not AccessAttempt.objects.exists()
    fail(client, "resident")
    response = sign_in(client, "resident")
    assert response.status_code == 429
    body = response.content.decode()
    assert "账号已锁定" in body and "30" in body
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.locked", data__username="resident").count() == 1


def test_username_and_phone_share_one_count_on_one_ip(client, resident):
    for n in range(5):
        client.post(
            LOGIN, {"username": "13900000001" if n % 2 else "resident", "password": "wrong"}
        )
    assert sign_in(client, "13900000001").status_code == 429


def test_a_user_locked_from_one_ip_still_signs_in_from_another(client, resident):
    for _ in range(5):
        client.post(LOGIN, {"username": "resident", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(
        LOGIN, {"username": "resident", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    at_home = client.post(
        LOGIN, {"username": "resident", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert at_home.status_code == 302
    # Nobody can lock the account out from elsewhere by spreading failures over addresses.
    client.logout()
    for n in range(10):
        client.post(LOGIN, {"username": "resident", "password": "wrong"}, REMOTE_ADDR=f"10.1.0.{n}")
    assert (
        client.post(
            LOGIN, {"username": "resident", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
        ).status_code
        == 302
    )


def test_spraying_many_usernames_from_one_ip_is_blocked(client, settings):
    from tests.accounts.factories import UserFactory

    settings.LOGIN_IP_FAILURE_LIMIT = 20
    victim = UserFactory(username="victim")
    statuses = []
    for n in range(25):
        response = client.post(
            LOGIN, {"username": f"user{n:02d}", "password": "Spring2026!"}, REMOTE_ADDR="10.9.9.9"
        )
        statuses.append(response.status_code)
    assert statuses[:19] == [200] * 19 and set(statuses[19:]) == {429}
    assert AccessFailureLog.objects.filter(ip_address="10.9.9.9").count() == 20
    # Even the right password of a real account is refused from that IP, not from another.
    refused = client.post(
        LOGIN, {"username": victim.username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert refused.status_code == 429 and "此网络" in refused.content.decode()
    other = client.post(
        LOGIN, {"username": victim.username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.8"
    )
    assert other.status_code == 302
    locked = AuditEntry.objects.get(action="auth.locked")
    assert locked.ip_address == "10.9.9.9" and locked.data == {"username": "", "scope": "ip"}


def test_the_lock_of_an_account_on_an_ip_is_audited_with_the_ip(client, resident):
    for _ in range(5):
        client.post(LOGIN, {"username": "resident", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    entry = AuditEntry.objects.get(action="auth.locked")
    assert entry.ip_address == "10.0.0.7" and entry.data == {"username": "resident"}


def test_signing_in_to_ones_own_account_does_not_reset_the_ip_count(client, settings, resident):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    for n in range(4):
        client.post(LOGIN, {"username": f"user{n}", "password": "wrong"})
    assert sign_in(client, "resident").status_code == 302
    client.logout()
    for n in range(4, 6):
        client.post(LOGIN, {"username": f"user{n}", "password": "wrong"})
    assert sign_in(client, "resident").status_code == 429


def test_staff_are_locked_on_the_admin_login_too(client, staff):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "staff", "password": "wrong"})
    assert sign_in(client, "staff").status_code == 429


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client, resident):
    fail(client, "resident", 4)
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    fail(client, "resident", 4)
    assert not AccessAttempt.objects.exists()
    response = sign_in(client, "resident")
    assert response.status_code == 302


def test_the_lock_ends_after_30_minutes_and_the_expiry_is_audited(client, resident):
    fail(client, "resident", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert sign_in(client, "resident").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert sign_in(client, "resident").status_code == 302
    unlocked = AuditEntry.objects.get(action="auth.unlocked")
    assert unlocked.data == {"username": "resident", "reason": "expired"}


def test_attempts_during_the_lock_do_not_extend_it(client, resident):
    fail(client, "resident", 5)
    started = AccessAttempt.objects.get().attempt_time
    fail(client, "resident", 3)
    assert AccessAttempt.objects.get().attempt_time == started


def test_a_successful_sign_in_forgets_earlier_failures(client, resident):
    fail(client, "resident", 4)
    assert sign_in(client, "resident").status_code == 302
    client.logout()
    fail(client, "resident", 4)
    assert sign_in(client, "resident").status_code == 302


def test_axes_reset_unlocks_and_is_audited(client, resident):
    fail(client, "resident", 5)
    call_command("axes_reset_username", "resident")
    assert AuditEntry.objects.filter(action="auth.unlocked", data__reason="reset").exists()
    # The window's failures are forgiven: one more mistake does not lock again.
    fail(client, "resident")
    assert sign_in(client, "resident").status_code == 302


def test_admin_action_unlocks_with_the_admins_name(rf, client, resident, superuser):
    fail(client, "resident", 5)
    request = rf.post("/")
    request.user = superuser
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    UserAdmin(User, AdminSite()).unlock_sign_in(request, User.objects.filter(pk=resident.pk))
    entry = AuditEntry.objects.get(action="auth.unlocked")
    assert entry.actor == superuser and entry.data["reason"] == "reset"
    assert sign_in(client, "resident").status_code == 302


def test_unlock_of_a_username_that_is_not_locked_changes_nothing(resident):
    assert unlock_username(username="resident", actor=None) == 0
    assert not AuditEntry.objects.filter(action="auth.unlocked").exists()


def test_a_wrong_password_on_the_confirmation_page_counts(client, resident):
    client.force_login(resident)
    for _ in range(5):
        response = client.post(reverse("accounts:confirm-password"), {"password": "wrong"})
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username="resident").exists()
    assert "_auth_user_id" not in client.session
