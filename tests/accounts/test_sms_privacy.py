"""A verification code never lies readable in the outbox: sealed while waiting, blanked once done,
never shown in the admin; rows from before are blanked by a data migration."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from accounts import sms
from accounts.models import OutgoingSms, PhoneVerification
from accounts.services import REDACTED, deliver_outgoing_sms, send_verification_code

pytestmark = pytest.mark.django_db
PHONE = "13812340000"


@pytest.fixture(autouse=True)
def locmem_sms(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_a_waiting_code_is_sealed_and_still_arrives():
    send_verification_code(phone=PHONE, purpose=PhoneVerification.Purpose.REGISTER)
    waiting = OutgoingSms.objects.get(to=PHONE)
    assert deliver_outgoing_sms(sms_id=waiting.pk)
    code = re.search(r"\d{6}", sms.outbox[-1].body).group()
    assert code not in waiting.body and "验证码" not in waiting.body
    assert waiting.body.startswith(sms.SEALED)
    waiting.refresh_from_db()
    assert waiting.body == REDACTED


def test_the_admin_never_shows_the_body_or_the_code(superuser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    send_verification_code(phone=PHONE, purpose=PhoneVerification.Purpose.REGISTER)
    message = OutgoingSms.objects.get(to=PHONE)
    sms.outbox.clear()
    deliver_outgoing_sms(sms_id=message.pk)
    code = re.search(r"\d{6}", sms.outbox[-1].body).group()
    OutgoingSms.objects.filter(pk=message.pk).update(status="pending", body=sms.seal("x"))
    client = Client()
    client.force_login(superuser)
    device = TOTPDevice.objects.create(user=superuser, name="authenticator", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    listing = client.get(reverse("admin:accounts_outgoingsms_changelist"))
    detail = client.get(reverse("admin:accounts_outgoingsms_change", args=[message.pk]))
    for page in (listing, detail):
        assert page.status_code == 200, page
        body = page.content.decode()
        assert code not in body and "sealed:" not in body and PHONE not in body


def test_the_data_migration_blanks_codes_already_sent():
    migration = importlib.import_module("accounts.migrations.0006_redact_sent_sms_bodies")
    sent = OutgoingSms.objects.create(
        to=PHONE, body="您的验证码为 123456", sensitive=True, status="sent"
    )
    failed = OutgoingSms.objects.create(
        to=PHONE, body="您的验证码为 654321", sensitive=True, status="failed"
    )
    notice = OutgoingSms.objects.create(to=PHONE, body="【通知】会议改期", status="sent")
    migration.redact(apps, None)
    assert [m.body for m in OutgoingSms.objects.filter(pk__in=[sent.pk, failed.pk])] == [
        REDACTED,
        REDACTED,
    ]
    notice.refresh_from_db()
    assert notice.body == "【通知】会议改期"
