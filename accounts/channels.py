"""Group-chat robot webhooks (WeCom, DingTalk) as an outbox, like email and SMS.

A message is a row first; a task posts it, claiming the row so it is sent once; a periodic scan
sends what a lost message or a broker outage left behind. Both robots take the same JSON shape
for a text message: {"msgtype": "text", "text": {"content": "..."}}.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import models
from django.utils import timezone

from accounts.models import OutgoingWebhook

logger = logging.getLogger(__name__)

MAX_WEBHOOK_ATTEMPTS = 5


def queue_webhook(*, url: str, text: str) -> OutgoingWebhook:
    from accounts.tasks import deliver_webhook
    from config.celery import send_after_commit

    message = OutgoingWebhook.objects.create(
        url=url, payload={"msgtype": "text", "text": {"content": text[:2000]}}
    )
    send_after_commit(deliver_webhook, message.pk)
    return message


def deliver_outgoing_webhook(*, webhook_id: int) -> bool:
    """POST one message once; transport errors are recorded and re-raised for a retry."""
    now = timezone.now()
    claimed = (
        OutgoingWebhook.objects.filter(pk=webhook_id, status=OutgoingWebhook.Status.PENDING)
        .filter(
            models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - timedelta(minutes=10))
        )
        .update(claimed_at=now, attempts=models.F("attempts") + 1)
    )
    if claimed != 1:
        return False
    message = OutgoingWebhook.objects.get(pk=webhook_id)
    body = json.dumps(message.payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310  (the URL is an admin-configured https robot)
        message.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            response.read(1024)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        failed = message.attempts >= MAX_WEBHOOK_ATTEMPTS
        OutgoingWebhook.objects.filter(pk=webhook_id).update(
            claimed_at=None,
            last_error=exc.__class__.__name__[:300],
            status=OutgoingWebhook.Status.FAILED if failed else OutgoingWebhook.Status.PENDING,
        )
        logger.warning("webhook %s not delivered (attempt %s)", webhook_id, message.attempts)
        raise
    OutgoingWebhook.objects.filter(pk=webhook_id).update(
        status=OutgoingWebhook.Status.SENT, sent_at=timezone.now()
    )
    return True
