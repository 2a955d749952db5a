"""Group-chat robot webhooks (WeCom, DingTalk) as an outbox, like email and SMS.

A message is a row first; a task posts it, claiming the row so it is sent once; a periodic scan
sends what a lost message or a broker outage left behind. Both robots take the same JSON shape
for a text message: {"msgtype": "text", "text": {"content": "..."}}.
"""

from __future__ import annotations

import json
import logging
import urllib.request

from accounts.models import OutgoingWebhook
from accounts.outbox import Outbox

logger = logging.getLogger(__name__)


def queue_webhook(*, url: str, text: str) -> OutgoingWebhook:
    from config.celery import send_after_commit

    message = OutgoingWebhook.objects.create(
        url=url, payload={"msgtype": "text", "text": {"content": text[:2000]}}
    )
    send_after_commit("accounts.tasks.deliver_webhook", message.pk)
    return message


class WebhookOutbox(Outbox[OutgoingWebhook]):
    model = OutgoingWebhook
    task_path = "accounts.tasks.deliver_webhook"

    def transmit(self, message: OutgoingWebhook) -> None:
        body = json.dumps(message.payload, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310  (an admin-configured https robot)
            message.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            response.read(1024)

    def error_text(self, exc: BaseException) -> str:
        # The robot's URL carries its key; an error message may repeat it, so keep the type only.
        return exc.__class__.__name__


WEBHOOK_OUTBOX = WebhookOutbox()
MAX_WEBHOOK_ATTEMPTS = WebhookOutbox.max_attempts


def deliver_outgoing_webhook(*, webhook_id: int) -> bool:
    """POST one message once; transport errors are recorded and re-raised for a retry."""
    return WEBHOOK_OUTBOX.deliver(webhook_id)
