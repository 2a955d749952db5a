"""Group-chat robot webhooks (WeCom, DingTalk) as an outbox, like email and SMS.

A message is a row first; a task posts it, claiming the row so it is sent once; a periodic scan
sends what a lost message or a broker outage left behind. Both robots take the same JSON shape
for a text message: {"msgtype": "text", "text": {"content": "..."}}.

A DingTalk robot whose security setting is "加签" (signing) accepts a message only with the
time of sending and a signature in the address: `&timestamp=<ms>&sign=<s>`, where `s` is the
URL-encoded base64 of HMAC-SHA256 keyed by the robot's secret over "<ms>\\n<secret>", and the
time is within an hour of DingTalk's clock. So the signature is made when the message is posted
(a retry signs again), and the secret waits with the message, sealed like a verification code
(Fernet under a key derived from SECRET_KEY): it is never logged, shown or kept in clear.
Both robots answer HTTP 200 with `{"errcode": n, "errmsg": …}`; a non-zero code (a signature
that does not match, a keyword missing, too many messages) is a failed attempt, retried by the
outbox like a transport error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.parse
import urllib.request

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import OutgoingWebhook
from accounts.outbox import Outbox

logger = logging.getLogger(__name__)


class RobotRefused(Exception):
    """The robot answered with a non-zero `errcode`: the message was not posted."""

    def __init__(self, errcode: object, errmsg: object) -> None:
        # errmsg is the robot's own text ("sign not match"); it never repeats the address.
        super().__init__(f"errcode {errcode}: {str(errmsg)[:200]}")


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "accounts.channels.robot-secret", "key", secret=key, algorithm="sha256"
                    ).digest()
                )
            )
            for key in keys
        ]
    )


def seal_secret(secret: str) -> str:
    """A robot's signing secret as stored: encrypted ("" stays "": no signing)."""
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def open_secret(sealed: str) -> str:
    """The signing secret back from `seal_secret`."""
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "a robot's signing secret cannot be opened with SECRET_KEY"
        ) from exc


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature for `timestamp_ms`, URL-encoded as the address carries it."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), digestmod=hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The robot's address with `timestamp` and `sign` appended (after its `access_token`)."""
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def queue_webhook(*, url: str, text: str, sealed_secret: str = "") -> OutgoingWebhook:
    """Save a robot message and post it after commit. `sealed_secret` is the robot's signing
    secret as its channel stores it (`seal_secret`), passed on sealed; "" for no signing."""
    from config.celery import send_after_commit

    if sealed_secret:
        open_secret(sealed_secret)  # refuse now, not at each retry, a secret that cannot open
    message = OutgoingWebhook.objects.create(
        url=url,
        payload={"msgtype": "text", "text": {"content": text[:2000]}},
        signing_secret=sealed_secret,
    )
    send_after_commit("accounts.tasks.deliver_webhook", message.pk)
    return message


class WebhookOutbox(Outbox[OutgoingWebhook]):
    model = OutgoingWebhook
    task_path = "accounts.tasks.deliver_webhook"

    def transmit(self, message: OutgoingWebhook) -> None:
        url = message.url
        if message.signing_secret:
            # Milliseconds since the epoch, signed now: DingTalk refuses one over an hour old.
            now_ms = int(timezone.now().timestamp() * 1000)
            url = signed_url(url, open_secret(message.signing_secret), now_ms)
        body = json.dumps(message.payload, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310  (an admin-configured https robot)
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            answer = response.read(4096)
        try:
            reply = json.loads(answer or b"{}")
        except ValueError:
            return  # not the robots' JSON: the POST was accepted, nothing more to read
        if isinstance(reply, dict) and reply.get("errcode", 0) not in (0, "0"):
            raise RobotRefused(reply.get("errcode"), reply.get("errmsg", ""))

    def error_text(self, exc: BaseException) -> str:
        if isinstance(exc, RobotRefused):
            return str(exc)
        # The robot's URL carries its key; an error message may repeat it, so keep the type only.
        return exc.__class__.__name__


WEBHOOK_OUTBOX = WebhookOutbox()
MAX_WEBHOOK_ATTEMPTS = WebhookOutbox.max_attempts


def deliver_outgoing_webhook(*, webhook_id: int) -> bool:
    """POST one message once; transport errors are recorded and re-raised for a retry."""
    return WEBHOOK_OUTBOX.deliver(webhook_id)
