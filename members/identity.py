"""Encryption at rest and the keyed uniqueness hash of members' ID-card numbers.

An ID number is stored three ways, none of them the plain number:
- `id_number_encrypted`: Fernet (AES-128-CBC + HMAC-SHA256) under MEMBER_ID_ENCRYPTION_KEYS; only
  `reveal_id_number` (a permission, a confirmation and an audit entry) decrypts it for a person;
- `id_number_hash`: HMAC-SHA256 under MEMBER_ID_HASH_KEY, unique in the database, so a duplicate
  is refused across the deployment without decrypting anything;
- `id_number_masked`: first 6 and last 4 characters, what every page, export and API shows.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(settings.MEMBER_ID_ENCRYPTION_KEYS))


def encrypt_id_number(number: str) -> str:
    return _cipher().encrypt(number.encode()).decode()


def decrypt_id_number(token: str) -> str:
    """The plain number. Raises `UndecryptableIdNumber` when no configured key opens it."""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableIdNumber from None


def hash_id_number(number: str) -> str:
    return hmac.new(
        settings.MEMBER_ID_HASH_KEY.encode(), number.encode(), hashlib.sha256
    ).hexdigest()


class UndecryptableIdNumber(Exception):
    """The stored token was encrypted under a key this deployment no longer has."""
