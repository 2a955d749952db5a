"""The outbox: work that must eventually leave the portal (an email, an SMS, a robot message).

A message is saved as a row in the same transaction as the change that caused it; the task sent
after commit is only the fast path. Every kind of message shares the same life:

    pending --claim (row locked)--> send ok --> sent
                                    send fails --> pending, next_attempt_at pushed back
                                                   (exponential backoff); failed after 5 attempts
                                    worker dies --> lock released, nothing written: pending

`OutboxMessage` holds the shared columns and `Outbox` the shared behaviour (claim, send, retry,
periodic scan); a channel only says how to transmit one row (`Outbox.transmit`). Sending is
short, so the row lock is held from the claim to the outcome; longer background work (reports,
imports, certificates) uses the lease of `accounts/jobs.py`, with the same backoff, the same
`Retried` columns and the same hand-over to workers (`config.celery.send_each`).

Exactly once, as far as the portal can tell: a row is sent only by the caller holding its row
lock, so two workers (a retried task and the periodic scan, say) never both send it, and a
worker killed mid-send leaves the row pending for the next one. The one window left is a worker
killed after the transport accepted the message but before the commit of `sent`: the message
would go out twice, never zero times.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.jobs import Retried, backoff

__all__ = ["Outbox", "OutboxMessage", "OutboxStatus", "backoff"]

logger = logging.getLogger(__name__)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessage(Retried):
    """The columns every outbox row has (`attempts` and `next_attempt_at` from `Retried`);
    concrete models add what the channel needs."""

    Status = OutboxStatus

    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


M = TypeVar("M", bound=OutboxMessage)


class Outbox(Generic[M]):
    """Claim, send and retry rows of one outbox model; subclasses implement `transmit`."""

    model: type[M]
    #: The Celery task (taking the row's primary key) that the periodic scan enqueues.
    task_path: ClassVar[str]
    max_attempts: ClassVar[int] = 5
    #: The fast path had this long to deliver before the scan considers a row lost.
    scan_grace: ClassVar[timedelta] = timedelta(minutes=1)
    scan_batch: ClassVar[int] = 500

    # -- what a channel provides -------------------------------------------------------------

    def transmit(self, message: M) -> None:
        """Hand one message to the transport; raise on failure."""
        raise NotImplementedError

    def skip(self, message: M, now: datetime) -> dict[str, Any] | None:
        """Fields that close a claimed message without sending it (e.g. expired), or None."""
        return None

    def sent_fields(self, message: M) -> dict[str, Any]:
        return {}

    def failed_fields(self, message: M) -> dict[str, Any]:
        return {}

    def error_text(self, exc: BaseException) -> str:
        return f"{exc.__class__.__name__}: {exc}"

    def before_scan(self, now: datetime) -> None:
        """Housekeeping the periodic scan does first (e.g. expire stale messages)."""

    # -- the shared life of a message --------------------------------------------------------

    def deliver(self, pk: int) -> bool:
        """Send one message once. False when there was nothing to send (already sent, failed,
        or being sent by another worker right now).

        The row stays locked (`select_for_update(skip_locked=True)`) from the claim until the
        outcome is written, in one transaction: a second worker skips it instead of waiting,
        and a worker killed mid-send leaves nothing behind — its database connection drops,
        the transaction rolls back, and the redelivered task (acks_late,
        reject_on_worker_lost) or the periodic scan claims the row at once. A transport error
        is recorded (attempts, last error, next attempt after an exponential backoff) and
        re-raised for the task's retry; after `max_attempts` the row is failed for good.
        """
        now = timezone.now()
        error: Exception | None = None
        rows = self.model.objects.filter(pk=pk)
        with transaction.atomic():
            message = (
                rows.filter(status=OutboxStatus.PENDING).select_for_update(skip_locked=True).first()
            )
            if message is None:
                return False
            message.attempts += 1
            closing = self.skip(message, now)
            if closing is not None:
                rows.update(
                    status=OutboxStatus.FAILED, attempts=message.attempts, claimed_at=now, **closing
                )
                return False
            # Without row locks (SQLite in `make run`) this write is what serialises senders.
            rows.update(claimed_at=now, attempts=message.attempts)
            try:
                self.transmit(message)
            except Exception as exc:
                error = exc
                failed = message.attempts >= self.max_attempts
                rows.update(
                    claimed_at=None,
                    last_error=self.error_text(exc)[:300],
                    next_attempt_at=None if failed else now + backoff(message.attempts),
                    status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
                    **(self.failed_fields(message) if failed else {}),
                )
            else:
                rows.update(
                    status=OutboxStatus.SENT,
                    sent_at=timezone.now(),
                    last_error="",
                    next_attempt_at=None,
                    **self.sent_fields(message),
                )
        if error is not None:
            logger.warning(
                "%s %s not sent (attempt %s)",
                self.model._meta.model_name,
                pk,
                message.attempts,
            )
            raise error
        return True

    def due(self, now: datetime | None = None) -> list[int]:
        """Pending rows the fast path missed (lost message, broker down) or whose backoff is
        over, oldest first; rows another worker holds right now are skipped."""
        now = now or timezone.now()
        with transaction.atomic():
            return list(
                self.model.objects.filter(
                    status=OutboxStatus.PENDING, created_at__lt=now - self.scan_grace
                )
                .filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
                .order_by("created_at")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[: self.scan_batch]
            )

    def scan(self, now: datetime | None = None) -> int:
        """The periodic scan: enqueue delivery of every due row; returns how many."""
        from config.celery import send_each

        now = now or timezone.now()
        self.before_scan(now)
        return send_each(self.task_path, self.due(now))
