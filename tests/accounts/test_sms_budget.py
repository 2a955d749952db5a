"""Budgets on sending verification codes: per phone, per IP and for the whole site, held by the
database under parallel requests (no CAPTCHA, no Redis needed)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from accounts import sms
from accounts.errors import DomainError
from accounts.models import OutgoingSms, PhoneVerification
from accounts.services import send_verification_code

REGISTER = PhoneVerification.Purpose.REGISTER


@pytest.fixture(autouse=True)
def locmem_sms(settings):
    settings.SMS_BACKEND = "accounts.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def phones(n: int) -> list[str]:
    return [f"1380000{i:04d}" for i in range(n)]


def ask(client: Client, phone: str, ip: str) -> str:
    response = client.post(
        "/accounts/register/", {"phone": phone, "send_code": "1"}, REMOTE_ADDR=ip
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_one_ip_cannot_send_codes_to_many_phones(settings):
    settings.SMS_CODE_IP_INTERVAL_SECONDS = 0
    settings.SMS_CODE_MAX_PER_IP_PER_HOUR = 5
    client = Client()
    pages = [ask(client, phone, "10.2.0.1") for phone in phones(12)]
    assert PhoneVerification.objects.count() == 5
    assert OutgoingSms.objects.count() == 5
    assert all("此网络获取验证码次数过多" in page for page in pages[5:])
    # Another network is not affected.
    ask(client, "13900009999", "10.2.0.2")
    assert PhoneVerification.objects.filter(phone="13900009999").exists()


@pytest.mark.django_db
def test_one_ip_waits_between_codes(settings):
    settings.SMS_CODE_IP_INTERVAL_SECONDS = 10
    client = Client()
    ask(client, "13800000001", "10.2.0.3")
    page = ask(client, "13800000002", "10.2.0.3")
    assert "验证码刚刚已发送" in page
    assert PhoneVerification.objects.count() == 1


@pytest.mark.django_db
def test_the_site_wide_hourly_budget_holds(settings):
    settings.SMS_CODE_IP_INTERVAL_SECONDS = 0
    settings.SMS_CODE_MAX_PER_HOUR_TOTAL = 3
    for n, phone in enumerate(phones(3)):
        send_verification_code(phone=phone, purpose=REGISTER, ip_address=f"10.3.0.{n}")
    with pytest.raises(DomainError, match="平台暂时无法发送更多验证码"):
        send_verification_code(phone="13900000042", purpose=REGISTER, ip_address="10.3.1.1")
    assert PhoneVerification.objects.count() == 3


def race(count: int, target) -> list[str]:
    barrier = threading.Barrier(count)
    pages: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        client = Client()
        barrier.wait()
        try:
            page = target(client, n)
            with lock:
                pages.append(page)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pages


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_from_one_ip_stay_within_its_budget(settings):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    settings.SMS_CODE_IP_INTERVAL_SECONDS = 0
    settings.SMS_CODE_MAX_PER_IP_PER_HOUR = 5
    numbers = phones(12)
    pages = race(12, lambda client, n: ask(client, numbers[n], "10.4.0.1"))
    assert len(pages) == 12
    assert PhoneVerification.objects.count() == 5
    assert OutgoingSms.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_one_phone_send_one_code(settings):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    pages = race(8, lambda client, n: ask(client, "13800000077", f"10.5.0.{n}"))
    assert len(pages) == 8
    assert PhoneVerification.objects.count() == 1
    assert sum("验证码刚刚已发送" in page for page in pages) == 7
