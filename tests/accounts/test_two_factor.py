"""Two-factor sign-in with real TOTP codes computed from the device key (django_otp.oath)."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry
from accounts.two_factor import reset_two_factor
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two-factor-verify")
ENROL = reverse("accounts:two-factor-enrol")


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


def password_step(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_sub_district_staff_without_a_device_are_sent_to_enrolment(staff):
    client = password_step("staff")
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and response.url.startswith(ENROL)
    assert client.get("/admin/").url.startswith(ENROL)
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "两步验证" in api.json()["detail"]


def test_enrolment_with_a_real_code_turns_two_factor_on(staff):
    client = password_step("staff")
    page = client.get(ENROL)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = client.post(ENROL, {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    done = client.post(ENROL, {"token": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col-6">(\w+)</li>', done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("staff:dashboard")).status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa_enrolled", actor=staff).exists()


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def test_sign_in_asks_for_the_code_after_the_password(staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the throttle is tested below
    device = enrolled(staff)
    client = password_step("staff")
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    bad = client.post(VERIFY, {"token": "12345"})
    assert bad.status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa_failed").count() == 1
    ok = client.post(VERIFY, {"token": code_for(device), "next": "/staff/"})
    assert ok.status_code == 302 and ok.url == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_a_code_works_once(staff):
    device = enrolled(staff)
    code = code_for(device)
    first = password_step("staff")
    assert first.post(VERIFY, {"token": code}).status_code == 302
    second = password_step("staff")
    assert second.post(VERIFY, {"token": code}).status_code == 200


def test_a_backup_code_works_once_when_the_phone_is_lost(staff):
    from accounts.two_factor import issue_backup_codes

    enrolled(staff)
    codes = issue_backup_codes(user=staff)
    client = password_step("staff")
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert client.get("/staff/").status_code == 200
    again = password_step("staff")
    assert again.post(VERIFY, {"token": codes[0]}).status_code == 200


def test_secretaries_may_skip_two_factor_but_once_enrolled_must_use_it(secretary):
    client = password_step("secretary")
    assert client.get("/staff/").status_code == 200
    enrolled(secretary)
    client = password_step("secretary")
    assert client.get("/staff/").url.startswith(VERIFY)


def test_superusers_must_enrol(superuser):
    client = password_step("root")
    assert client.get("/admin/").url.startswith(ENROL)


def test_residents_never_see_two_factor(resident):
    client = password_step("resident")
    assert client.get("/").status_code == 200
    assert client.get(ENROL).status_code == 302


def test_admin_reset_removes_devices_and_is_audited(staff, superuser):
    enrolled(staff)
    StaticDevice.objects.create(user=staff, name="backup")
    assert reset_two_factor(user=staff, actor=superuser) == 2
    assert not TOTPDevice.objects.filter(user=staff).exists()
    entry = AuditEntry.objects.get(action="auth.2fa_reset")
    assert entry.actor == superuser and entry.target_id == str(staff.pk)
    client = password_step("staff")
    assert client.get("/staff/").url.startswith(ENROL)


def test_the_code_of_the_previous_step_is_still_accepted(staff):
    device = enrolled(staff)
    client = password_step("staff")
    previous = f"{totp(device.bin_key, device.step, device.t0 + device.step, device.digits):06d}"
    assert time.time() > 0  # the code above is the one shown 30 s ago (tolerance of one step)
    assert client.post(VERIFY, {"token": previous}).status_code == 302


def test_wrong_codes_throttle_the_device(staff):
    device = enrolled(staff)
    client = password_step("staff")
    client.post(VERIFY, {"token": "000000" if code_for(device) != "000000" else "111111"})
    # Right after a wrong code even the right one is refused (django-otp's growing delay).
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 200


def verified_client(user) -> tuple[Client, TOTPDevice]:
    device = enrolled(user)
    client = password_step(user.username)
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302
    return client, device


def test_an_enrolled_user_sees_their_status_and_no_new_key(staff):
    from accounts.two_factor import issue_backup_codes

    client, device = verified_client(staff)
    issue_backup_codes(user=staff)
    page = client.get(ENROL)
    body = page.content.decode()
    assert page.status_code == 200
    assert "两步验证已开启" in body and "设置两步验证" not in body
    assert 'data-testid="backup-codes-left">10<' in body
    assert "<svg" not in body and 'data-testid="totp-secret"' not in body
    # Opening the page created no new secret.
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]


def test_setting_up_a_new_phone_asks_for_the_password_again(staff):
    from accounts import sessions

    client, device = verified_client(staff)
    session = client.session
    session[sessions.PASSWORD_CONFIRMED] = time.time() - 3600
    session.save()
    renew = client.get(ENROL + "?renew=1")
    assert renew.status_code == 302 and renew.url.startswith(reverse("accounts:confirm-password"))
    posted = client.post(ENROL, {"token": "123456"})
    assert posted.status_code == 302 and posted.url.startswith(reverse("accounts:confirm-password"))
    assert not TOTPDevice.objects.filter(user=staff, confirmed=False).exists()
    confirmed = client.post(renew.url, {"password": PASSWORD, "next": ENROL + "?renew=1"})
    assert confirmed.status_code == 302
    page = client.get(confirmed.url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post(ENROL + "?renew=1", {"token": code_for(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=staff)) == [new]
