"""A database error mid-request: a clear message (page or JSON), and nothing half-written.

The failure is injected at the database boundary (`connection.execute_wrapper`): the booking
row and its spans are inserted, then the audit entry, the last write of the service, fails.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from accounts.models import AuditEntry, OutgoingEmail, OutgoingSms
from tests.venues.conftest import at
from tests.venues.factories import RoomFactory, ServiceHallFactory
from venues.models import Booking

pytestmark = pytest.mark.django_db


@contextmanager
def database_fails_on(table: str):
    def fail(execute, sql, params, many, context):
        if sql.startswith("INSERT") and f'"{table}"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def nothing_written() -> bool:
    return not (
        Booking.objects.exists()
        or AuditEntry.objects.filter(action__startswith="booking").exists()
        or OutgoingEmail.objects.exists()
        or OutgoingSms.objects.exists()
    )


@pytest.fixture
def room(sub_district):
    return RoomFactory(hall=ServiceHallFactory(sub_district=sub_district), capacity=30)


@pytest.fixture
def resident_client(resident):
    client = Client(raise_request_exception=False)
    client.force_login(resident)
    return client


def test_the_api_answers_json_and_writes_nothing(resident_client, room):
    payload = {
        "room": room.pk,
        "starts_at": at(1, 9).isoformat(),
        "ends_at": at(1, 10).isoformat(),
        "attendees": 2,
        "purpose": "读书会",
    }
    with database_fails_on("accounts_auditentry"):
        response = resident_client.post("/api/v1/bookings/", payload, "application/json")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "系统暂时无法完成此操作，所有内容均未保存。请稍后再试；如问题持续，请联系街道办。"
    }
    assert nothing_written()
    # The same request goes through once the database is back.
    assert resident_client.post("/api/v1/bookings/", payload, "application/json").status_code == 201


def test_a_page_shows_the_error_page_in_chinese_and_writes_nothing(resident_client, room):
    form = {"date": at(1, 9).date().isoformat(), "start": "09:00", "end": "10:00"}
    form |= {"attendees": 3, "purpose": "读书会"}
    with database_fails_on("accounts_auditentry"):
        response = resident_client.post(f"/venues/rooms/{room.pk}/book/", form)
    assert response.status_code == 500
    page = response.content.decode()
    assert "出错了" in page and "所有内容均未保存" in page
    assert nothing_written()


def test_an_unexpected_api_error_is_json_too(resident_client):
    from config.views import server_error

    request = resident_client.get("/").wsgi_request
    request.path = "/api/v1/bookings/"
    response = server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
