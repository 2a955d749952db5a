"""The SMS channel: pluggable backends, chosen by the SMS_BACKEND setting.

Messages are never sent from a request: `accounts.services.queue_sms` writes an `OutgoingSms`
row and a task delivers it through the configured backend (the same outbox as email).

- `DevLogBackend` writes the whole message to the log. It is the only place a verification
  code is ever logged, and it refuses to send unless DEBUG is on.
- `LocmemBackend` keeps messages in `accounts.sms.outbox` for tests.
- `UnconfiguredBackend` (the production default until a gateway is configured) fails every
  send with a clear error, so messages wait in the outbox instead of vanishing.

A sensitive body (a verification code) waits in the outbox sealed (`seal`: Fernet under a key
derived from SECRET_KEY, fallbacks accepted), is opened only to hand it to the gateway, and is
blanked once the message is sent, has failed for good or has expired: the database, its
backups and the admin never hold a readable code.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

logger = logging.getLogger("accounts.sms")


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


outbox: list[SmsMessage] = []

SEALED = "sealed:"


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "accounts.sms.sealed-body", "key", secret=key, algorithm="sha256"
                    ).digest()
                )
            )
            for key in keys
        ]
    )


def seal(body: str) -> str:
    """The body encrypted for the outbox (about twice as long, well within 500 characters)."""
    return SEALED + _fernet().encrypt(body.encode()).decode()


def unseal(stored: str) -> str:
    """The body to send: opened if sealed; a row written before sealing existed is as it is."""
    if not stored.startswith(SEALED):
        return stored
    try:
        return _fernet().decrypt(stored[len(SEALED) :].encode()).decode()
    except InvalidToken as exc:
        # SECRET_KEY changed without a fallback: the code cannot be recovered; the row fails.
        raise ImproperlyConfigured("a sealed SMS body cannot be opened with SECRET_KEY") from exc


class SmsDeliveryError(Exception):
    """A transient failure of the SMS gateway: the outbox row stays pending and is retried."""


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class DevLogBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        if not settings.DEBUG:
            raise ImproperlyConfigured("DevLogBackend writes codes to the log: DEBUG only.")
        # The log filter still masks the phone number; the code itself stays readable.
        logger.warning("SMS (development, not sent) to %s: %s", message.to, message.body)


class LocmemBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class UnconfiguredBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        raise SmsDeliveryError("no SMS gateway is configured (SMS_BACKEND)")


def get_backend() -> BaseSmsBackend:
    try:
        backend_class = import_string(settings.SMS_BACKEND)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND {settings.SMS_BACKEND!r}: {exc}") from exc
    return backend_class()


def send_sms(*, to: str, body: str) -> None:
    get_backend().send(SmsMessage(to=to, body=body))
