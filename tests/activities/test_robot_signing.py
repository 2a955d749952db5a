"""DingTalk robots with a signing secret (加签): the signature against a known vector, the
secret sealed at rest and never shown or logged, and the signed delivery through a local HTTP
server that checks the signature the way DingTalk documents it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from accounts.channels import (
    deliver_outgoing_webhook,
    dingtalk_sign,
    open_secret,
    seal_secret,
    signed_url,
)
from accounts.models import OutgoingWebhook
from activities.forms import BranchChannelForm
from activities.models import BranchChannel
from activities.reminders import remind_upcoming_meetings
from tests.activities.factories import MeetingFactory

pytestmark = pytest.mark.django_db

SECRET = "SEC0123456789abcdef"


def test_the_signature_matches_a_known_vector():
    # printf '1700000000000\nSEC0123456789abcdef' |
    #   openssl dgst -sha256 -hmac SEC0123456789abcdef -binary | base64
    assert dingtalk_sign(SECRET, 1700000000000) == (
        "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D"
    )


def test_the_signature_is_appended_after_the_access_token():
    url = "https://oapi.dingtalk.com/robot/send?access_token=abc"
    assert signed_url(url, SECRET, 1700000000000) == (
        url + "&timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D"
    )
    assert signed_url("https://robot.example/send", SECRET, 1).startswith(
        "https://robot.example/send?timestamp=1&sign="
    )


class _DingTalk(BaseHTTPRequestHandler):
    """A robot that checks `timestamp` and `sign` as DingTalk does and answers its JSON."""

    secret = SECRET
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        timestamp = query.get("timestamp", [""])[0]
        expected = base64.b64encode(
            hmac.new(
                self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
            ).digest()
        ).decode()
        ok = bool(timestamp) and query.get("sign", [""])[0] == expected
        _DingTalk.received.append(
            {"query": query, "body": body, "ok": ok, "token": query.get("access_token")}
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        answer = (
            {"errcode": 0, "errmsg": "ok"}
            if ok
            else {"errcode": 310000, "errmsg": "sign not match"}
        )
        self.wfile.write(json.dumps(answer).encode())

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def dingtalk():
    server = HTTPServer(("127.0.0.1", 0), _DingTalk)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _DingTalk.received = []
    _DingTalk.secret = SECRET
    yield f"http://127.0.0.1:{server.server_port}/robot/send?access_token=tok"
    server.shutdown()


def channel_form(branch, url, **data):
    return BranchChannelForm(
        data={"organization": branch.pk, "kind": "dingtalk", "url": url, "is_active": "on", **data}
    )


def test_a_signed_robot_receives_the_reminder_signed_once(branch, dingtalk, clock, caplog):
    form = channel_form(branch, dingtalk, secret=SECRET)
    assert form.is_valid(), form.errors
    channel = form.save()
    assert SECRET not in channel.signing_secret and open_secret(channel.signing_secret) == SECRET
    MeetingFactory(
        organization=branch, topic="学习党章", starts_at=clock.now + dt.timedelta(hours=3)
    )
    caplog.set_level(logging.DEBUG)
    remind_upcoming_meetings()
    message = OutgoingWebhook.objects.get()
    assert message.url == dingtalk  # the address as configured; signed only when posted
    assert SECRET not in message.signing_secret
    assert deliver_outgoing_webhook(webhook_id=message.pk) is True
    assert deliver_outgoing_webhook(webhook_id=message.pk) is False
    [received] = _DingTalk.received
    assert received["ok"] and received["token"] == ["tok"]
    assert int(received["query"]["timestamp"][0]) // 1000 == int(clock.now.timestamp())
    assert "学习党章" in received["body"]["text"]["content"]
    assert SECRET not in caplog.text


def test_a_wrong_secret_is_a_failed_attempt_whose_error_names_no_secret(branch, dingtalk, clock):
    BranchChannel.objects.create(
        organization=branch, kind="dingtalk", url=dingtalk, signing_secret=seal_secret("SECwrong")
    )
    MeetingFactory(organization=branch, starts_at=clock.now + dt.timedelta(hours=3))
    remind_upcoming_meetings()
    message = OutgoingWebhook.objects.get()
    with pytest.raises(Exception, match="310000"):
        deliver_outgoing_webhook(webhook_id=message.pk)
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1
    assert message.last_error == "errcode 310000: sign not match"
    assert "SECwrong" not in message.last_error and "tok" not in message.last_error


def test_a_robot_without_a_secret_is_posted_unsigned(branch, dingtalk, clock):
    BranchChannel.objects.create(organization=branch, kind="dingtalk", url=dingtalk)
    MeetingFactory(organization=branch, starts_at=clock.now + dt.timedelta(hours=3))
    remind_upcoming_meetings()
    message = OutgoingWebhook.objects.get()
    with pytest.raises(Exception, match="310000"):  # this robot demands a signature
        deliver_outgoing_webhook(webhook_id=message.pk)
    assert "timestamp" not in _DingTalk.received[0]["query"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "wecom", "secret": SECRET}, "secret"),
        ({"secret": "0123456789abcdef"}, "secret"),
        ({"secret": "SEC 123"}, "secret"),
        ({"secret": "SEC" + "a" * 300}, "secret"),
        ({"secret": SECRET, "clear_secret": "on"}, "clear_secret"),
    ],
)
def test_a_bad_secret_is_refused_and_nothing_is_written(branch, data, field):
    form = channel_form(branch, "https://oapi.dingtalk.com/robot/send?access_token=x", **data)
    assert not form.is_valid()
    assert field in form.errors
    assert not BranchChannel.objects.exists()


def test_an_empty_box_keeps_the_secret_and_remove_clears_it(branch):
    url = "https://oapi.dingtalk.com/robot/send?access_token=x"
    channel = channel_form(branch, url, secret=SECRET).save()
    sealed = channel.signing_secret
    kept = BranchChannelForm(
        data={"organization": branch.pk, "kind": "dingtalk", "url": url, "is_active": "on"},
        instance=channel,
    )
    assert kept.is_valid(), kept.errors
    assert kept.save().signing_secret == sealed
    cleared = BranchChannelForm(
        data={
            "organization": branch.pk,
            "kind": "dingtalk",
            "url": url,
            "is_active": "on",
            "clear_secret": "on",
        },
        instance=channel,
    )
    assert cleared.is_valid(), cleared.errors
    assert cleared.save().signing_secret == ""


def test_the_admin_never_shows_the_secret(branch, superuser, client):
    channel = channel_form(
        branch, "https://oapi.dingtalk.com/robot/send?access_token=x", secret=SECRET
    ).save()
    client.force_login(superuser)
    for url in (
        reverse("admin:activities_branchchannel_change", args=[channel.pk]),
        reverse("admin:activities_branchchannel_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        assert SECRET not in content and channel.signing_secret not in content
