"""Errors look like pages of the portal: 400, 403, 404 and 500 in the site's layout, in Chinese,
with a way back; the API keeps answering JSON; a refusal is a log line, not a traceback."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db

PORTAL = "街道党建工作平台"


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert PORTAL in page and 'data-testid="error-page"' in page
    assert 'href="/"' in page  # a way back
    return page


def test_a_resident_opening_the_workbench_gets_a_chinese_403_page(clients):
    response = clients["resident"].get("/staff/")
    assert response.status_code == 403
    page = _page(response)
    assert "您无权打开此页面" in page and "返回首页" in page
    assert "Forbidden" not in page


def test_a_refused_admin_page_is_the_same_403_page(clients):
    # Only superusers manage accounts: the admin refuses staff with 403.
    response = clients["staff"].get("/admin/accounts/user/add/")
    assert response.status_code == 403
    assert "您无权打开此页面" in _page(response)


def test_a_missing_page_is_a_chinese_404_with_the_way_back_to_the_workbench(clients):
    response = clients["staff"].get("/staff/no-such-page/")
    assert response.status_code == 404
    page = _page(response)
    assert "页面不存在" in page and "返回工作台" in page


def test_an_anonymous_404_offers_the_home_page_only(clients):
    page = _page(clients["anonymous"].get("/no-such-page/"))
    assert "页面不存在" in page and "返回工作台" not in page


def test_a_bad_request_is_a_chinese_400_page(client):
    response = client.get("/", HTTP_HOST="not-our-host.example")
    assert response.status_code == 400
    assert "请求有误" in _page(response)


def test_api_errors_stay_json(clients):
    missing = clients["staff"].get("/api/v1/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "未找到。"}
    refused = clients["resident"].get("/api/v1/members/")
    assert refused.status_code in (403, 404)
    assert refused["Content-Type"] == "application/json"
    bad_host = Client().get("/api/v1/members/", HTTP_HOST="not-our-host.example")
    assert bad_host.status_code == 400
    assert bad_host["Content-Type"] == "application/json"


def test_the_500_page_renders_when_the_database_is_down(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(database_down):
        response = client.get("/staff/")
    assert response.status_code == 500
    page = _page(response)
    assert "出错了" in page and "所有内容均未保存" in page


def test_a_refusal_is_a_warning_line_without_a_traceback(clients, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert clients["resident"].get("/staff/").status_code == 403
        assert clients["staff"].get("/staff/no-such-page/").status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in records] == [403, 404]
    assert all(r.levelno == logging.WARNING for r in records)
    assert all(r.exc_info is None for r in records)
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback(staff, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with (
        caplog.at_level(logging.ERROR, logger="django.request"),
        connection.execute_wrapper(database_down),
    ):
        assert client.get("/staff/").status_code == 500
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None
