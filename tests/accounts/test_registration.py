"""Resident self-registration by phone with a hashed, expiring, rate-limited code."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts import sms
from accounts.models import OutgoingSms, PhoneVerification, ResidentProfile, User
from accounts.services import REDACTED, deliver_outgoing_sms
from tests.branches.factories import SubDistrictFactory

# Django's clock held at today 10:00 Asia/Shanghai (tests/conftest.py), issue 14.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
PHONE = "13812345678"
PASSWORD = "lotus-pond-evening-walk"


@pytest.fixture(autouse=True)
def locmem_sms(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    # One test client is one IP: the per-IP interval has its own tests (test_sms_budget.py).
    settings.SMS_CODE_IP_INTERVAL_SECONDS = 0
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def request_code(client: Client) -> str:
    response = client.post("/accounts/register/", {"phone": PHONE, "send_code": "1"})
    assert response.status_code == 200
    for pending in OutgoingSms.objects.filter(status="pending"):
        deliver_outgoing_sms(sms_id=pending.pk)
    return re.search(r"\d{6}", sms.outbox[-1].body).group()


def register(client: Client, code: str, **extra):
    data = {
        "phone": PHONE,
        "code": code,
        "full_name": "陈静",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "register": "1",
        **extra,
    }
    return client.post("/accounts/register/", data)


def test_a_resident_registers_with_the_code_and_is_signed_in():
    from branches.models import Community

    community = Community.objects.create(sub_district=SubDistrictFactory(), name="联盟新城社区")
    client = Client()
    code = request_code(client)
    response = register(client, code, community=community.pk)
    assert response.status_code == 302
    user = User.objects.get(phone=PHONE)
    assert user.is_resident and user.check_password(PASSWORD)
    assert ResidentProfile.objects.get(user=user).community == community
    # The code is stored hashed only, and the sent message no longer holds it.
    verification = PhoneVerification.objects.get(phone=PHONE)
    assert code not in verification.code_hash and verification.used_at
    assert OutgoingSms.objects.get(to=PHONE).body == REDACTED
    assert client.get("/venues/my/").status_code == 200


def test_a_wrong_code_is_counted_and_the_code_dies_after_the_limit(settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    client = Client()
    code = request_code(client)
    wrong = "000000" if code != "000000" else "111111"
    for left in (2, 1, 0):
        response = register(client, wrong)
        assert f"验证码错误（还可尝试{left}次）" in response.content.decode()
    response = register(client, code)
    assert "验证码错误次数过多" in response.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()


def test_an_expired_code_is_refused():
    client = Client()
    code = request_code(client)
    PhoneVerification.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "验证码已过期或未发送" in register(client, code).content.decode()


def test_codes_are_rate_limited_per_phone(settings):
    client = Client()
    request_code(client)
    response = client.post("/accounts/register/", {"phone": PHONE, "send_code": "1"})
    assert "验证码刚刚已发送" in response.content.decode()
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.SMS_CODE_MAX_PER_HOUR = 2
    client.post("/accounts/register/", {"phone": PHONE, "send_code": "1"})
    response = client.post("/accounts/register/", {"phone": PHONE, "send_code": "1"})
    assert "该手机号获取验证码次数过多" in response.content.decode()
    assert PhoneVerification.objects.count() == 2


def test_bad_input_is_refused_and_writes_nothing():
    client = Client()
    for bad in [{"phone": "12345", "send_code": "1"}, {"phone": "<script>", "register": "1"}]:
        response = client.post("/accounts/register/", bad)
        assert response.status_code == 200
    assert not PhoneVerification.objects.exists() and not User.objects.exists()


def test_a_registered_phone_cannot_register_again():
    client = Client()
    code = request_code(client)
    register(client, code)
    second = Client()
    settings_code = request_code_after_wait(second)
    assert "该手机号已注册" in register(second, settings_code).content.decode()


def request_code_after_wait(client: Client) -> str:
    PhoneVerification.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    return request_code(client)


def test_the_dev_backend_refuses_to_log_codes_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="DEBUG only"):
        sms.DevLogBackend().send(sms.SmsMessage(to=PHONE, body="123456"))


def test_an_sms_is_sent_once_even_if_delivered_twice():
    from accounts.services import queue_sms

    message = queue_sms(to=PHONE, body="通知")
    assert deliver_outgoing_sms(sms_id=message.pk) is True
    assert deliver_outgoing_sms(sms_id=message.pk) is False
    assert len(sms.outbox) == 1


def test_the_password_rule_is_beside_the_field_before_any_attempt():
    page = Client().get("/accounts/register/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "你的密码必须包含至少 12 个字符。" in page
    assert "你的密码不能是一个常见密码。" in page
    assert "并至少包含 6 个不同的字符" in page


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1!short", "密码太短，至少需要 12 个字符。"),
        ("password1234", "这个密码太常见了。"),
        ("482910573310", "密码只包含数字。"),
        (PHONE + "ab", "太相似了"),
        ("aaaaaaaaaaaa", "密码重复字符过多"),
    ],
)
def test_a_refused_password_is_explained_in_chinese_only(password, expected):
    client = Client()
    code = request_code(client)
    response = register(client, code, password1=password, password2=password)
    errors = re.findall(
        r'id="error_\d+_id_password1"[^>]*>\s*<strong>(.*?)</strong>', response.content.decode()
    )
    assert any(expected in error for error in errors), errors
    assert [e for e in errors if re.search(r"[A-Za-z]{2,}", e)] == []
    assert not User.objects.filter(phone=PHONE).exists()
